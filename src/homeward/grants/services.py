"""Every write of grants: propose, approve, pay, cancel, return, re-issue, attach a receipt.

The money itself lives in the ledger (decision 0009): approval commits the grant
(``grant:<id>``), payment releases that commitment and books the payment in one
transaction, a return reverses the payment with a counter-entry. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.assistance.models import LedgerEntry
from homeward.cases.models import Case, CaseMember
from homeward.cases.workflow import BEFORE_DEPARTURE, EXITS
from homeward.core import files
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.grants import entitlements, policy, selectors
from homeward.grants.models import Grant
from homeward.programmes.models import BudgetLine
from homeward.programmes.services import convert, rate_for
from homeward.reintegration.models import Component

K = Grant.Kind
S = Grant.Status
CENT = Decimal("0.01")


def _refuse(message: str, field: str | None = None) -> ServiceError:
    return ServiceError(message, {field: [message]} if field else None)


def _amount(value: Any, field: str = "amount") -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except InvalidOperation:
        raise _refuse(_("Enter an amount, e.g. 120.50."), field) from None
    if amount <= 0:
        raise _refuse(_("The amount must be more than zero."), field)
    return amount


def _lock(grant: Grant) -> Grant:
    """Re-read under a row lock: two people acting on one grant queue up; the second sees the first's work."""
    return (
        Grant.objects.select_for_update(of=("self",))
        .select_related("case", "budget_line", "component__plan")
        .get(pk=grant.pk)
    )


def _save(grant: Grant, fields: list[str]) -> Grant:
    grant.version += 1
    with about_case(grant.case_id):
        grant.save(update_fields=[*fields, "version"])
    return grant


def _status_refusal(grant: Grant, action: str) -> ServiceError:
    return ServiceError(
        _("This grant is %(status)s: it cannot be %(action)s.")
        % {"status": grant.get_status_display(), "action": action}
    )


def _budget_line(programme: Any, kind: str) -> BudgetLine:
    """Rule: cash grants are booked on the programme's cash-grants line, reintegration cash on its reintegration line."""
    category = BudgetLine.Category.REINTEGRATION if kind == K.REINTEGRATION else BudgetLine.Category.CASH_GRANTS
    line = programme.budget_lines.filter(category=category).order_by("pk").first()
    if line is None:
        raise ServiceError(
            _("The programme %(programme)s has no %(line)s budget line: the grant cannot be booked anywhere.")
            % {"programme": programme.code, "line": BudgetLine.Category(category).label}
        )
    return line


# ---------------------------------------------------------------- propose


