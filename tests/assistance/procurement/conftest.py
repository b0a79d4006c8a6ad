"""An approved in-kind component of a case referred to Pakistan, and the providers it is bought from.

The family Khan (GR) is entitled under the money programme (reintegration ceiling
3,500 EUR for a family) and has arrived in Pakistan, whose mission works the case.
PK's supervisor and finance officer come from tests/assistance/conftest.py.
"""

from __future__ import annotations

import pytest

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import services
from homeward.assistance.models import Provider
from homeward.cases.models import Case
from homeward.programmes.models import Programme
from homeward.reintegration.models import Component
from tests.assistance.conftest import make_provider
from tests.assistance.procurement.steps import approved_component
from tests.factories import UserFactory
from tests.money import arrived, entitled, money_programme


@pytest.fixture
def cashier_pk(pk: Mission) -> User:
    """A second finance officer of Pakistan: pays what the first approved."""
    return UserFactory(username="cashier.pk", roles=[(pk, Role.FINANCE_OFFICER)])


@pytest.fixture
def programme(gr: Mission) -> Programme:
    return money_programme()


@pytest.fixture
def case(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission, programme: Programme
) -> Case:
    entitled(case_gr, counsellor_gr, programme)
    return arrived(case_gr, supervisor_gr, pk)


@pytest.fixture
def component(case: Case, programme: Programme, supervisor_gr: User) -> Component:
    """A micro-business component of 1,500 EUR, approved and committed."""
    return approved_component(case, programme, supervisor_gr)


@pytest.fixture
def vetted(reintegration_pk: User, supervisor_pk: User, pk: Mission) -> Provider:
    """A supplier in Lahore, registered by PK's reintegration officer and vetted by its supervisor."""
    provider = make_provider(reintegration_pk, pk)
    return services.provider_vetting_set(acting_user=supervisor_pk, provider=provider, status="vetted")


@pytest.fixture
def unvetted(reintegration_pk: User, pk: Mission) -> Provider:
    return make_provider(reintegration_pk, pk, "Multan Machines")
