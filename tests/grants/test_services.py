"""Grant services: amounts computed from the entitlements, who may do what, and the money in the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import ledger
from homeward.assistance.models import LedgerEntry
from homeward.cases import eligibility
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.grants import services
from homeward.grants.models import Grant
from homeward.programmes.models import Programme
from tests.factories import UserFactory, family_of_three, register_case
from tests.grants.conftest import (
    approve,
    arrival_programme,
    cash_component,
    member,
    pay,
    propose,
    receipt,
)
from tests.journey import S, set_status
from tests.money import arrived, entitled, line, money_programme, rate

pytestmark = pytest.mark.django_db
K = Grant.Kind


def figures(programme: Programme, category: str = "cash_grants") -> tuple[Decimal, Decimal, Decimal]:
    f = ledger.figures(line(programme, category))
    return f.committed, f.spent, f.remaining


# ---------------------------------------------------------------- amounts from the entitlements


def test_household_pre_departure_cash_is_every_line_of_the_family(case: Case, counsellor_gr: User) -> None:
    grant = propose(counsellor_gr, case)
    assert (grant.amount, grant.entitled_amount, grant.currency) == (Decimal("250.00"), Decimal("250.00"), "EUR")
    assert grant.member is None
    assert "Sana Khan: per person, minor (under 18) 50.00 EUR" in grant.basis
    assert grant.status == Grant.Status.PROPOSED
    assert grant.budget_line.category == "cash_grants"


def test_a_members_grant_is_their_lines_and_the_household_gets_what_is_left(case: Case, counsellor_gr: User) -> None:
    sana = propose(counsellor_gr, case, member=member(case, "Sana"))
    assert sana.amount == Decimal("50.00")
    household = propose(counsellor_gr, case)
    assert household.amount == Decimal("200.00")
    assert "already granted: 50.00 EUR" in household.basis


def test_per_diem_is_the_days_counted_times_the_daily_rate(case: Case, counsellor_gr: User) -> None:
    grant = propose(counsellor_gr, case, kind=K.PER_DIEM, member=member(case, "Imran"), days=7)
    assert (grant.amount, grant.days) == (Decimal("70.00"), 7)
    assert "7 days at 10.00 EUR a day (at most 10 days)" in grant.basis


@pytest.mark.parametrize("days", [None, 0, 11])
def test_per_diem_days_are_counted_within_the_programmes_maximum(
    case: Case, counsellor_gr: User, days: int | None
) -> None:
    with pytest.raises(ServiceError) as caught:
        propose(counsellor_gr, case, kind=K.PER_DIEM, member=member(case, "Imran"), days=days)
    assert caught.value.fields == {"days": ["Count the days: from 1 to 10."]}


def test_per_diem_is_counted_per_person(case: Case, counsellor_gr: User) -> None:
    with pytest.raises(ServiceError, match="counted per person") as caught:
        propose(counsellor_gr, case, kind=K.PER_DIEM, days=3)
    assert "member" in caught.value.fields


def test_an_amount_above_the_entitlement_needs_a_reason(case: Case, counsellor_gr: User) -> None:
    with pytest.raises(ServiceError, match=r"above the entitlement of 250\.00 EUR") as caught:
        propose(counsellor_gr, case, amount=Decimal("300"))
    assert "override_reason" in caught.value.fields
    grant = propose(counsellor_gr, case, amount=Decimal("300"), override_reason="Winter clothing for the child")
    assert (grant.amount, grant.entitled_amount) == (Decimal("300.00"), Decimal("250.00"))
    assert grant.override_reason == "Winter clothing for the child"


def test_an_amount_below_the_entitlement_needs_no_reason_and_keeps_none(case: Case, counsellor_gr: User) -> None:
    grant = propose(counsellor_gr, case, amount=Decimal("120.50"), override_reason="not needed")
    assert (grant.amount, grant.override_reason) == (Decimal("120.50"), "")


def test_nothing_is_computed_without_an_assessment(case_gr: Case, counsellor_gr: User) -> None:
    with pytest.raises(ServiceError, match="Eligibility has not been assessed"):
        propose(counsellor_gr, case_gr)
    assert not Grant.objects.exists()


def test_a_case_not_assessed_eligible_gets_nothing(case_gr: Case, counsellor_gr: User, programme: Programme) -> None:
    eligibility.case_assess(acting_user=counsellor_gr, case=case_gr, programme=programme)  # no legal status
    with pytest.raises(ServiceError, match="not assessed eligible"):
        propose(counsellor_gr, case_gr)


def test_an_amount_nobody_confirmed_is_not_proposed(case_gr: Case, counsellor_gr: User, gr: Mission) -> None:
    case = entitled(case_gr, counsellor_gr, money_programme(confirmed=False))
    with pytest.raises(ServiceError, match="nobody has confirmed the amount"):
        propose(counsellor_gr, case)


def test_a_benefit_the_programme_does_not_give_is_refused(case: Case, counsellor_gr: User) -> None:
    with pytest.raises(ServiceError, match="gives no arrival and reception grant") as caught:
        propose(counsellor_gr, case, kind=K.ARRIVAL)
    assert "kind" in caught.value.fields


def test_a_programme_without_a_cash_grants_line_cannot_book_a_grant(
    case_gr: Case, counsellor_gr: User, gr: Mission
) -> None:
    case = entitled(case_gr, counsellor_gr, money_programme(budget={"reintegration": 50_000}))
    with pytest.raises(ServiceError, match="has no cash grants budget line"):
        propose(counsellor_gr, case)


def test_one_live_grant_per_kind_per_member_or_household(case: Case, counsellor_gr: User, supervisor_gr: User) -> None:
    first = propose(counsellor_gr, case)
    with pytest.raises(ServiceError, match="the household already has a pre-departure cash grant"):
        propose(counsellor_gr, case, amount=Decimal("10"), override_reason="again")
    imran = propose(counsellor_gr, case, kind=K.PER_DIEM, member=member(case, "Imran"), days=2)
    with pytest.raises(ServiceError, match="Imran Khan already has"):
        propose(counsellor_gr, case, kind=K.PER_DIEM, member=member(case, "Imran"), days=1)
    services.grant_cancel(acting_user=counsellor_gr, grant=first, reason="Typed the wrong amount")
    assert propose(counsellor_gr, case).amount == Decimal("250.00")
    assert imran.status == Grant.Status.PROPOSED


def test_cash_before_departure_is_not_proposed_once_the_case_left(case: Case, counsellor_gr: User) -> None:
    set_status(case, S.DEPARTED)
    with pytest.raises(ServiceError, match="only before departure"):
        propose(counsellor_gr, case)


def test_only_cash_before_departure_is_handed_over_at_the_airport(
    case_gr: Case, counsellor_gr: User, gr: Mission
) -> None:
    case = entitled(case_gr, counsellor_gr, arrival_programme())
    with pytest.raises(ServiceError, match="handed over at the airport"):
        propose(counsellor_gr, case, kind=K.ARRIVAL, at_airport=True)


# ---------------------------------------------------------------- the arrival grant


def test_the_arrival_grant_is_computed_from_the_programmes_arrival_grant(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission
) -> None:
    case = arrived(entitled(case_gr, counsellor_gr, arrival_programme()), supervisor_gr, pk)
    grant = propose(reintegration_pk, case, kind=K.ARRIVAL, member=member(case, "Sana"))
    assert (grant.amount, grant.currency) == (Decimal("40.00"), "EUR")
    assert propose(reintegration_pk, case, kind=K.ARRIVAL).amount == Decimal("160.00")  # the two adults left


def test_the_origin_missions_supervisor_approves_the_arrival_grant(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission
) -> None:
    case = entitled(case_gr, counsellor_gr, arrival_programme())
    grant = propose(counsellor_gr, case, kind=K.ARRIVAL)  # prepared by the host mission before departure
    with pytest.raises(PermissionDenied, match="No origin mission has accepted this case yet"):
        approve(supervisor_gr, grant)
    arrived(case, supervisor_gr, pk)
    with pytest.raises(PermissionDenied):
        approve(supervisor_gr, grant)
    supervisor_pk = UserFactory(username="supervisor.pk", roles=[(pk, Role.CASE_SUPERVISOR)])
    assert approve(supervisor_pk, grant).status == Grant.Status.APPROVED


# ---------------------------------------------------------------- who may


def test_only_the_host_missions_counsellors_propose_cash_before_departure(
    case: Case, movement_gr: User, finance_gr: User, counsellor_ro: User, reintegration_pk: User
) -> None:
    for user in (movement_gr, finance_gr, counsellor_ro, reintegration_pk):
        with pytest.raises(PermissionDenied):
            propose(user, case)
    assert not Grant.objects.exists()


def test_only_a_supervisor_approves(case: Case, counsellor_gr: User, finance_gr: User, supervisor_gr: User) -> None:
    grant = propose(counsellor_gr, case)
    for user in (counsellor_gr, finance_gr):
        with pytest.raises(PermissionDenied):
            approve(user, grant)
    approved = approve(supervisor_gr, grant)
    assert (approved.status, approved.approved_by) == (Grant.Status.APPROVED, supervisor_gr)
    with pytest.raises(ServiceError, match="This grant is approved: it cannot be approved"):
        approve(supervisor_gr, grant)


def test_who_proposed_a_grant_does_not_approve_it(case: Case, supervisor_gr: User) -> None:
    grant = propose(supervisor_gr, case)  # a supervisor may also counsel
    with pytest.raises(PermissionDenied, match="You proposed this grant"):
        approve(supervisor_gr, grant)
    grant.refresh_from_db()
    assert grant.status == Grant.Status.PROPOSED


def test_only_a_finance_officer_pays(approved: Grant, counsellor_gr: User, supervisor_gr: User, ro: Mission) -> None:
    finance_ro = UserFactory(username="finance.ro", roles=[(ro, Role.FINANCE_OFFICER)])
    for user in (counsellor_gr, supervisor_gr, finance_ro):
        with pytest.raises(PermissionDenied):
            pay(user, approved)
    assert Grant.objects.get(pk=approved.pk).status == Grant.Status.APPROVED


def test_a_proposal_is_not_paid(case: Case, counsellor_gr: User, finance_gr: User) -> None:
    with pytest.raises(ServiceError, match="This grant is proposed: it cannot be paid"):
        pay(finance_gr, propose(counsellor_gr, case))


def test_who_approved_a_grant_does_not_pay_it(
    case: Case, counsellor_gr: User, supervisor_gr: User, gr: Mission, pk: Mission
) -> None:
    """Someone supervising in Greece and paying in Pakistan, the case's origin mission."""
    both = UserFactory(username="both", roles=[(gr, Role.CASE_SUPERVISOR), (pk, Role.FINANCE_OFFICER)])
    grant = approve(both, propose(counsellor_gr, case))
    arrived(case, supervisor_gr, pk)
    with pytest.raises(ServiceError, match="You approved this grant: someone else pays it"):
        pay(both, grant)
    assert Grant.objects.get(pk=grant.pk).status == Grant.Status.APPROVED