@service
def grant_propose(
    *,
    acting_user: User,
    case: Case,
    kind: str,
    member: CaseMember | None = None,
    days: int | None = None,
    amount: Decimal | None = None,
    at_airport: bool = False,
    note: str = "",
    override_reason: str = "",
    component: Any = None,
) -> Grant:
    """Propose a grant whose amount is computed from the programme's entitlements.

    Rules:
    - who: pre-departure cash and per diem by a counsellor of the host mission; the
      arrival grant and reintegration cash also by a reintegration officer of the
      origin mission (``policy.may_propose``);
    - the case is assessed eligible and the benefit's amounts are confirmed
      ("nobody has confirmed the amount" otherwise); the programme gives the benefit;
    - the amount is the entitlement (``grants.entitlements``: a member's lines or the
      household's, never more than what is left; per diem ``days × per_day``); a
      different amount may be given, but above the entitlement only with a reason,
      which the approving supervisor then weighs (only supervisors approve);
    - one live grant (not cancelled or returned) per kind per member, or for the household;
    - reintegration in cash only for a cash component of an approved plan, never above its
      budget, never where the programme pays in kind only, and with ``mixed`` within its cash share;
    - cash before departure only while the case has not left; nothing for a closed case;
      only cash given before departure is handed over at the airport;
    - the programme has the budget line it is booked on.
    """
    if kind not in K.values:
        raise _refuse(_("Choose the kind of grant from the list."), "kind")
    if not policy.may_propose(acting_user, case, kind):
        raise PermissionDenied(_("Your role may not propose this grant for this case."))
    # One proposal per case at a time, so two cannot both pass the "one live grant" check.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status in EXITS:
        raise ServiceError(_("The case is %(status)s: no grant is proposed.") % {"status": case.get_status_display()})
    if kind in policy.BEFORE_DEPARTURE_KINDS and case.status not in BEFORE_DEPARTURE:
        raise ServiceError(
            _("The case is %(status)s: %(kind)s is given only before departure.")
            % {"status": case.get_status_display(), "kind": entitlements.kind_label(kind)}
        )
    if at_airport and kind not in policy.BEFORE_DEPARTURE_KINDS:
        raise _refuse(_("Only cash given before departure is handed over at the airport."), "at_airport")
    if member is not None and member.case_id != case.pk:
        raise _refuse(_("Choose a member of this case."), "member")
    basis = entitlements.require_basis(case, kind)
    computed = entitlements.compute(basis, case, kind, member=member, days=days, component=component)
    member = computed.member
    _refuse_second_live(case, kind, member, component)
    given = _amount(amount)
    value = given if given is not None else computed.entitled
    reason = override_reason.strip()
    if kind == K.REINTEGRATION:
        if value > computed.entitled:
            raise _refuse(
                _("The component's budget is %(budget)s %(currency)s: the cash grant cannot be more.")
                % {"budget": computed.entitled, "currency": computed.currency},
                "amount",
            )
        entitlements.check_cash_share(basis, case, value)
        reason = ""
    elif value <= 0:
        raise _refuse(
            _("Nothing is left of the %(kind)s entitlement: give an amount and the reason for exceeding it.")
            % {"kind": entitlements.kind_label(kind)},
            "amount",
        )
    elif value > computed.entitled:
        if not reason:
            message = _("%(amount)s %(currency)s is above the entitlement of %(entitled)s %(currency)s: say why.") % {
                "amount": value,
                "currency": computed.currency,
                "entitled": computed.entitled,
            }
            raise ServiceError(message, {"override_reason": [_("Give the reason for exceeding the entitlement.")]})
    else:
        reason = ""  # a reason is kept only where it was needed
    line = _budget_line(basis.programme, kind)
    with about_case(case.pk):
        return Grant.objects.create(
            case=case, member=member, kind=kind, component=component if kind == K.REINTEGRATION else None,
            budget_line=line, amount=value, currency=computed.currency, entitled_amount=computed.entitled,
            basis=computed.basis, days=computed.days, override_reason=reason, at_airport=bool(at_airport),
            note=note.strip(), proposed_by=acting_user,
        )  # fmt: skip


def _refuse_second_live(case: Case, kind: str, member: Any, component: Any) -> None:
    live = Grant.objects.filter(case=case, kind=kind, status__in=policy.LIVE)
    if kind == K.REINTEGRATION:
        # One live grant per component; the database holds it to one too.
        earlier = live.filter(component=component).first() if component is not None else None
        if earlier is not None:
            raise _refuse(
                _("This component already has a cash grant (%(status)s): cancel or return it before proposing another.")
                % {"status": earlier.get_status_display()},
                "component",
            )
        return
    same = live.filter(member=member) if member is not None else live.filter(member__isnull=True)
    if same.exists():
        who = member.person.full_name if member is not None else _("the household")
        raise _refuse(
            _("%(who)s already has a %(kind)s grant: cancel or return it before proposing another.")
            % {"who": who, "kind": entitlements.kind_label(kind)},
            "member",
        )


# ---------------------------------------------------------------- approve


