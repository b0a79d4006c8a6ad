"""Reads of money: a programme's budget figures, a line's entries, a case's money, payments for accounting.

Who sees what: a programme's money is for those who see aggregates, pay or
supervise in one of the programme's missions (anyone else gets a 404, as for a
programme they cannot see); it shows numbers, never the name of a returnee. A
case's money is for anyone who may view the case. Figures are sums of ledger
entries (assistance/ledger.py), never stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.assistance import ledger
from homeward.assistance.models import Invoice, LedgerEntry, PurchaseOrder
from homeward.cases.models import Case
from homeward.cases.selectors import cases_visible_to
from homeward.grants.models import Grant
from homeward.programmes.models import BudgetLine, ExchangeRate, Programme
from homeward.programmes.services import rate_for

CENT = Decimal("0.01")
MONEY_PERMS = (Perm.VIEW_AGGREGATES, Perm.PAY, Perm.SUPERVISE)
# convert() accepts a rate up to this old; an older one is still shown, marked as old.
FRESH_RATE_DAYS = 31


# --- Who sees money ----------------------------------------------------------------------


def money_missions(user: User | Any) -> set[int]:
    """The missions where ``user`` sees aggregates, pays or supervises."""
    missions: set[int] = set()
    for perm in MONEY_PERMS:
        missions |= permissions.mission_ids_with(user, perm)
    return missions


def programmes_with_money_for(user: User | Any) -> QuerySet[Programme]:
    return Programme.objects.filter(missions__in=money_missions(user)).distinct()


def sees_money(user: User | Any, programme: Programme) -> bool:
    ids = money_missions(user)
    return bool(ids) and any(m.pk in ids for m in programme.missions.all())  # often prefetched


def programme_budget_for(user: User | Any, programme_id: int) -> Programme:
    """The programme, if ``user`` may see its money; a 404 otherwise, like an invisible programme."""
    programme = programmes_with_money_for(user).filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme


def line_for(user: User | Any, line_id: int, programme_id: int | None = None) -> BudgetLine:
    """A budget line of a programme whose money ``user`` may see, or 404."""
    lines = BudgetLine.objects.select_related("programme").filter(
        pk=line_id, programme__in=programmes_with_money_for(user)
    )
    if programme_id is not None:
        lines = lines.filter(programme_id=programme_id)
    line = lines.first()
    if line is None:
        raise Http404
    return line


def is_finance(user: User | Any, case: Case) -> bool:
    """Payment references are for those who pay or supervise on the case."""
    return permissions.has_case_perm(user, Perm.PAY, case) or permissions.has_case_perm(user, Perm.SUPERVISE, case)


# --- Words and links ---------------------------------------------------------------------


def source_label(source: str) -> str:
    """What an entry is for, in words: "grant 12", "invoice 7", "component 5"."""
    kind, _sep, ident = source.partition(":")
    words = {
        "grant": _("grant %(id)s"),
        "invoice": _("invoice %(id)s"),
        "component": _("component %(id)s"),
        "po": _("purchase order %(id)s"),
        "plan": _("plan %(id)s"),
    }.get(kind)
    return words % {"id": ident} if words and ident else source


def _source_id(source: str, kind: str) -> int | None:
    prefix, _sep, ident = source.partition(":")
    return int(ident) if prefix == kind and ident.isdigit() else None


def url_or_none(name: str, pk: int, kwarg: str) -> str | None:
    """A link to a page another app serves, or None while that page does not exist (yet)."""
    for kwargs in ({kwarg: pk}, None):
        try:
            return reverse(name, kwargs=kwargs) if kwargs else reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


# --- The programme's budget ----------------------------------------------------------------


@dataclass(frozen=True)
class Conversion:
    """A line's figures in the programme's currency, with the rate used and its date."""

    budgeted: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal
    currency: str
    rate: Decimal | None  # None: the line is already in the programme's currency
    rate_on: dt.date | None
    old: bool = False


@dataclass(frozen=True)
class LineFigures:
    line: BudgetLine
    figures: ledger.Figures
    entry_count: int
    in_programme: Conversion | None  # None: no rate to the programme's currency
    foreign: bool  # the line's currency is not the programme's

    @property
    def overspent(self) -> bool:
        return self.figures.remaining < 0

    @property
    def missing_rate(self) -> bool:
        return self.in_programme is None


@dataclass
class Budget:
    programme: Programme
    on: dt.date
    lines: list[LineFigures]
    totals: dict[str, Decimal] = field(default_factory=dict)  # in the programme's currency
    unconverted: list[LineFigures] = field(default_factory=list)  # left out of the totals: no rate

    @property
    def overspent(self) -> bool:
        return self.totals.get("remaining", Decimal(0)) < 0


def latest_rate(currency: str, quote: str, on: dt.date) -> ExchangeRate | None:
    """The rate convert() uses on ``on``; failing that the latest known before it (shown with its date)."""
    return (
        rate_for(currency, quote, on)
        or ExchangeRate.objects.filter(currency=currency, quote=quote, on__lte=on).order_by("-on").first()
    )


def _convert(figures: ledger.Figures, quote: str, rate: ExchangeRate | None, on: dt.date) -> Conversion:
    # The same arithmetic as programmes.services.convert, on each figure.
    def at(value: Decimal) -> Decimal:
        return value if rate is None else (value * rate.rate).quantize(CENT)

    budgeted, committed, spent = at(figures.budgeted), at(figures.committed), at(figures.spent)
    return Conversion(
        budgeted=budgeted,
        committed=committed,
        spent=spent,
        remaining=budgeted - committed - spent,
        currency=quote,
        rate=rate.rate if rate else None,
        rate_on=rate.on if rate else None,
        old=rate is not None and (on - rate.on).days > FRESH_RATE_DAYS,
    )


def _lines_with_sums(lines: QuerySet[BudgetLine]) -> QuerySet[BudgetLine]:
    """One query for every line's figures: the sums ledger.figures() makes, per line."""
    return lines.annotate(
        committed_sum=Sum("entries__amount", filter=Q(entries__kind=LedgerEntry.Kind.COMMITMENT), default=Decimal(0)),
        spent_sum=Sum("entries__amount", filter=Q(entries__kind=LedgerEntry.Kind.PAYMENT), default=Decimal(0)),
        entry_count=Count("entries"),
    )