def test_the_database_refuses_a_payer_who_approved(approved: Grant) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=approved.pk).update(
            status="paid", paid_by=approved.approved_by, paid_on=timezone.localdate(), paid_amount=approved.amount
        )


# ---------------------------------------------------------------- paying


def test_cash_is_paid_against_a_signed_receipt(approved: Grant, finance_gr: User) -> None:
    with pytest.raises(ServiceError) as caught:
        pay(finance_gr, approved, method=Grant.Method.CASH)
    assert "receipt" in caught.value.fields
    not_an_image = SimpleUploadedFile("receipt.png", b"just some text, not a scan", content_type="image/png")
    with pytest.raises(ServiceError) as caught:
        pay(finance_gr, approved, method=Grant.Method.CASH, receipt=not_an_image)
    assert "Only PDF, JPEG or PNG" in caught.value.fields["receipt"][0]
    paid = pay(finance_gr, approved, method=Grant.Method.CASH, receipt=receipt())
    assert paid.status == Grant.Status.PAID
    assert paid.receipt_content_type == "image/png"
    assert paid.receipt.name.endswith(".png")
    assert paid.receipt.read().startswith(b"\x89PNG")


def test_a_bank_transfer_gets_its_receipt_afterwards_once(approved: Grant, finance_gr: User) -> None:
    paid = pay(finance_gr, approved, payment_reference="TRF-2211")
    assert not paid.receipt
    paid = services.grant_attach_receipt(acting_user=finance_gr, grant=paid, receipt=receipt())
    assert paid.receipt
    with pytest.raises(ServiceError, match="a receipt is never replaced"):
        services.grant_attach_receipt(acting_user=finance_gr, grant=paid, receipt=receipt())


