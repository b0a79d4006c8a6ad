"""The money ledger: every commitment and payment booked against a programme's budget line.

Figures are sums of entries, never stored totals, so they cannot drift. Nothing
is deleted: a mistake is undone by a counter-entry. Booking locks the budget
line, so two bookings cannot both squeeze under what is left.

Grants, purchase orders and invoices book here through ``entry_book``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.assistance.models import LedgerEntry
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.programmes.models import BudgetLine
from homeward.programmes.services import convert

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    budgeted: Decimal
    committed: Decimal
    spent: Decimal
    currency: str

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.committed - self.spent


def figures(line: BudgetLine) -> Figures:
    """Budgeted, committed (still open), spent and remaining, in the line's currency."""
    sums = line.entries.aggregate(
        committed=Sum("amount", filter=Q(kind=LedgerEntry.Kind.COMMITMENT), default=Decimal(0)),
        spent=Sum("amount", filter=Q(kind=LedgerEntry.Kind.PAYMENT), default=Decimal(0)),
    )
    return Figures(line.amount, sums["committed"], sums["spent"], line.currency)


def _booking_missions(line: BudgetLine, case: Any) -> set[int]:
    """The programme's missions, and the origin mission working the case: it pays providers there."""
    missions = set(line.programme.missions.values_list("pk", flat=True))
    if case is not None and case.referred_to_mission_id is not None:
        missions.add(case.referred_to_mission_id)
    return missions


def _may_book(user: Any, line: BudgetLine, kind: str, case: Any = None) -> bool:
    """Finance officers pay; finance officers and supervisors commit; in a mission of the programme
    or the origin mission of the case."""
    missions = _booking_missions(line, case)
    if kind == LedgerEntry.Kind.PAYMENT:
        return any(permissions.has_perm_in(user, Perm.PAY, mid) for mid in missions)
    return any(
        permissions.has_perm_in(user, Perm.PAY, mid) or permissions.has_perm_in(user, Perm.SUPERVISE, mid)
        for mid in missions
    )


def _may_override(user: Any, line: BudgetLine, case: Any = None) -> bool:
    return any(permissions.has_perm_in(user, Perm.SUPERVISE, mid) for mid in _booking_missions(line, case))


def open_commitment(source: str) -> Decimal:
    """What is still committed for a source (a grant, a component), in its line's currency."""
    return LedgerEntry.objects.filter(source=source, kind=LedgerEntry.Kind.COMMITMENT).aggregate(
        open=Sum("amount", default=Decimal(0))
    )["open"]


@service
def entry_book(
    *,
    acting_user: User,
    budget_line: BudgetLine,
    kind: str,
    amount: Decimal,
    currency: str,
    booked_on: dt.date,
    source: str,
    case: Any = None,
    note: str = "",
    override_reason: str = "",
    cause: str = "",
    override_by: User | None = None,
) -> LedgerEntry:
    """Book money committed or paid against a budget line.

    Rule: by a finance officer (payments) or a supervisor (commitments) of a mission
    of the programme; converted at the rate of the booking date (refused without
    one); a line is not overspent without a supervisor's override with a reason;
    a source is paid once.
    """
    if kind not in LedgerEntry.Kind.values:
        raise ServiceError(_("Choose committed or paid."), {"kind": [_("Choose from the list.")]})
    if not _may_book(acting_user, budget_line, kind, case):
        raise PermissionDenied(_("Your role may not book this against the programme's budget."))
    # Rounded before it is judged: 0.004 is nothing, not a booking of 0.00.
    amount = Decimal(amount).quantize(CENT) if amount is not None else None
    if amount is None or amount <= 0:
        raise ServiceError(_("The amount must be more than zero."), {"amount": [_("Enter a positive amount.")]})
    line = BudgetLine.objects.select_for_update().select_related("programme").get(pk=budget_line.pk)
    converted, rate = convert(amount, currency.upper(), line.currency, booked_on)
    now = figures(line)
    after = now.remaining - converted
    if after < 0:
        if not override_reason.strip():
            raise ServiceError(
                _(
                    "This would overspend the %(line)s line by %(amount)s %(currency)s: a supervisor's override with a reason is needed."
                )
                % {"line": line.get_category_display(), "amount": -after, "currency": line.currency},
                {"override_reason": [_("Give the reason for exceeding the budget.")]},
            )
        # The override may be a supervisor's decision recorded earlier (e.g. on approving an invoice).
        if not _may_override(override_by or acting_user, line, case):
            raise PermissionDenied(_("Only a supervisor may exceed a budget line."))
    try:
        with transaction.atomic(), about_case(case.pk if case is not None else None):
            return LedgerEntry.objects.create(
                budget_line=line, case=case, kind=kind, amount=converted, currency=line.currency,
                original_amount=amount, original_currency=currency.upper(),
                rate=rate.rate if rate else None, booked_on=booked_on, source=source, cause=cause, note=note.strip(),
                override_reason=override_reason.strip(), created_by=acting_user,
            )  # fmt: skip
    except IntegrityError:
        raise ServiceError(_("%(source)s has already been paid.") % {"source": source}) from None


