"""Health care before departure: who reads and writes it, fit to travel and the journey's gates, costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.assistance.models import LedgerEntry
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.health import selectors, services
from homeward.health.models import FitToTravelExam, HealthCost, MedicalAppointment
from homeward.programmes.models import Programme
from homeward.safeguarding.models import ChecklistItem
from tests import journey, money
from tests.health.conftest import member

pytestmark = pytest.mark.django_db
S = CaseStatus
TODAY = dt.date.today


def exam(user: User, case: Case, who: str, result: str = "fit", **overrides: object) -> FitToTravelExam:
    values: dict[str, object] = {
        "examined_on": timezone.localdate(), "examiner": "Dr Papadopoulou", "result": result,
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
    }  # fmt: skip
    values.update(overrides)
    return services.exam_record(acting_user=user, case=case, member=member(case, who), **values)  # type: ignore[arg-type]


def cost(user: User, case: Case, programme: Programme, amount: str = "120.00", **overrides: object) -> HealthCost:
    values: dict[str, object] = {
        "what": "Cardiology consultation", "amount": Decimal(amount), "currency": "EUR",
        "incurred_on": timezone.localdate(), "budget_line": money.line(programme, "other"),
    }  # fmt: skip
    values.update(overrides)
    return services.cost_record(acting_user=user, case=case, member=member(case, "Imran"), **values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- who reads and writes


def test_a_finance_officer_and_an_me_officer_cannot_read_health_details(
    case: Case, counsellor_gr: User, finance_gr: User, me_gr: User
) -> None:
    exam(counsellor_gr, case, "Imran")
    for user in (finance_gr, me_gr):
        assert not selectors.may_read(user, case)
        with pytest.raises(PermissionDenied):
            selectors.case_health(user, case)


def test_a_movement_officer_reads_and_records_health_care(case: Case, counsellor_gr: User, movement_gr: User) -> None:
    exam(counsellor_gr, case, "Imran")
    assert [e.examiner for e in selectors.case_health(movement_gr, case).exams] == ["Dr Papadopoulou"]
    services.medicine_record(
        acting_user=movement_gr, case=case, member=member(case, "Imran"), name="Bisoprolol", dosage="5 mg daily",
        quantity=30, supplied_on=timezone.localdate(), for_journey=True,
    )  # fmt: skip
    assert selectors.case_health(movement_gr, case).medicines[0].for_journey


def test_a_finance_officer_cannot_record_health_care(case: Case, finance_gr: User) -> None:
    with pytest.raises(PermissionDenied):
        exam(finance_gr, case, "Imran")
    assert not FitToTravelExam.objects.exists()


def test_a_counsellor_of_another_mission_cannot_record(case: Case, counsellor_ro: User) -> None:
    with pytest.raises(PermissionDenied):
        exam(counsellor_ro, case, "Imran")


def test_bad_input_names_each_field_and_saves_nothing(case: Case, counsellor_gr: User, case_ro: Case) -> None:
    with pytest.raises(ServiceError) as error:
        services.appointment_record(
            acting_user=counsellor_gr, case=case, member=case_ro.members.first(), when=None, purpose="",
        )  # fmt: skip
    assert {"member", "when", "purpose", "provider_name"} <= set(error.value.fields)
    with pytest.raises(ServiceError) as error:
        exam(counsellor_gr, case, "Imran", examined_on=TODAY() + dt.timedelta(days=1), result="maybe")
    assert set(error.value.fields) >= {"examined_on", "result"}
    with pytest.raises(ServiceError) as error:
        exam(counsellor_gr, case, "Imran", valid_until=TODAY() - dt.timedelta(days=3))
    assert "valid_until" in error.value.fields
    assert not MedicalAppointment.objects.exists()
    assert not FitToTravelExam.objects.exists()


def test_an_appointment_with_a_health_partner_of_another_mission_is_refused(
    case: Case, counsellor_gr: User, counsellor_ro: User, ro: object
) -> None:
    from homeward.partners.models import Partner

    clinic = Partner.objects.create(mission=ro, kind="health", name="Clinica", country="RO", created_by=counsellor_ro)
    with pytest.raises(ServiceError) as error:
        services.appointment_record(
            acting_user=counsellor_gr, case=case, member=member(case, "Imran"), when=timezone.now(),
            purpose="check-up", provider=clinic,
        )  # fmt: skip
    assert "provider" in error.value.fields


# ---------------------------------------------------------------- fit to travel and the gate


def test_a_fit_exam_records_the_safeguarding_item_with_the_exam_as_evidence(case: Case, counsellor_gr: User) -> None:
    exam(counsellor_gr, case, "Imran")
    item = ChecklistItem.objects.get(member=member(case, "Imran"), item="fit_to_travel")
    assert item.vulnerability == "serious_medical_condition"
    assert "Dr Papadopoulou" in item.evidence
    assert "fit to travel" in item.evidence
    # Sana's is her own exam's to record; the escort decision is not noted for a plain "fit".
    assert not ChecklistItem.objects.filter(member=member(case, "Sana")).exists()
    assert not ChecklistItem.objects.filter(item="escort_decision").exists()


def test_fit_with_an_escort_also_notes_the_escort_decision(case: Case, movement_gr: User) -> None:
    exam(movement_gr, case, "Imran", result="fit_with_escort")
    items = set(ChecklistItem.objects.filter(member=member(case, "Imran")).values_list("item", flat=True))
    assert items == {"fit_to_travel", "escort_decision"}


def test_an_unfit_or_expired_exam_records_nothing(case: Case, counsellor_gr: User) -> None:
    exam(counsellor_gr, case, "Imran", result="unfit")
    earlier = TODAY() - dt.timedelta(days=20)
    exam(counsellor_gr, case, "Sana", examined_on=earlier, valid_until=earlier + dt.timedelta(days=5))
    assert not ChecklistItem.objects.exists()
    assert FitToTravelExam.objects.count() == 2


def booked_ready(case: Case, counsellor: User, movement: User) -> None:
    """Travel preparation with documents, a confirmed booking and the checklist items other than health's."""
    Case.objects.filter(pk=case.pk).update(legal_status="protection_rejected", status=S.REGISTERED)
    case.refresh_from_db()
    prog = journey.programme()
    journey.assess(case, counsellor, prog)
    journey.move(case, counsellor, S.IN_COUNSELLING)
    journey.counsel(case, counsellor)
    journey.move(case, counsellor, S.RETURN_DECLARED)
    journey.declare(case, counsellor)
    journey.move(case, counsellor, S.TRAVEL_PREPARATION)
    journey.issue_documents(case, movement)
    journey.book(case, movement)