@service
def grant_approve(*, acting_user: User, grant: Grant, override_reason: str = "") -> Grant:
    """Approve a proposed grant and commit its amount on the programme's budget line.

    Rules: a supervisor of the host mission (of the origin mission for the arrival
    grant and reintegration cash) who did not propose it; only a proposed grant of an open case; the commitment
    (``grant:<id>``) may overspend the line only with the supervisor's ``override_reason``.
    Reintegration cash takes over its component's commitment, so the money is not
    committed twice.
    """
    grant = _lock(grant)
    if not policy.may_approve(acting_user, grant):
        if policy.approving_mission(grant.case, grant.kind) is None:
            raise PermissionDenied(
                _("No origin mission has accepted this case yet: its supervisor approves this grant.")
            )
        raise PermissionDenied(_("Only a supervisor of the mission approves this grant."))
    if grant.proposed_by_id == acting_user.pk:
        raise PermissionDenied(_("You proposed this grant: another person approves it."))
    if grant.status != S.PROPOSED:
        raise _status_refusal(grant, _("approved"))
    case = grant.case
    if case.status in EXITS:
        raise ServiceError(_("The case is %(status)s: no grant is approved.") % {"status": case.get_status_display()})
    _refuse_cancelled_component(grant)
    today = timezone.localdate()
    if grant.kind == K.REINTEGRATION and grant.component is not None:
        in_line, _rate = convert(grant.amount, grant.currency, grant.budget_line.currency, today)
        ledger.entry_release(acting_user=acting_user, source=grant.component.source, booked_on=today, amount=in_line,
                             note=_("paid in cash through %(source)s") % {"source": grant.source})  # fmt: skip
    ledger.entry_book(
        acting_user=acting_user, budget_line=grant.budget_line, kind=LedgerEntry.Kind.COMMITMENT, amount=grant.amount,
        currency=grant.currency, booked_on=today, source=grant.source, case=case,
        note=str(grant), override_reason=override_reason,
    )  # fmt: skip
    grant.status = S.APPROVED
    grant.approved_by = acting_user
    grant.approved_at = timezone.now()
    return _save(grant, ["status", "approved_by", "approved_at"])


def _refuse_cancelled_component(grant: Grant) -> None:
    if grant.component is not None and grant.component.status == Component.Status.CANCELLED:
        raise ServiceError(_("Its plan component has been cancelled: this grant is not approved or paid."))


def _back_to_component(acting_user: User, grant: Grant, on: dt.date) -> None:
    """Reintegration cash that will not be paid after all: its component holds the money again."""
    if grant.kind != K.REINTEGRATION or grant.component is None or grant.component.status == Component.Status.CANCELLED:
        return
    ledger.entry_book(
        acting_user=acting_user, budget_line=grant.budget_line, kind=LedgerEntry.Kind.COMMITMENT, amount=grant.amount,
        currency=grant.currency, booked_on=on, source=grant.component.source, case=grant.case, cause=grant.source,
        note=_("back to the component from %(source)s") % {"source": grant.source},
    )  # fmt: skip


# ---------------------------------------------------------------- pay


def _rate(currency: str, paid_currency: str, on: dt.date) -> Decimal:
    """Units of ``paid_currency`` for one unit of ``currency`` on ``on`` (the latest rate entered on or
    before it, ``programmes.services.rate_for``); a rate entered the other way round serves too."""
    rate = rate_for(currency, paid_currency, on)
    if rate is not None:
        return rate.rate
    inverse = rate_for(paid_currency, currency, on)
    if inverse is not None:
        return (Decimal(1) / inverse.rate).quantize(Decimal("0.00000001"))
    message = _("No exchange rate for %(paid)s→%(currency)s on %(date)s: enter one first.") % {
        "paid": paid_currency,
        "currency": currency,
        "date": on.isoformat(),
    }
    raise ServiceError(message, {"paid_currency": [message]})


def _check_receipt(receipt: Any, method: str, errors: dict[str, list[str]]) -> str:
    if receipt is None:
        if method == Grant.Method.CASH:
            errors["receipt"] = [_("Cash is paid against a receipt the returnee signed: upload its scan.")]
        return ""
    try:
        return files.check_upload(receipt, field="receipt")
    except ServiceError as error:
        errors.update(error.fields)
        return ""