def _line_figures(line: BudgetLine, programme: Programme, on: dt.date, rates: dict[str, Any]) -> LineFigures:
    # Quantized: SQLite sums decimals without their places.
    committed, spent = line.committed_sum.quantize(CENT), line.spent_sum.quantize(CENT)  # type: ignore[attr-defined]
    figures = ledger.Figures(line.amount, committed, spent, line.currency)
    foreign = line.currency != programme.currency
    if foreign and line.currency not in rates:
        rates[line.currency] = latest_rate(line.currency, programme.currency, on)
    rate = rates.get(line.currency) if foreign else None
    converted = None if foreign and rate is None else _convert(figures, programme.currency, rate, on)
    return LineFigures(line, figures, line.entry_count, converted, foreign)  # type: ignore[attr-defined]


def programme_budget(programme: Programme, on: dt.date | None = None) -> Budget:
    """Every line's budgeted, committed (still open), spent and remaining, in its currency and in the
    programme's at the rate of ``on`` (today); totals in the programme's currency."""
    on = on or timezone.localdate()
    lines = _lines_with_sums(programme.budget_lines.order_by("category", "pk"))
    rates: dict[str, Any] = {}
    rows = [_line_figures(line, programme, on, rates) for line in lines]
    budget = Budget(programme=programme, on=on, lines=rows)
    for name in ("budgeted", "committed", "spent", "remaining"):
        budget.totals[name] = sum(
            (getattr(r.in_programme, name) for r in rows if r.in_programme is not None), Decimal(0)
        )
    budget.unconverted = [r for r in rows if r.in_programme is None]
    return budget


def line_figures(line: BudgetLine, on: dt.date | None = None) -> LineFigures:
    """One line's figures (ledger.figures) with its conversion to the programme's currency."""
    on = on or timezone.localdate()
    annotated = _lines_with_sums(BudgetLine.objects.filter(pk=line.pk)).get()
    return _line_figures(annotated, line.programme, on, {})


# --- Entries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    entry: LedgerEntry
    source: str  # in words
    case_reference: str
    case_visible: bool  # the reference links to the case only for those who may view it

    @property
    def reversed(self) -> bool:
        return self.entry.reversed_at is not None

    @property
    def counter_entry(self) -> bool:
        return self.entry.reverses_id is not None


def entries_of_line(line: BudgetLine) -> QuerySet[LedgerEntry]:
    return line.entries.select_related("case", "created_by").order_by("booked_on", "created_at", "pk")


def entry_rows(user: User | Any, entries: Iterable[LedgerEntry]) -> list[EntryRow]:
    """Entries in words; a case reference is only a reference, never a name."""
    return [
        EntryRow(
            entry=e,
            source=source_label(e.source),
            case_reference=e.case.reference if e.case_id else "",
            case_visible=e.case_id is not None and permissions.can_view_case(user, e.case),
        )
        for e in entries
    ]


# --- A case's money -----------------------------------------------------------------------


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    committed: Decimal
    paid: Decimal


@dataclass(frozen=True)
class GrantRow:
    grant: Grant
    for_whom: str
    receipt_url: str | None


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    provider: str
    payment: LedgerEntry | None  # the live payment booked for it
    scan_url: str | None


@dataclass
class CaseMoney:
    case: Case
    grants: list[GrantRow]
    invoices: list[InvoiceRow]
    entries: list[EntryRow]
    totals: list[CurrencyTotal]
    finance: bool  # sees payment references


def case_for_money(user: User | Any, *, reference: str | None = None, pk: int | None = None) -> Case:
    """A case ``user`` may view (its money goes with it), or 404."""
    lookup = {"pk": pk} if pk is not None else {"reference": reference}
    case = cases_visible_to(user).select_related("programme").filter(**lookup).first()
    if case is None:
        raise Http404
    return case


