"""Every write of health care before departure: appointments, referrals, medicines, the
fit-to-travel examination and its costs.

Rules common to all records: they are medical facts, so only a counsellor, supervisor or
movement officer of the host mission who may see medical facts records them
(``selectors.may_write``); they are about a member of the case; they are kept before departure.

Costs go through the ledger (``assistance.ledger``), source ``health:<id>``:
- a case supervisor who records a cost commits it on the budget line at once;
- anyone else's cost (a counsellor's, a movement officer's) waits until a case supervisor
  commits it (``cost_commit``) — that is the supervisor's decision to spend;
- overspending the line needs the supervisor's reason (the ledger's override rule);
- a finance officer pays a committed cost (``cost_pay``): the commitment is released and
  the payment booked in one transaction. Ledger notes say "health cost", never what the care
  was: finance officers read the ledger but not medical facts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.assistance import ledger
from homeward.assistance.models import LedgerEntry
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember
from homeward.core.audit import about_case, service
from homeward.core.errors import FieldErrors, ServiceError
from homeward.core.validation import full_clean
from homeward.health import selectors
from homeward.health.models import FitToTravelExam, HealthCost, MedicalAppointment, MedicalReferral, Medicine
from homeward.partners.models import Partner
from homeward.programmes.models import BudgetLine
from homeward.safeguarding import services as safeguarding
from homeward.safeguarding.selectors import checklist

CENT = Decimal("0.01")


def _refused(errors: FieldErrors) -> ServiceError:
    return ServiceError(_("Nothing was saved: check the fields marked."), errors)


def _require_write(user: User, case: Case) -> None:
    if not selectors.may_write(user, case):
        raise PermissionDenied(
            _(
                "Only a counsellor, supervisor or movement officer of the host mission who may see medical facts records health care."
            )
        )


def _require_before_departure(case: Case) -> None:
    if case.status not in workflow.BEFORE_DEPARTURE:
        raise ServiceError(
            _("Health care before departure is recorded before departure; this case is %(status)s.")
            % {"status": case.get_status_display()}
        )


def _check_member(case: Case, member: CaseMember | None, errors: FieldErrors) -> None:
    if member is None or member.case_id != case.pk:
        errors["member"] = [_("Choose a member of this case.")]


def _validate(record: Any, errors: FieldErrors, exclude: tuple[str, ...] = ()) -> None:
    """Field-level checks (required, lengths, choices) in the user's language, added to ``errors``."""
    try:
        full_clean(record, exclude=["case", "member", "recorded_by", *exclude], validate_constraints=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)


def _start(acting_user: User, case: Case, member: CaseMember | None) -> FieldErrors:
    _require_write(acting_user, case)
    _require_before_departure(case)
    errors = FieldErrors()
    _check_member(case, member, errors)
    return errors


def _save(record: Any, errors: FieldErrors, exclude: tuple[str, ...] = ()) -> Any:
    _validate(record, errors, exclude)
    if errors:
        raise _refused(errors)
    with about_case(record.case_id):
        record.save()
    return record


# ---------------------------------------------------------------- appointments and referrals


@service
def appointment_record(
    *,
    acting_user: User,
    case: Case,
    member: CaseMember,
    when: dt.datetime | None,
    purpose: str,
    provider: Partner | None = None,
    provider_name: str = "",
    status: str = MedicalAppointment.Status.PLANNED,
    outcome: str = "",
) -> MedicalAppointment:
    """Record a medical appointment. Rule: with a health partner of the host mission or a
    provider named in words (one of the two); a time; a purpose."""
    errors = _start(acting_user, case, member)
    provider_name = (provider_name or "").strip()
    if provider is not None and (provider.mission_id != case.host_mission_id or provider.kind != Partner.Kind.HEALTH):
        errors["provider"] = [_("Choose a health service of this mission.")]
    if provider is None and not provider_name:
        errors["provider_name"] = [_("Choose a provider from the directory or name one.")]
    record = MedicalAppointment(
        case=case, member=member, when=when, purpose=(purpose or "").strip(), provider=provider,
        provider_name="" if provider else provider_name, status=status, outcome=(outcome or "").strip(),
        recorded_by=acting_user,
    )  # fmt: skip
    return _save(record, errors, exclude=("provider",))


@service
def appointment_update(
    *, acting_user: User, appointment: MedicalAppointment, status: str, outcome: str = ""
) -> MedicalAppointment:
    """Say how an appointment went (attended, missed, cancelled) and its outcome."""
    case = appointment.case
    errors = _start(acting_user, case, appointment.member)
    if status not in MedicalAppointment.Status.values:
        errors["status"] = [_("Choose from the list.")]
    if errors:
        raise _refused(errors)
    appointment.status = status
    appointment.outcome = (outcome or "").strip()
    with about_case(case.pk):
        appointment.save(update_fields=["status", "outcome"])
    return appointment