def refusal(case: Case, user: User, to: str) -> str:
    with pytest.raises(ServiceError) as error:
        journey.move(case, user, to)
    return error.value.message


def test_fit_exams_let_the_safeguarding_gate_pass(case: Case, counsellor_gr: User, movement_gr: User) -> None:
    booked_ready(case, counsellor_gr, movement_gr)
    assert "safeguarding checklist is not complete" in refusal(case, movement_gr, S.TRAVEL_BOOKED)
    exam(counsellor_gr, case, "Imran", result="fit_with_escort")
    exam(counsellor_gr, case, "Sana")
    from homeward.safeguarding.selectors import missing_items

    still = {r.item for r in missing_items(case)}
    assert still == {"continuity_of_care", "travel_assistance_needs"}
    # What health does not decide is recorded by hand.
    journey.safeguard(case, counsellor_gr)
    journey.move(case, movement_gr, S.TRAVEL_BOOKED)
    case.refresh_from_db()
    assert case.status == S.TRAVEL_BOOKED


def test_unfit_blocks_booking_with_the_guard_message(
    case: Case, counsellor_gr: User, movement_gr: User, finance_gr: User
) -> None:
    booked_ready(case, counsellor_gr, movement_gr)
    exam(counsellor_gr, case, "Ayesha", result="unfit")
    journey.safeguard(case, counsellor_gr)
    assert "Ayesha Khan was found unfit to travel." in refusal(case, movement_gr, S.TRAVEL_BOOKED)
    # The latest exam decides.
    exam(counsellor_gr, case, "Ayesha", result="fit")
    journey.move(case, movement_gr, S.TRAVEL_BOOKED)
    case.refresh_from_db()
    assert case.status == S.TRAVEL_BOOKED


def test_the_guard_names_the_traveller_only_to_who_may_see_medical_facts(
    case: Case, counsellor_gr: User, finance_gr: User, movement_gr: User
) -> None:
    from homeward.cases import workflow

    exam(counsellor_gr, case, "Ayesha", result="unfit")
    for_finance = workflow.no_traveller_unfit(case, workflow.Attempt(finance_gr))
    assert for_finance == "A traveller was found unfit to travel."
    assert "Ayesha" in (workflow.no_traveller_unfit(case, workflow.Attempt(movement_gr)) or "")