def test_a_payment_in_another_currency_is_converted_at_the_rate_of_the_day_paid(
    case: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User
) -> None:
    start = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        grant = approve(supervisor_gr, propose(counsellor_gr, case))
    rate("EUR", "USD", "1.10", on=dt.date(2026, 3, 4))
    rate("EUR", "USD", "1.30", on=dt.date(2026, 3, 7))
    with time_machine.travel(start + dt.timedelta(days=5), tick=False):
        paid = pay(finance_gr, grant, on=dt.date(2026, 3, 4), paid_currency="usd")
    assert (paid.paid_amount, paid.paid_currency, paid.rate) == (Decimal("275.00"), "USD", Decimal("1.10000000"))
    payment = LedgerEntry.objects.get(source=grant.source, kind="payment")
    assert (payment.amount, payment.currency, payment.booked_on) == (Decimal("250.00"), "EUR", dt.date(2026, 3, 4))


def test_a_rate_entered_the_other_way_round_serves(approved: Grant, finance_gr: User) -> None:
    rate("PKR", "EUR", "0.00320")
    paid = pay(finance_gr, approved, paid_currency="PKR")
    assert (paid.paid_amount, paid.rate) == (Decimal("78125.00"), Decimal("312.50000000"))


def test_a_payment_in_a_currency_without_a_rate_is_refused(
    approved: Grant, finance_gr: User, programme: Programme
) -> None:
    today = timezone.localdate().isoformat()
    with pytest.raises(ServiceError, match=f"No exchange rate for USD→EUR on {today}") as caught:
        pay(finance_gr, approved, paid_currency="USD")
    assert "paid_currency" in caught.value.fields
    assert Grant.objects.get(pk=approved.pk).status == Grant.Status.APPROVED
    assert figures(programme) == (Decimal("250.00"), Decimal("0"), Decimal("9750.00"))