@service
def referral_record(
    *, acting_user: User, case: Case, member: CaseMember, referred_to: str, reason: str, referred_on: dt.date | None
) -> MedicalReferral:
    """Record a referral to a specialist or service: to whom, why, when (not in the future)."""
    errors = _start(acting_user, case, member)
    errors.not_future("referred_on", referred_on)
    record = MedicalReferral(
        case=case, member=member, referred_to=(referred_to or "").strip(), reason=(reason or "").strip(),
        referred_on=referred_on, recorded_by=acting_user,
    )  # fmt: skip
    return _save(record, errors)


@service
def referral_update(*, acting_user: User, referral: MedicalReferral, status: str, answer: str = "") -> MedicalReferral:
    """Record the answer to a referral. Rule: a declined referral says why (the answer)."""
    case = referral.case
    errors = _start(acting_user, case, referral.member)
    if status not in MedicalReferral.Status.values:
        errors["status"] = [_("Choose from the list.")]
    elif status == MedicalReferral.Status.DECLINED and not (answer or "").strip():
        errors["answer"] = [_("Say why the referral was declined.")]
    if errors:
        raise _refused(errors)
    referral.status = status
    referral.answer = (answer or "").strip()
    with about_case(case.pk):
        referral.save(update_fields=["status", "answer"])
    return referral


@service
def medicine_record(
    *,
    acting_user: User,
    case: Case,
    member: CaseMember,
    name: str,
    quantity: int | None,
    supplied_on: dt.date | None,
    dosage: str = "",
    for_journey: bool = False,
    note: str = "",
) -> Medicine:
    """Record medicine supplied: at least one, on a day not in the future."""
    errors = _start(acting_user, case, member)
    if quantity is not None and quantity < 1:
        errors["quantity"] = [_("Give a quantity of at least one.")]
    errors.not_future("supplied_on", supplied_on)
    record = Medicine(
        case=case, member=member, name=(name or "").strip(), dosage=(dosage or "").strip(), quantity=quantity,
        supplied_on=supplied_on, for_journey=bool(for_journey), note=(note or "").strip(), recorded_by=acting_user,
    )  # fmt: skip
    return _save(record, errors)


# ---------------------------------------------------------------- fit to travel


@service
def exam_record(
    *,
    acting_user: User,
    case: Case,
    member: CaseMember,
    examined_on: dt.date | None,
    examiner: str,
    result: str,
    valid_until: dt.date | None = None,
    notes: str = "",
) -> FitToTravelExam:
    """Record a fit-to-travel examination; a "fit" result feeds the safeguarding checklist.

    Rules: examined on a day not in the future, valid until no earlier than that. The latest
    examination of a member decides (``workflow.no_traveller_unfit``): "unfit" blocks booking
    and departure. A "fit" or "fit with a medical escort" result that is still valid on the
    travel date (``workflow.travel_date``) records the checklist item "medical fit-to-travel"
    for every vulnerability of the member that calls for it, with the examination as evidence;
    "fit with a medical escort" also records "decision on a medical escort" where called for.
    Items already recorded are left alone.
    """
    errors = _start(acting_user, case, member)
    errors.not_future("examined_on", examined_on)
    if examined_on and valid_until and valid_until < examined_on:
        errors["valid_until"] = [_("An examination cannot be valid until before the day it was made.")]
    exam = FitToTravelExam(
        case=case, member=member, examined_on=examined_on, examiner=(examiner or "").strip(), result=result,
        valid_until=valid_until, notes=(notes or "").strip(), recorded_by=acting_user,
    )  # fmt: skip
    _save(exam, errors)
    if selectors.counts_on(exam, workflow.travel_date(case)):
        _feed_checklist(acting_user, case, member, exam)
    return exam


def _feed_checklist(acting_user: User, case: Case, member: CaseMember, exam: FitToTravelExam) -> None:
    evidence = _("Fit-to-travel examination of %(date)s by %(examiner)s: %(result)s.") % {
        "date": exam.examined_on.isoformat(),
        "examiner": exam.examiner,
        "result": exam.get_result_display(),
    }
    items = {"fit_to_travel"}
    if exam.result == FitToTravelExam.Result.FIT_WITH_ESCORT:
        items.add("escort_decision")
    visible = permissions.visible_sensitivities(acting_user, case)
    for required in checklist(case):
        if required.member.pk != member.pk or required.item not in items or required.done is not None:
            continue
        if required.sensitivity not in visible:
            continue  # someone who may see that vulnerability records its item
        text = evidence
        if required.item == "escort_decision":
            text = _("A medical escort travels with them. %(evidence)s") % {"evidence": evidence}
        safeguarding.item_record(
            acting_user=acting_user, case=case, member=member, vulnerability=required.vulnerability,
            item=required.item, done_on=exam.examined_on, evidence=text,
        )  # fmt: skip