def case_totals(case: Case) -> list[CurrencyTotal]:
    """What is still committed and what was paid for the case, per currency of the budget lines."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = case.ledger_entries.order_by().values("currency", "kind").annotate(total=Sum("amount"))
    for row in rows:
        sums[row["currency"]][row["kind"]] += row["total"]
    return [
        CurrencyTotal(
            currency, kinds[LedgerEntry.Kind.COMMITMENT].quantize(CENT), kinds[LedgerEntry.Kind.PAYMENT].quantize(CENT)
        )
        for currency, kinds in sorted(sums.items())
    ]


def _live_payments(entries: Iterable[LedgerEntry]) -> dict[str, LedgerEntry]:
    return {
        e.source: e
        for e in entries
        if e.kind == LedgerEntry.Kind.PAYMENT and e.reverses_id is None and e.reversed_at is None
    }


def case_money(user: User | Any, case: Case) -> CaseMoney:
    """Every grant, invoice and ledger entry of a case, with totals per currency. ``case`` is already
    scoped (case_for_money)."""
    entries = list(
        case.ledger_entries.select_related("budget_line", "created_by").order_by("booked_on", "created_at", "pk")
    )
    for e in entries:
        e.case = case  # no query per row for the reference
    paid = _live_payments(entries)
    grants = [
        GrantRow(
            grant=g,
            for_whom=g.member.person.full_name if g.member_id else _("household"),
            receipt_url=url_or_none("grants:receipt", g.pk, "grant_id") if g.receipt else None,
        )
        for g in case.grants.select_related("member__person", "budget_line").order_by("proposed_at", "pk")
    ]
    invoices = [
        InvoiceRow(
            invoice=i,
            provider=i.purchase_order.provider.name,
            payment=paid.get(i.source),
            scan_url=url_or_none("assistance:invoice_scan", i.pk, "invoice_id") if i.scan else None,
        )
        for i in Invoice.objects.filter(component__plan__case=case)
        .select_related("purchase_order__provider", "component")
        .order_by("issued_on", "pk")
    ]
    return CaseMoney(
        case=case,
        grants=grants,
        invoices=invoices,
        entries=entry_rows(user, entries),
        totals=case_totals(case),
        finance=is_finance(user, case),
    )


# --- Payments for accounting ---------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRow:
    """One payment (or counter-entry) booked in the period, as accounting reads it."""

    booked_on: dt.date
    budget_line: str
    source: str
    case_reference: str
    payee: str
    original_amount: Decimal
    original_currency: str
    rate: Decimal | None
    amount: Decimal
    currency: str
    booked_by: str
    note: str


def payment_header() -> list[str]:
    return [
        _("Date"),
        _("Budget line"),
        _("For"),
        _("Case"),
        _("Payee"),
        _("Amount as paid"),
        _("Currency as paid"),
        _("Exchange rate"),
        _("Amount"),
        _("Currency"),
        _("Booked by"),
        _("Note"),
    ]


def _payees(entries: list[LedgerEntry]) -> dict[str, str]:
    """Who was paid: the provider for an invoice or a purchase order; "returnee" for a grant, never a name."""
    invoice_ids = {i for e in entries if (i := _source_id(e.source, "invoice")) is not None}
    po_ids = {i for e in entries if (i := _source_id(e.source, "po")) is not None}
    payees = {
        f"invoice:{pk}": name
        for pk, name in Invoice.objects.filter(pk__in=invoice_ids).values_list("pk", "purchase_order__provider__name")
    }
    payees |= {
        f"po:{pk}": name for pk, name in PurchaseOrder.objects.filter(pk__in=po_ids).values_list("pk", "provider__name")
    }
    return payees


def payment_rows(user: User | Any, programme: Programme, date_from: dt.date, date_to: dt.date) -> list[PaymentRow]:
    """Every payment entry, counter-entries included, booked from ``date_from`` to ``date_to`` (both
    included) on the programme's budget lines. Notes, typed by staff and possibly naming someone,
    only for a reader who may open the case."""
    entries = list(
        LedgerEntry.objects.filter(
            budget_line__programme=programme,
            kind=LedgerEntry.Kind.PAYMENT,
            booked_on__gte=date_from,
            booked_on__lte=date_to,
        )
        .select_related("budget_line", "case", "created_by")
        .order_by("booked_on", "created_at", "pk")
    )
    payees = _payees(entries)
    returnee = _("returnee")
    return [
        PaymentRow(
            booked_on=e.booked_on,
            budget_line=e.budget_line.get_category_display(),
            source=source_label(e.source),
            case_reference=e.case.reference if e.case_id else "",
            payee=returnee if e.source.startswith("grant:") else payees.get(e.source, ""),
            original_amount=e.original_amount,
            original_currency=e.original_currency,
            rate=e.rate,
            amount=e.amount,
            currency=e.currency,
            booked_by=str(e.created_by),
            note=e.note if e.case_id is None or permissions.can_view_case(user, e.case) else "",
        )
        for e in entries
    ]
