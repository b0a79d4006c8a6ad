"""Cash handed over at the airport, reconciled against the departures that happened."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case, Transition
from homeward.core.errors import ServiceError
from homeward.grants import selectors, services
from homeward.grants.models import Grant
from tests.factories import UserFactory
from tests.grants.conftest import approve, client_for, pay, propose, receipt
from tests.journey import S, set_status

pytestmark = pytest.mark.django_db
RECONCILE = reverse("grants:reconcile")


@pytest.fixture
def airport_cash(case: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User) -> Grant:
    """The Khans' pre-departure cash, handed over in cash at the airport, then the case booked to fly."""
    grant = approve(supervisor_gr, propose(counsellor_gr, case, at_airport=True))
    grant = pay(finance_gr, grant, method=Grant.Method.CASH, receipt=receipt())
    set_status(case, S.TRAVEL_BOOKED)
    return grant


def no_show(case: Case, by: User) -> Case:
    Transition.objects.create(case=case, from_status=S.TRAVEL_BOOKED, to_status=S.NO_SHOW, by=by, note="not at gate")
    return set_status(case, S.NO_SHOW)


def to_reconcile(user: User) -> list[Grant]:
    return list(selectors.airport_cash_to_reconcile(user))


def test_cash_of_a_traveller_booked_to_fly_is_not_to_reconcile_yet(airport_cash: Grant, finance_gr: User) -> None:
    assert to_reconcile(finance_gr) == []


def test_a_no_show_shows_up_for_those_who_handle_the_cash(
    airport_cash: Grant, finance_gr: User, movement_gr: User, supervisor_gr: User, counsellor_gr: User, ro: Mission
) -> None:
    no_show(airport_cash.case, movement_gr)
    for user in (finance_gr, movement_gr, supervisor_gr):
        assert to_reconcile(user) == [airport_cash], user
    finance_ro = UserFactory(username="finance.ro", roles=[(ro, Role.FINANCE_OFFICER)])
    assert to_reconcile(counsellor_gr) == []
    assert to_reconcile(finance_ro) == []


@pytest.mark.parametrize("status", [S.WITHDRAWN, S.CANCELLED])
def test_a_case_withdrawn_or_cancelled_before_departure_shows_up(
    airport_cash: Grant, finance_gr: User, status: str
) -> None:
    set_status(airport_cash.case, status)
    assert to_reconcile(finance_gr) == [airport_cash]


def test_a_departure_leaves_nothing_to_reconcile(airport_cash: Grant, finance_gr: User) -> None:
    set_status(airport_cash.case, S.DEPARTED)
    assert to_reconcile(finance_gr) == []


def test_a_no_show_rebooked_still_owes_its_cash(airport_cash: Grant, finance_gr: User, movement_gr: User) -> None:
    no_show(airport_cash.case, movement_gr)
    set_status(airport_cash.case, S.TRAVEL_PREPARATION)
    assert to_reconcile(finance_gr) == [airport_cash]


def test_cash_not_handed_over_at_the_airport_is_not_reconciled_here(
    case: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User
) -> None:
    approve(supervisor_gr, propose(counsellor_gr, case))
    set_status(case, S.NO_SHOW)
    assert to_reconcile(finance_gr) == []


def test_returned_cash_leaves_the_reconciliation(airport_cash: Grant, finance_gr: User, movement_gr: User) -> None:
    no_show(airport_cash.case, movement_gr)
    services.grant_return(acting_user=finance_gr, grant=airport_cash, reason="Counted back into the safe")
    assert to_reconcile(finance_gr) == []


def test_reissued_cash_leaves_the_reconciliation(airport_cash: Grant, finance_gr: User, movement_gr: User) -> None:
    no_show(airport_cash.case, movement_gr)
    with pytest.raises(ServiceError, match="Say why"):
        services.grant_reissue(acting_user=movement_gr, grant=airport_cash, note="")
    grant = services.grant_reissue(
        acting_user=movement_gr, grant=airport_cash, note="Handed over again on TK1 of 12 May"
    )
    assert (grant.status, grant.settled_by, grant.reissued_on is not None) == (Grant.Status.PAID, movement_gr, True)
    assert to_reconcile(finance_gr) == []
    with pytest.raises(ServiceError, match="already been re-issued"):
        services.grant_reissue(acting_user=movement_gr, grant=grant, note="twice")
    with pytest.raises(ServiceError, match="handed over again"):
        services.grant_return(acting_user=finance_gr, grant=grant, reason="no")


def test_a_counsellor_does_not_reissue(airport_cash: Grant, counsellor_gr: User) -> None:
    with pytest.raises(PermissionDenied):
        services.grant_reissue(acting_user=counsellor_gr, grant=airport_cash, note="again")


# ---------------------------------------------------------------- the page


def test_the_page_lists_the_cash_and_returns_it(airport_cash: Grant, finance_gr: User, movement_gr: User) -> None:
    case = no_show(airport_cash.case, movement_gr)
    client = client_for(finance_gr)
    html = client.get(RECONCILE).content.decode()
    assert reverse("grants:case_grants", args=[case.reference]) in html
    assert "250.00 EUR" in html
    assert "Imran Khan" not in html  # a grant to the household
    assert "the household" in html
    prefix = f"return{airport_cash.pk}"
    response = client.post(
        reverse("grants:return", args=[airport_cash.pk]), {"from": "reconcile", f"{prefix}-reason": "Back in the safe"}
    )
    assert response.status_code == 302
    assert response["Location"] == RECONCILE
    assert Grant.objects.get(pk=airport_cash.pk).status == Grant.Status.RETURNED
    assert "Nothing to reconcile" in client.get(RECONCILE).content.decode()


def test_the_page_shows_an_error_in_the_form(airport_cash: Grant, finance_gr: User, movement_gr: User) -> None:
    no_show(airport_cash.case, movement_gr)
    response = client_for(movement_gr).post(reverse("grants:reissue", args=[airport_cash.pk]), {"from": "reconcile"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Grant.objects.get(pk=airport_cash.pk).reissued_on is None


def test_a_counsellor_has_no_reconciliation_page(counsellor_gr: User) -> None:
    assert client_for(counsellor_gr).get(RECONCILE).status_code == 403


def test_the_case_page_counts_the_cash_to_reconcile(airport_cash: Grant, finance_gr: User, movement_gr: User) -> None:
    case = no_show(airport_cash.case, movement_gr)
    html = client_for(finance_gr).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "1 to reconcile" in html
    grants_page = client_for(finance_gr).get(reverse("grants:case_grants", args=[case.reference])).content.decode()
    assert 'id="to-reconcile"' in grants_page
    assert airport_cash.amount == Decimal("250.00")