def test_more_than_the_grant_is_not_paid(approved: Grant, finance_gr: User) -> None:
    with pytest.raises(ServiceError, match="more than the grant") as caught:
        pay(finance_gr, approved, paid_amount=Decimal("250.01"))
    assert "paid_amount" in caught.value.fields


def test_a_date_of_payment_in_the_future_is_refused(approved: Grant, finance_gr: User) -> None:
    with pytest.raises(ServiceError) as caught:
        pay(finance_gr, approved, on=timezone.localdate() + dt.timedelta(days=1))
    assert "paid_on" in caught.value.fields


# ---------------------------------------------------------------- the ledger


def test_approval_commits_and_payment_releases_then_books(
    case: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User, programme: Programme
) -> None:
    grant = propose(counsellor_gr, case)
    assert figures(programme) == (Decimal("0"), Decimal("0"), Decimal("10000.00"))
    approve(supervisor_gr, grant)
    assert figures(programme) == (Decimal("250.00"), Decimal("0"), Decimal("9750.00"))
    pay(finance_gr, grant)
    assert figures(programme) == (Decimal("0.00"), Decimal("250.00"), Decimal("9750.00"))
    assert list(LedgerEntry.objects.filter(source=grant.source).values_list("kind", "amount")) == [
        ("commitment", Decimal("250.00")),
        ("commitment", Decimal("-250.00")),
        ("payment", Decimal("250.00")),
    ]


