"""``GET /api/v1/dashboard``: the dashboard's figures as JSON, the same document as the page.

Scoped like the page: an unknown programme is a 404, a bad period or a mission the user does
not report on a 400 with ``{"message", "fields"}``; for aggregate-only users small counts are
``"<N"`` and there is no case reference (reporting/dashboard.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from homeward.cases.schemas import ErrorOut
from homeward.reporting import dashboard, selectors

router = Router(tags=["reporting"])


@router.get("/dashboard", response={200: dict[str, Any], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def dashboard_figures(
    request: HttpRequest,
    programme: str = "",
    mission: str = "",
    date_from: str = Query("", alias="from"),
    date_to: str = Query("", alias="to"),
) -> dict[str, Any]:
    """Returns per month and destination, the pipeline, budget burn, overdue tasks and upcoming departures
    of a programme (default: the first the user reports on) over a period (default: the programme's life)."""
    if not selectors.may_report(request.user):
        raise PermissionDenied(_("The dashboard is for those who see a programme's figures."))
    params = {"programme": programme, "mission": mission, "from": date_from, "to": date_to}
    return dashboard.dashboard_for(request.user, dashboard.read_filters(request.user, params))