def test_an_exam_valid_only_until_before_the_journey_ends_does_not_count(
    case: Case, counsellor_gr: User, movement_gr: User
) -> None:
    booked_ready(case, counsellor_gr, movement_gr)  # the journey ends in two days
    exam(counsellor_gr, case, "Ayesha", valid_until=timezone.localdate())
    journey.safeguard(case, counsellor_gr)
    assert "is valid only until" in refusal(case, movement_gr, S.TRAVEL_BOOKED)


def test_health_care_is_recorded_before_departure_only(case: Case, counsellor_gr: User) -> None:
    journey.set_status(case, S.DEPARTED)
    with pytest.raises(ServiceError, match="before departure"):
        exam(counsellor_gr, case, "Imran")


# ---------------------------------------------------------------- costs


def test_a_supervisors_cost_is_committed_on_the_line_at_once(
    case: Case, supervisor_gr: User, programme: Programme
) -> None:
    recorded = cost(supervisor_gr, case, programme)
    entry = recorded.commitment
    assert (entry.kind, entry.amount, entry.source, entry.case_id) == ("commitment", Decimal("120.00"),
                                                                        f"health:{recorded.pk}", case.pk)  # fmt: skip
    assert "Cardiology" not in entry.note  # finance reads the ledger, not medical facts
    assert ledger.figures(money.line(programme, "other")).committed == Decimal("120.00")


def test_a_counsellors_cost_waits_for_a_supervisor(
    case: Case, counsellor_gr: User, supervisor_gr: User, programme: Programme
) -> None:
    recorded = cost(counsellor_gr, case, programme)
    assert recorded.state == "waiting"
    assert not LedgerEntry.objects.exists()
    with pytest.raises(PermissionDenied):
        services.cost_commit(acting_user=counsellor_gr, cost=recorded)
    services.cost_commit(acting_user=supervisor_gr, cost=recorded)
    recorded.refresh_from_db()
    assert recorded.state == "committed"


def test_a_finance_officer_pays_a_committed_cost_releasing_the_commitment(
    case: Case, supervisor_gr: User, finance_gr: User, programme: Programme
) -> None:
    recorded = cost(supervisor_gr, case, programme)
    assert list(selectors.costs_to_pay(finance_gr)) == [recorded]
    services.cost_pay(acting_user=finance_gr, cost=recorded, paid_on=timezone.localdate())
    recorded.refresh_from_db()
    assert recorded.state == "paid"
    figures = ledger.figures(money.line(programme, "other"))
    assert (figures.committed, figures.spent) == (Decimal(0), Decimal("120.00"))
    assert LedgerEntry.objects.filter(source=recorded.source).count() == 3  # commit, release, pay
    with pytest.raises(ServiceError, match="already been paid"):
        services.cost_pay(acting_user=finance_gr, cost=recorded, paid_on=timezone.localdate())


def test_an_uncommitted_cost_is_not_paid(
    case: Case, counsellor_gr: User, finance_gr: User, programme: Programme
) -> None:
    recorded = cost(counsellor_gr, case, programme)
    with pytest.raises(ServiceError, match="not committed"):
        services.cost_pay(acting_user=finance_gr, cost=recorded, paid_on=timezone.localdate())


def test_over_budget_is_refused_whole_without_a_supervisors_reason(
    case: Case, supervisor_gr: User, programme: Programme
) -> None:
    with pytest.raises(ServiceError) as error:
        cost(supervisor_gr, case, programme, amount="600.00")
    assert "overspend" in error.value.message
    assert "override_reason" in error.value.fields
    assert not HealthCost.objects.exists()
    assert not LedgerEntry.objects.exists()
    recorded = cost(supervisor_gr, case, programme, amount="600.00", override_reason="emergency surgery")
    assert recorded.commitment.override_reason == "emergency surgery"


def test_a_cost_in_another_currency_needs_a_rate(case: Case, supervisor_gr: User, programme: Programme) -> None:
    with pytest.raises(ServiceError, match="No exchange rate"):
        cost(supervisor_gr, case, programme, currency="USD")
    assert not HealthCost.objects.exists()
    money.rate("USD", "EUR", "0.90")
    recorded = cost(supervisor_gr, case, programme, amount="100.00", currency="USD")
    assert recorded.commitment.amount == Decimal("90.00")


def test_a_cost_goes_on_a_line_of_the_cases_programme(case: Case, supervisor_gr: User, programme: Programme) -> None:
    other = money.money_programme(code="GR/OTHER", budget={"other": 100})
    with pytest.raises(ServiceError) as error:
        cost(supervisor_gr, case, programme, budget_line=money.line(other, "other"), amount="-5")
    assert set(error.value.fields) >= {"budget_line", "amount"}