@service
def grant_pay(
    *,
    acting_user: User,
    grant: Grant,
    paid_on: dt.date,
    method: str,
    paid_amount: Decimal | None = None,
    paid_currency: str | None = None,
    payment_reference: str = "",
    receipt: Any = None,
) -> Grant:
    """Record the payment of an approved grant and book it in the ledger.

    Rules: a finance officer of the host or origin mission, never the one who approved it
    (a check constraint holds this in the database too); once (the grant's status is
    checked under a row lock, and the ledger keeps one live payment per source); cash
    against a signed receipt's scan; paid in another currency, converted at the rate of
    the day paid (refused without one) and never more than the grant; the commitment is
    released and the payment booked in one transaction. The payment is booked in the
    grant's currency (what was paid, in what and at which rate, stays on the grant), so
    the ledger needs no second rate.
    """
    grant = _lock(grant)
    if not policy.may_pay(acting_user, grant):
        raise PermissionDenied(_("Only a finance officer of the mission pays grants."))
    if grant.status == S.PAID:
        raise ServiceError(_("This grant has already been paid."))
    if grant.status != S.APPROVED:
        raise _status_refusal(grant, _("paid"))
    _refuse_cancelled_component(grant)
    if grant.approved_by_id == acting_user.pk:
        # Separation of duties; a check constraint holds it in the database too.
        raise ServiceError(_("You approved this grant: someone else pays it."))
    errors: dict[str, list[str]] = {}
    if paid_on is None:
        errors["paid_on"] = [_("Give the date it was paid.")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date of payment cannot be in the future.")]
    elif grant.approved_at and paid_on < timezone.localdate(grant.approved_at):
        errors["paid_on"] = [
            _("The grant was approved on %(date)s: it cannot have been paid before.")
            % {"date": timezone.localdate(grant.approved_at).isoformat()}
        ]
    if method not in Grant.Method.values:
        errors["method"] = [_("Choose how it was paid.")]
    content_type = _check_receipt(receipt, method, errors)
    if errors:
        raise ServiceError(_("The payment was not recorded: check the fields marked."), errors)
    currency = (paid_currency or grant.currency).strip().upper()
    rate = _rate(grant.currency, currency, paid_on) if currency != grant.currency else None
    due = grant.amount if rate is None else (grant.amount * rate).quantize(CENT)
    paid = _amount(paid_amount, "paid_amount")
    paid = due if paid is None else paid
    if paid > due:
        raise _refuse(
            _("%(paid)s %(currency)s is more than the grant (%(due)s %(currency)s).")
            % {"paid": paid, "due": due, "currency": currency},
            "paid_amount",
        )
    in_grant_currency = grant.amount if paid == due else (paid / (rate or Decimal(1))).quantize(CENT)
    note = _("%(grant)s paid: %(paid)s %(currency)s") % {"grant": grant, "paid": paid, "currency": currency}
    ledger.entry_release(acting_user=acting_user, source=grant.source, booked_on=paid_on)
    ledger.entry_book(
        acting_user=acting_user, budget_line=grant.budget_line, kind=LedgerEntry.Kind.PAYMENT,
        amount=in_grant_currency, currency=grant.currency, booked_on=paid_on, source=grant.source,
        case=grant.case, note=note,
    )  # fmt: skip
    grant.status = S.PAID
    grant.paid_by = acting_user
    grant.paid_on = paid_on
    grant.paid_amount = paid
    grant.paid_currency = currency
    grant.rate = rate
    grant.method = method
    grant.payment_reference = payment_reference.strip()
    fields = ["status", "paid_by", "paid_on", "paid_amount", "paid_currency", "rate", "method", "payment_reference"]
    if receipt is not None:
        grant.receipt.save(files.stored_name("receipt", content_type), receipt, save=False)
        grant.receipt_content_type = content_type
        fields += ["receipt", "receipt_content_type"]
    return _save(grant, fields)


@service
def grant_attach_receipt(*, acting_user: User, grant: Grant, receipt: Any) -> Grant:
    """Keep the receipt of a grant paid without one at the time (a bank transfer's slip, a card's record).

    Rules: a finance officer of the mission; a paid grant; a PDF, JPEG or PNG; a receipt
    is never replaced (a signed receipt is evidence).
    """
    grant = _lock(grant)
    if not policy.may_pay(acting_user, grant):
        raise PermissionDenied(_("Only a finance officer of the mission keeps a grant's receipt."))
    if grant.status != S.PAID:
        raise ServiceError(_("Only a paid grant has a receipt."))
    if grant.receipt:
        raise ServiceError(_("This grant already has its receipt: a receipt is never replaced."))
    if receipt is None:
        raise _refuse(_("Choose the scan of the receipt."), "receipt")
    content_type = files.check_upload(receipt, field="receipt")
    grant.receipt.save(files.stored_name("receipt", content_type), receipt, save=False)
    grant.receipt_content_type = content_type
    return _save(grant, ["receipt", "receipt_content_type"])


# ---------------------------------------------------------------- undo


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_("Say why."), field)
    return reason


