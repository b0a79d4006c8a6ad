"""The donor report over JSON: a programme's figures for a period, and saved reports (frozen once submitted).

Same reads and rules as the pages (``report_selectors``): a programme or report the user
may not see is a 404; a bad period or mission is a 400 with ``{"message", "fields"}``;
small counts are suppressed for users who see only aggregates.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from homeward.cases.schemas import ErrorOut
from homeward.reporting import report_selectors, selectors
from homeward.reporting.forms import ReportQueryForm
from homeward.reporting.models import DonorReport

router = Router(tags=["reporting"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


@router.get(
    "/programmes/{programme_id}/report",
    response={200: dict, **ERRORS},
    summary="A programme's donor report figures for a period",
    # "from" is a Python keyword: the period is read with the page's form, and documented here.
    openapi_extra={
        "parameters": [
            {"in": "query", "name": "from", "required": False, "schema": {"type": "string", "format": "date"},
             "description": "First day, YYYY-MM-DD (default: the programme's start)."},
            {"in": "query", "name": "to", "required": False, "schema": {"type": "string", "format": "date"},
             "description": "Last day, included, YYYY-MM-DD (default: the programme's end)."},
            {"in": "query", "name": "mission", "required": False, "schema": {"type": "array", "items": {"type": "string"}},
             "description": "Mission codes to count (repeatable); default: every mission whose figures you see."},
        ]
    },
)  # fmt: skip
def programme_report(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    """The report document: ``indicators`` maps each indicator code to its ``value``, ``target``,
    ``percent_of_target``, ``basis`` and ``disaggregations`` (lists of ``{key, label, value}``);
    ``report_disaggregations`` names the breakdowns the donor asks for. A suppressed count is ``"<5"``."""
    programme = selectors.report_programme_for(request.user, programme_id)
    form = ReportQueryForm(request.GET, user=request.user, programme=programme)
    if not form.is_valid():
        raise form.error()
    return report_selectors.live_document(
        request.user, programme, form.cleaned_data["period"], form.cleaned_data["missions"]
    )


@router.get("/reports/{report_id}", response={200: dict, **ERRORS}, summary="A saved donor report")
def saved_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    """The report, its narrative and its ``document``: frozen at submission for a submitted report,
    today's figures for a draft. Programme viewers read submitted reports only."""
    report: DonorReport = report_selectors.report_for_user(request.user, report_id)
    return {
        "id": report.pk,
        "programme_id": report.programme_id,
        "title": report.title,
        "status": report.status,
        "period": {"from": report.period_start.isoformat(), "to": report.period_end.isoformat()},
        "narrative": report.narrative(),
        "created_at": _iso(report.created_at),
        "submitted_at": _iso(report.submitted_at),
        "frozen_at": _iso(report.frozen_at),
        "document": report_selectors.document(request.user, report),
    }