def test_returned_cash_reverses_the_payment_and_nothing_is_deleted(
    approved: Grant, finance_gr: User, counsellor_gr: User, programme: Programme
) -> None:
    paid = pay(finance_gr, approved, method=Grant.Method.CASH, receipt=receipt())
    with pytest.raises(ServiceError, match="Say why"):
        services.grant_return(acting_user=finance_gr, grant=paid, reason=" ")
    with pytest.raises(PermissionDenied):
        services.grant_return(acting_user=counsellor_gr, grant=paid, reason="no-show")
    returned = services.grant_return(acting_user=finance_gr, grant=paid, reason="Did not travel; cash counted back")
    assert (returned.status, returned.returned_on, returned.settled_by) == (
        Grant.Status.RETURNED,
        timezone.localdate(),
        finance_gr,
    )
    assert figures(programme) == (Decimal("0.00"), Decimal("0.00"), Decimal("10000.00"))
    assert LedgerEntry.objects.filter(source=approved.source).count() == 4
    payment = LedgerEntry.objects.get(source=approved.source, kind="payment", reverses__isnull=True)
    assert payment.reversed_at is not None
    # The entitlement is free again.
    assert propose(counsellor_gr, approved.case).amount == Decimal("250.00")


def test_cancelling_an_approved_grant_releases_its_commitment(
    approved: Grant, supervisor_gr: User, finance_gr: User, programme: Programme
) -> None:
    with pytest.raises(ServiceError, match="Say why"):
        services.grant_cancel(acting_user=supervisor_gr, grant=approved, reason="")
    cancelled = services.grant_cancel(acting_user=supervisor_gr, grant=approved, reason="The family withdrew")
    assert (cancelled.status, cancelled.cancel_reason) == (Grant.Status.CANCELLED, "The family withdrew")
    assert figures(programme) == (Decimal("0.00"), Decimal("0"), Decimal("10000.00"))
    with pytest.raises(ServiceError, match="cancelled: it cannot be paid"):
        pay(finance_gr, cancelled)


def test_a_paid_grant_is_returned_not_cancelled(approved: Grant, finance_gr: User, supervisor_gr: User) -> None:
    paid = pay(finance_gr, approved)
    with pytest.raises(ServiceError, match="record the cash returned"):
        services.grant_cancel(acting_user=supervisor_gr, grant=paid, reason="oops")


def test_a_grant_overspending_its_line_needs_the_supervisors_reason(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, gr: Mission
) -> None:
    programme = money_programme(budget={"cash_grants": 200, "reintegration": 50_000})
    grant = propose(counsellor_gr, entitled(case_gr, counsellor_gr, programme))
    with pytest.raises(ServiceError, match=r"overspend the cash grants line by 50\.00 EUR") as caught:
        approve(supervisor_gr, grant)
    assert "override_reason" in caught.value.fields
    assert Grant.objects.get(pk=grant.pk).status == Grant.Status.PROPOSED
    approve(supervisor_gr, grant, override_reason="Top-up from the donor agreed on 3 May")
    assert figures(programme) == (Decimal("250.00"), Decimal("0"), Decimal("-50.00"))


# ---------------------------------------------------------------- paying once


def test_a_second_payment_is_refused(approved: Grant, finance_gr: User, gr: Mission, programme: Programme) -> None:
    pay(finance_gr, approved)
    other = UserFactory(username="finance2.gr", roles=[(gr, Role.FINANCE_OFFICER)])
    with pytest.raises(ServiceError, match="already been paid"):
        pay(other, approved)
    assert figures(programme)[1] == Decimal("250.00")


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_payments_pay_once(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User, gr: Mission
) -> None:
    from tests.concurrency import race

    programme = money_programme()
    grant = approve(supervisor_gr, propose(counsellor_gr, entitled(case_gr, counsellor_gr, programme)))
    other = UserFactory(username="finance2.gr", roles=[(gr, Role.FINANCE_OFFICER)])
    results = race(lambda: pay(finance_gr, Grant.objects.get(pk=grant.pk)),
                   lambda: pay(other, Grant.objects.get(pk=grant.pk)))  # fmt: skip
    assert sorted(type(r).__name__ for r in results) == ["Grant", "ServiceError"], results
    assert LedgerEntry.objects.filter(source=grant.source, kind="payment").count() == 1
    assert figures(programme) == (Decimal("0.00"), Decimal("250.00"), Decimal("9750.00"))