@service
def grant_cancel(*, acting_user: User, grant: Grant, reason: str) -> Grant:
    """Cancel a grant before it is paid. Rules: with a reason; a proposal by those who may
    propose or approve it, an approved grant by a supervisor or a finance officer; the
    commitment is released. A paid grant is not cancelled: its cash is returned."""
    grant = _lock(grant)
    if not policy.may_cancel(acting_user, grant):
        raise PermissionDenied(_("Your role may not cancel this grant."))
    if grant.status not in (S.PROPOSED, S.APPROVED):
        if grant.status == S.PAID:
            raise ServiceError(_("This grant has been paid: record the cash returned instead of cancelling it."))
        raise _status_refusal(grant, _("cancelled"))
    grant.cancel_reason = _reason(reason)
    if grant.status == S.APPROVED:
        ledger.entry_release(acting_user=acting_user, source=grant.source, booked_on=timezone.localdate(),
                             note=_("grant cancelled: %(reason)s") % {"reason": grant.cancel_reason})  # fmt: skip
        _back_to_component(acting_user, grant, timezone.localdate())
    grant.status = S.CANCELLED
    return _save(grant, ["status", "cancel_reason"])


@service
def grant_return(*, acting_user: User, grant: Grant, reason: str, returned_on: dt.date | None = None) -> Grant:
    """Record cash that was not used (a no-show, a withdrawal) as given back.

    Rules: with a reason; a paid grant by a finance officer, whose payment is reversed
    by a counter-entry; an approved grant's cash also by its supervisor, whose commitment
    is released; not before it was handed over, not in the future. The grant then
    counts against the entitlement no more.
    """
    grant = _lock(grant)
    if not policy.may_return(acting_user, grant):
        raise PermissionDenied(_("Only a finance officer of the mission takes cash back."))
    if grant.status not in (S.APPROVED, S.PAID):
        raise _status_refusal(grant, _("returned"))
    if grant.reissued_on is not None:
        raise ServiceError(_("This cash was handed over again on a later departure: it is not returned."))
    text = _reason(reason)
    on = returned_on or timezone.localdate()
    if on > timezone.localdate():
        raise _refuse(_("The date of return cannot be in the future."), "returned_on")
    if grant.paid_on and on < grant.paid_on:
        raise _refuse(_("The cash cannot come back before it was paid."), "returned_on")
    if grant.status == S.PAID:
        payment = LedgerEntry.objects.filter(
            source=grant.source, kind=LedgerEntry.Kind.PAYMENT, reverses__isnull=True, reversed_at__isnull=True
        ).first()
        if payment is not None:
            ledger.entry_reverse(acting_user=acting_user, entry=payment, booked_on=on,
                                 reason=_("cash returned: %(reason)s") % {"reason": text})  # fmt: skip
    else:
        ledger.entry_release(acting_user=acting_user, source=grant.source, booked_on=on,
                             note=_("cash returned: %(reason)s") % {"reason": text})  # fmt: skip
    _back_to_component(acting_user, grant, on)
    grant.status = S.RETURNED
    grant.returned_on = on
    grant.settled_by = acting_user
    grant.settlement_note = text
    return _save(grant, ["status", "returned_on", "settled_by", "settlement_note"])


@service
def grant_reissue(*, acting_user: User, grant: Grant, note: str, reissued_on: dt.date | None = None) -> Grant:
    """Record that cash prepared for a departure that did not happen was handed over again
    on a later one. Rules: cash handed over at the airport, approved or paid, not returned
    or re-issued already; with a note saying when and how; by a finance officer, a movement
    officer or a supervisor of the case's missions. It then leaves the reconciliation."""
    grant = _lock(grant)
    if not policy.may_reconcile(acting_user, grant.case):
        raise PermissionDenied(_("Your role does not reconcile airport cash."))
    if not grant.at_airport:
        raise ServiceError(_("Only cash handed over at the airport is re-issued."))
    if grant.status not in (S.APPROVED, S.PAID):
        raise _status_refusal(grant, _("re-issued"))
    if grant.reissued_on is not None:
        raise ServiceError(_("This cash has already been re-issued."))
    if not selectors.airport_cash_to_reconcile(acting_user, grant.case).filter(pk=grant.pk).exists():
        raise ServiceError(_("The traveller departed with this cash: there is nothing to re-issue."))
    text = _reason(note, "note")
    on = reissued_on or timezone.localdate()
    if on > timezone.localdate():
        raise _refuse(_("The date cannot be in the future."), "reissued_on")
    grant.reissued_on = on
    grant.settled_by = acting_user
    grant.settlement_note = text
    return _save(grant, ["reissued_on", "settled_by", "settlement_note"])
