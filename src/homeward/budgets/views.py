"""Money pages: a programme's budget, a line's entries, a case's money, and the payments export.

Read-only: nothing here books money (the grants, plans and invoices pages do,
through assistance/ledger.py). Scoping is in selectors: a 404 for a programme
or case the user may not see.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from homeward.budgets import exports, selectors
from homeward.budgets.forms import PeriodForm

ENTRIES_PER_PAGE = 100


@require_GET
def programme_budget(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.programme_budget_for(request.user, programme_id)
    today = timezone.localdate()
    form = PeriodForm(initial={"from": today.replace(day=1), "to": today, "format": "csv"}, with_format=True)
    return render(
        request,
        "budgets/programme_budget.html",
        {"programme": programme, "budget": selectors.programme_budget(programme), "export_form": form},
    )


@require_GET
def budget_line(request: HttpRequest, programme_id: int, line_id: int) -> HttpResponse:
    line = selectors.line_for(request.user, line_id, programme_id)
    page = Paginator(selectors.entries_of_line(line), ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "budgets/budget_line.html",
        {
            "programme": line.programme,
            "line": line,
            "row": selectors.line_figures(line),
            "page": page,
            "entries": selectors.entry_rows(request.user, page.object_list),
        },
    )


@require_GET
def case_money(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_money(request.user, reference=reference)
    return render(request, "budgets/case_money.html", {"case": case, "money": selectors.case_money(request.user, case)})


@require_GET
def payments_export(request: HttpRequest) -> HttpResponse:
    """``?programme=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|xlsx``; a bad period is a 400 in words."""
    try:
        programme_id = int(request.GET.get("programme", ""))
    except ValueError:
        programme_id = 0
    programme = selectors.programme_budget_for(request.user, programme_id)
    form = PeriodForm(request.GET, with_format=True)
    if not form.is_valid():
        return render(
            request,
            "budgets/export_error.html",
            {"programme": programme, "form": form, "message": form.message()},
            status=400,
        )
    start, end, kind = form.cleaned_data["from"], form.cleaned_data["to"], form.cleaned_data["format"]
    rows = selectors.payment_rows(request.user, programme, start, end)
    if kind == "xlsx":
        body, content_type = exports.payments_xlsx(rows), exports.XLSX_TYPE
    else:
        body, content_type = exports.payments_csv(rows), exports.CSV_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(programme, start, end, kind)}"'
    return response