# ---------------------------------------------------------------- reintegration in cash


@pytest.fixture
def origin(case: Case, supervisor_gr: User, pk: Mission, reintegration_pk: User) -> Case:
    return arrived(case, supervisor_gr, pk)


def _reintegration_case(counsellor: User, supervisor: User, pk: Mission, gr: Mission, **options: str) -> Case:
    case = register_case(counsellor, gr, family_of_three("Ahmadi"), counsellor=counsellor)
    case = entitled(case, counsellor, money_programme(code="GR/CASH", **options))
    return arrived(case, supervisor, pk)


def test_an_in_kind_programme_pays_no_reintegration_cash(
    origin: Case, reintegration_pk: User, programme: Programme, supervisor_gr: User
) -> None:
    component = cash_component(origin, supervisor_gr, programme)
    with pytest.raises(ServiceError, match="pays reintegration in kind only: no cash"):
        propose(reintegration_pk, origin, kind=K.REINTEGRATION, component=component)


def test_a_cash_component_of_an_approved_plan_is_paid_up_to_its_budget(
    counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, supervisor_pk: User, finance_pk: User,
    pk: Mission, gr: Mission,
) -> None:  # fmt: skip
    case = _reintegration_case(counsellor_gr, supervisor_gr, pk, gr, payment="cash")
    component = cash_component(case, supervisor_gr, case.programme, "1200")
    with pytest.raises(ServiceError, match=r"budget is 1200\.00 EUR"):
        propose(reintegration_pk, case, kind=K.REINTEGRATION, component=component, amount=Decimal("1300"))
    grant = propose(reintegration_pk, case, kind=K.REINTEGRATION, component=component)
    assert (grant.amount, grant.budget_line.category) == (Decimal("1200.00"), "reintegration")
    with pytest.raises(ServiceError, match="already has a cash grant"):
        propose(reintegration_pk, case, kind=K.REINTEGRATION, component=component)
    # A cancelled proposal does not block the component: it is proposed again.
    services.grant_cancel(acting_user=reintegration_pk, grant=grant, reason="Wrong amount typed.")
    grant = propose(reintegration_pk, case, kind=K.REINTEGRATION, component=component)
    pay(finance_pk, approve(supervisor_pk, grant))
    assert figures(case.programme, "reintegration")[:2] == (Decimal("0.00"), Decimal("1200.00"))


def test_reintegration_cash_takes_over_its_components_commitment(
    counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, supervisor_pk: User, pk: Mission, gr: Mission
) -> None:
    case = _reintegration_case(counsellor_gr, supervisor_gr, pk, gr, payment="cash")
    component = cash_component(case, supervisor_gr, case.programme, "1000")
    # What the plan's approval books (reintegration/services): the component's commitment.
    ledger.entry_book(acting_user=supervisor_pk, budget_line=line(case.programme, "reintegration"), kind="commitment",
                      amount=Decimal("1000"), currency="EUR", booked_on=timezone.localdate(),
                      source=component.source, case=case)  # fmt: skip
    approve(supervisor_pk, propose(reintegration_pk, case, kind=K.REINTEGRATION, component=component))
    assert figures(case.programme, "reintegration")[0] == Decimal("1000.00")
    assert ledger.open_commitment(component.source) == Decimal("0.00")


