"""Personas of the origin missions and providers built through the services.

Pakistan (PK) manages the providers of these tests; Afghanistan (AF) is
another origin mission whose officers see none of PK's providers.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import services
from homeward.assistance.models import Provider
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import MissionFactory, UserFactory

VALID_IBAN = "PK36SCBL0000001123456702"  # the check digits add up (ISO 13616 mod-97)


@pytest.fixture
def af(db: None) -> Mission:
    return MissionFactory(code="AF", name="IOM Afghanistan", country="AF", kind=Mission.Kind.ORIGIN)


@pytest.fixture
def supervisor_pk(pk: Mission) -> User:
    return UserFactory(username="supervisor.pk", roles=[(pk, Role.CASE_SUPERVISOR)])


@pytest.fixture
def finance_pk(pk: Mission) -> User:
    return UserFactory(username="finance.pk", roles=[(pk, Role.FINANCE_OFFICER)])


@pytest.fixture
def me_pk(pk: Mission) -> User:
    return UserFactory(username="me.pk", roles=[(pk, Role.ME_OFFICER)])


@pytest.fixture
def reintegration_af(af: Mission) -> User:
    return UserFactory(username="reintegration.af", roles=[(af, Role.REINTEGRATION_OFFICER)])


@pytest.fixture
def administrator(gr: Mission) -> User:
    """An administrator, whose membership happens to be in Greece: administrators see every mission's providers."""
    return UserFactory(username="admin", roles=[(gr, Role.ADMINISTRATOR)])


def details(name: str = "Lahore Tools & Co", **overrides: Any) -> services.ProviderInput:
    values: dict[str, Any] = {
        "name": name,
        "country": "PK",
        "category": Provider.Category.SUPPLIER,
        "contact_person": "Bilal Ahmed",
        "phone": "0300 1234567",
        "email": "sales@lahoretools.example",
        "address": "12 Mall Road, Lahore",
    }
    values.update(overrides)
    return services.ProviderInput(**values)


def bank(**overrides: Any) -> services.BankDetails:
    values = {
        "account_holder": "Lahore Tools & Co",
        "bank_name": "Standard Chartered Pakistan",
        "account_number": VALID_IBAN,
        "swift_bic": "SCBLPKKX",
    }
    values.update(overrides)
    return services.BankDetails(**values)


def make_provider(user: User, mission: Mission, name: str = "Lahore Tools & Co", **overrides: Any) -> Provider:
    return services.provider_create(acting_user=user, mission=mission, data=details(name, **overrides))


@pytest.fixture
def provider(reintegration_pk: User, pk: Mission) -> Provider:
    """A supplier in Lahore, registered by PK's reintegration officer, not vetted."""
    return make_provider(reintegration_pk, pk)


@pytest.fixture
def with_bank(provider: Provider, finance_pk: User) -> Provider:
    """The same supplier with its bank details, entered by PK's finance officer."""
    return services.provider_update(acting_user=finance_pk, provider=provider, bank=bank())


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