# ---------------------------------------------------------------- costs


def may_commit(user: User, case: Case) -> bool:
    """A case supervisor of the host mission decides to spend (the ledger checks the programme too)."""
    return permissions.has_perm_in(user, Perm.SUPERVISE, case.host_mission_id)


def _amount(value: Any, errors: FieldErrors) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(CENT) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or amount <= 0:
        errors["amount"] = [_("Enter an amount more than zero, e.g. 45.50.")]
        return None
    return amount


def _commit(acting_user: User, cost: HealthCost, override_reason: str) -> HealthCost:
    entry = ledger.entry_book(
        acting_user=acting_user, budget_line=cost.budget_line, kind=LedgerEntry.Kind.COMMITMENT, amount=cost.amount,
        currency=cost.currency, booked_on=timezone.localdate(), source=cost.source, case=cost.case,
        note=_("health cost"), override_reason=override_reason,
    )  # fmt: skip
    cost.commitment = entry
    with about_case(cost.case_id):
        cost.save(update_fields=["commitment"])
    return cost


@service
def cost_record(
    *,
    acting_user: User,
    case: Case,
    member: CaseMember,
    what: str,
    amount: Any,
    currency: str,
    incurred_on: dt.date | None,
    budget_line: BudgetLine | None,
    override_reason: str = "",
) -> HealthCost:
    """Record a cost of care on a budget line of the case's programme.

    Rules: a positive amount in a three-letter currency, incurred on a day not in the future,
    on a line of the case's programme. A case supervisor's cost is committed at once (and
    refused whole if the ledger refuses it, e.g. over budget without a reason); anyone
    else's waits for a supervisor's ``cost_commit``.
    """
    errors = _start(acting_user, case, member)
    value = _amount(amount, errors)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = [_("Give the three-letter currency code, e.g. EUR.")]
    errors.not_future("incurred_on", incurred_on)
    if case.programme_id is None:
        errors["budget_line"] = [_("The case has no programme: the cost cannot be booked anywhere.")]
    elif budget_line is None or budget_line.programme_id != case.programme_id:
        errors["budget_line"] = [_("Choose a budget line of the case's programme.")]
    cost = HealthCost(
        case=case, member=member, what=(what or "").strip(), amount=value, currency=currency,
        incurred_on=incurred_on, budget_line=budget_line, recorded_by=acting_user,
    )  # fmt: skip
    _save(cost, errors, exclude=("budget_line", "amount", "currency"))
    if may_commit(acting_user, case):
        _commit(acting_user, cost, override_reason)
    return cost


@service
def cost_commit(*, acting_user: User, cost: HealthCost, override_reason: str = "") -> HealthCost:
    """A case supervisor commits a cost recorded by someone else (over budget only with a reason)."""
    cost = HealthCost.objects.select_for_update().select_related("case", "budget_line").get(pk=cost.pk)
    if not (may_commit(acting_user, cost.case) and selectors.may_read(acting_user, cost.case)):
        raise PermissionDenied(_("Only a case supervisor of the host mission commits a health cost."))
    if cost.commitment_id is not None:
        raise ServiceError(_("This cost is already committed."))
    return _commit(acting_user, cost, override_reason)


@service
def cost_pay(*, acting_user: User, cost: HealthCost, paid_on: dt.date | None) -> HealthCost:
    """A finance officer records a committed cost as paid.

    Rules: a finance officer of a mission of the programme (the ledger's rule); committed
    first and paid once; paid on a day not in the future and not before it was incurred.
    The commitment is released and the payment booked together.
    """
    cost = HealthCost.objects.select_for_update().select_related("case", "budget_line").get(pk=cost.pk)
    if not permissions.has_case_perm(acting_user, Perm.PAY, cost.case):
        raise PermissionDenied(_("Only a finance officer pays a health cost."))
    if cost.payment_id is not None:
        raise ServiceError(_("This cost has already been paid."))
    if cost.commitment_id is None:
        raise ServiceError(_("A case supervisor has not committed this cost yet: it cannot be paid."))
    errors = FieldErrors()
    if paid_on is None:
        errors["paid_on"] = [_("Give the date it was paid.")]
    else:
        errors.not_future("paid_on", paid_on)
        if paid_on < cost.incurred_on:
            errors["paid_on"] = [_("A cost is not paid before it was incurred.")]
    if errors:
        raise _refused(errors)
    ledger.entry_release(acting_user=acting_user, source=cost.source, booked_on=paid_on)
    cost.payment = ledger.entry_book(
        acting_user=acting_user, budget_line=cost.budget_line, kind=LedgerEntry.Kind.PAYMENT, amount=cost.amount,
        currency=cost.currency, booked_on=paid_on, source=cost.source, case=cost.case, note=_("health cost paid"),
    )  # fmt: skip
    with about_case(cost.case_id):
        cost.save(update_fields=["payment"])
    return cost