def test_reintegration_cash_not_paid_after_all_goes_back_to_its_component(
    counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, supervisor_pk: User, finance_pk: User,
    pk: Mission, gr: Mission,
) -> None:  # fmt: skip
    case = _reintegration_case(counsellor_gr, supervisor_gr, pk, gr, payment="cash")
    component = cash_component(case, supervisor_gr, case.programme, "1000")
    ledger.entry_book(acting_user=supervisor_pk, budget_line=line(case.programme, "reintegration"), kind="commitment",
                      amount=Decimal("1000"), currency="EUR", booked_on=timezone.localdate(),
                      source=component.source, case=case)  # fmt: skip
    grant = approve(supervisor_pk, propose(reintegration_pk, case, kind=K.REINTEGRATION, component=component))
    services.grant_cancel(acting_user=supervisor_pk, grant=grant, reason="Will be bought in kind instead.")
    assert ledger.open_commitment(component.source) == Decimal("1000.00")
    assert figures(case.programme, "reintegration")[0] == Decimal("1000.00")
    # Paid, then the cash came back three days later: the counter-entry is dated that day, the component holds it again.
    grant = pay(finance_pk, approve(supervisor_pk, propose(reintegration_pk, case, kind=K.REINTEGRATION,
                                                           component=component)))  # fmt: skip
    back = timezone.localdate() + dt.timedelta(days=1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3), tick=False):
        services.grant_return(acting_user=finance_pk, grant=grant, reason="Returnee emigrated again.", returned_on=back)
    counter = LedgerEntry.objects.get(source=grant.source, kind="payment", reverses__isnull=False)
    assert counter.booked_on == back
    assert ledger.open_commitment(component.source) == Decimal("1000.00")
    assert figures(case.programme, "reintegration")[:2] == (Decimal("1000.00"), Decimal("0.00"))


def test_a_mixed_programme_pays_cash_only_up_to_its_share(
    counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission, gr: Mission
) -> None:
    case = _reintegration_case(counsellor_gr, supervisor_gr, pk, gr, payment="mixed", cash_share_max="0.3")
    cash = cash_component(case, supervisor_gr, case.programme, "1000")
    cash_component(case, supervisor_gr, case.programme, "2000", delivery="in_kind")
    with pytest.raises(ServiceError, match=r"at most 30% of the plan in cash \(900.00\)"):
        propose(reintegration_pk, case, kind=K.REINTEGRATION, component=cash)
    assert propose(reintegration_pk, case, kind=K.REINTEGRATION, component=cash, amount=Decimal("900")).amount == (
        Decimal("900.00")
    )


def test_only_a_cash_component_of_an_approved_plan_is_paid_in_cash(
    counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission, gr: Mission
) -> None:
    case = _reintegration_case(counsellor_gr, supervisor_gr, pk, gr, payment="cash")
    in_kind = cash_component(case, supervisor_gr, case.programme, delivery="in_kind")
    with pytest.raises(ServiceError, match="delivered in kind"):
        propose(reintegration_pk, case, kind=K.REINTEGRATION, component=in_kind)
    in_kind.plan.status = "draft"
    in_kind.plan.save(update_fields=["status"])
    cash = cash_component(case, supervisor_gr, case.programme)
    with pytest.raises(ServiceError, match="plan is not approved"):
        propose(reintegration_pk, case, kind=K.REINTEGRATION, component=cash)
    with pytest.raises(ServiceError, match="Choose the plan component"):
        propose(reintegration_pk, case, kind=K.REINTEGRATION)


def test_a_component_of_another_case_is_refused(
    counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission, gr: Mission
) -> None:
    case = _reintegration_case(counsellor_gr, supervisor_gr, pk, gr, payment="cash")
    other = register_case(counsellor_gr, gr, family_of_three("Rahimi"), counsellor=counsellor_gr)
    other = entitled(other, counsellor_gr, case.programme)
    foreign = cash_component(other, supervisor_gr, case.programme)
    with pytest.raises(ServiceError, match="this case's plan"):
        propose(reintegration_pk, case, kind=K.REINTEGRATION, component=foreign)


def test_no_grant_for_a_withdrawn_case(case: Case, counsellor_gr: User) -> None:
    set_status(case, S.WITHDRAWN)
    with pytest.raises(ServiceError, match="The case is withdrawn"):
        propose(counsellor_gr, case)
