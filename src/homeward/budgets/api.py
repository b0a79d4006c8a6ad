"""Money over JSON (mounted at /api/v1/): budget lines with their figures, a line's entries, a case's
money, and the payments of a period. Read-only, scoped like the pages: a programme or case the user
may not see is a 404; a bad period is a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from homeward.assistance.models import LedgerEntry
from homeward.budgets import selectors
from homeward.budgets.forms import PeriodForm
from homeward.budgets.schemas import (
    BudgetLineDetailOut,
    BudgetLineOut,
    CaseMoneyOut,
    ErrorOut,
    PaymentOut,
)
from homeward.core.errors import ServiceError

router = Router(tags=["budgets"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
ENTRIES_PER_PAGE = 500


def missing_rate(row: selectors.LineFigures, quote: str, on: dt.date) -> str | None:
    if not row.missing_rate:
        return None
    return _("No exchange rate from %(currency)s to %(quote)s on or before %(date)s.") % {
        "currency": row.line.currency,
        "quote": quote,
        "date": on.isoformat(),
    }


def line_out(row: selectors.LineFigures, quote: str, on: dt.date) -> dict[str, Any]:
    f, c = row.figures, row.in_programme
    return {
        "id": row.line.pk,
        "programme_id": row.line.programme_id,
        "category": row.line.category,
        "category_label": row.line.get_category_display(),
        "note": row.line.note,
        "budgeted": f.budgeted,
        "committed": f.committed,
        "spent": f.spent,
        "remaining": f.remaining,
        "currency": f.currency,
        "confirmed": row.line.confirmed,
        "overspent": row.overspent,
        "entry_count": row.entry_count,
        "in_programme_currency": None
        if c is None
        else {**{k: v for k, v in asdict(c).items() if k != "old"}, "old_rate": c.old},
        "missing_rate": missing_rate(row, quote, on),
    }


def entry_out(row: selectors.EntryRow) -> dict[str, Any]:
    e: LedgerEntry = row.entry
    return {
        "id": e.pk,
        "booked_on": e.booked_on,
        "kind": e.kind,
        "amount": e.amount,
        "currency": e.currency,
        "original_amount": e.original_amount,
        "original_currency": e.original_currency,
        "rate": e.rate,
        "source": e.source,
        "source_label": row.source,
        "case_reference": row.case_reference or None,
        "budget_line_id": e.budget_line_id,
        "booked_by": str(e.created_by),
        "note": e.note,
        "override_reason": e.override_reason,
        "reversed": row.reversed,
        "counter_entry_of": e.reverses_id,
    }


@router.get(
    "/programmes/{programme_id}/budget-lines",
    response={200: list[BudgetLineOut], **ERRORS},
    summary="A programme's budget lines with their figures",
)
def programme_budget_lines(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
    """Budgeted, committed (still open), spent and remaining per line in its currency, and in the
    programme's currency at today's rate (or the latest known before today)."""
    programme = selectors.programme_budget_for(request.user, programme_id)
    budget = selectors.programme_budget(programme)
    return [line_out(row, programme.currency, budget.on) for row in budget.lines]


@router.get(
    "/budget-lines/{line_id}", response={200: BudgetLineDetailOut, **ERRORS}, summary="A budget line with its entries"
)
def budget_line(request: HttpRequest, line_id: int, page: int = 1) -> dict[str, Any]:
    line = selectors.line_for(request.user, line_id)
    on = timezone.localdate()
    entries = Paginator(selectors.entries_of_line(line), ENTRIES_PER_PAGE).get_page(page)
    return {
        **line_out(selectors.line_figures(line, on), line.programme.currency, on),
        "entries": [entry_out(r) for r in selectors.entry_rows(request.user, entries.object_list)],
        "entries_count": entries.paginator.count,
        "page": entries.number,
        "pages": entries.paginator.num_pages,
    }


@router.get(
    "/cases/{case_id}/money", response={200: CaseMoneyOut, **ERRORS}, summary="A case's grants, invoices and entries"
)
def case_money(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = selectors.case_for_money(request.user, pk=case_id)
    money = selectors.case_money(request.user, case)
    finance = money.finance
    return {
        "case_id": case.pk,
        "reference": case.reference,
        "grants": [
            {
                "id": r.grant.pk,
                "kind": r.grant.kind,
                "for_whom": r.for_whom,
                "member_id": r.grant.member_id,
                "amount": r.grant.amount,
                "currency": r.grant.currency,
                "status": r.grant.status,
                "paid_amount": r.grant.paid_amount,
                "paid_currency": r.grant.paid_currency,
                "rate": r.grant.rate,
                "paid_on": r.grant.paid_on,
                "method": r.grant.method,
                "payment_reference": r.grant.payment_reference if finance else None,
                "receipt_url": r.receipt_url,
            }
            for r in money.grants
        ],
        "invoices": [
            {
                "id": r.invoice.pk,
                "provider": r.provider,
                "provider_reference": r.invoice.provider_reference,
                "component_id": r.invoice.component_id,
                "amount": r.invoice.amount,
                "currency": r.invoice.currency,
                "status": r.invoice.status,
                "paid_on": r.invoice.paid_on,
                "paid_amount": r.payment.original_amount if r.payment else None,
                "paid_currency": r.payment.original_currency if r.payment else None,
                "payment_reference": r.invoice.payment_reference if finance else None,
                "scan_url": r.scan_url,
            }
            for r in money.invoices
        ],
        "entries": [entry_out(r) for r in money.entries],
        "totals": [asdict(t) for t in money.totals],
    }


@router.get(
    "/programmes/{programme_id}/payments",
    response={200: list[PaymentOut], **ERRORS},
    summary="Payments booked in a period (the accounting export)",
    # "from" is a Python keyword: the period is read with the page's form, and documented here.
    openapi_extra={
        "parameters": [
            {"in": "query", "name": name, "required": True, "schema": {"type": "string", "format": "date"}}
            for name in ("from", "to")
        ]
    },
)
def programme_payments(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``, both included: the rows of the CSV/XLSX export."""
    programme = selectors.programme_budget_for(request.user, programme_id)
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise ServiceError(form.message(), {name: [str(e) for e in errors] for name, errors in form.errors.items()})
    rows = selectors.payment_rows(request.user, programme, form.cleaned_data["from"], form.cleaned_data["to"])
    return [asdict(r) for r in rows]