@service
def entry_reverse(
    *, acting_user: User, entry: LedgerEntry, reason: str, booked_on: dt.date | None = None
) -> LedgerEntry:
    """Undo a booking with a counter-entry of the opposite amount, booked on ``booked_on`` (today
    by default; e.g. the day cash came back). Rule: once, with a reason, by someone who may book
    it; the original stays, marked reversed."""
    if not _may_book(acting_user, entry.budget_line, entry.kind, entry.case):
        raise PermissionDenied(_("Your role may not book this against the programme's budget."))
    if not reason.strip():
        raise ServiceError(_("Say why the booking is reversed."), {"reason": [_("This field is required.")]})
    original = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if original.reverses_id is not None:
        raise ServiceError(_("A counter-entry is not reversed: book the amount again."))
    if original.reversed_at is not None:
        raise ServiceError(_("This booking has already been reversed."))
    original.reversed_at = timezone.now()
    with about_case(original.case_id):
        original.save(update_fields=["reversed_at"])
        return LedgerEntry.objects.create(
            budget_line_id=original.budget_line_id, case_id=original.case_id, kind=original.kind,
            amount=-original.amount, currency=original.currency, original_amount=-original.original_amount,
            original_currency=original.original_currency, rate=original.rate,
            booked_on=booked_on or timezone.localdate(),
            source=original.source, cause=original.cause, reverses=original, note=reason.strip(), created_by=acting_user,
        )  # fmt: skip


@service
def entry_release(
    *,
    acting_user: User,
    source: str,
    booked_on: dt.date,
    amount: Decimal | None = None,
    note: str = "",
    cause: str = "",
) -> LedgerEntry | None:
    """Release what a source still has committed: all of it, or ``amount`` of it (in the line's
    currency) when part is paid. Rule: never more than is open, so "committed" means still open;
    by someone who may commit. Nothing open, nothing booked."""
    entries = LedgerEntry.objects.filter(source=source, kind=LedgerEntry.Kind.COMMITMENT)
    first = entries.select_related("budget_line__programme", "case").first()
    if first is None:
        return None
    if not _may_book(acting_user, first.budget_line, LedgerEntry.Kind.COMMITMENT, first.case):
        raise PermissionDenied(_("Your role may not book this against the programme's budget."))
    BudgetLine.objects.select_for_update().get(pk=first.budget_line_id)  # one release at a time
    still_open = open_commitment(source)
    release = still_open if amount is None else min(Decimal(amount).quantize(CENT), still_open)
    if release <= 0:
        return None
    with about_case(first.case_id):
        return LedgerEntry.objects.create(
            budget_line_id=first.budget_line_id, case_id=first.case_id, kind=LedgerEntry.Kind.COMMITMENT,
            amount=-release, currency=first.currency, original_amount=-release, original_currency=first.currency,
            rate=None, booked_on=booked_on, source=source, cause=cause, note=note.strip() or _("commitment released"),
            created_by=acting_user,
        )  # fmt: skip
