"""Exports over JSON: start one in the background, then follow it at ``GET /api/v1/jobs/{id}``.

``POST /api/v1/exports/cases`` with ``{"format": "xlsx", "hxl": true, "params": {"status": "registered"}}``
exports the caller's visible cases (the case list's filters in ``params``); ``/exports/report`` with
``params`` ``{"programme": 3, "from": ..., "to": ...}`` a report's tables. The same sources, scoping
and refusals as the pages: 403 without access to cases, 404 for a programme the caller cannot see,
400 with the message in words for a bad filter or period. An API export always runs in the
background, whatever its size, so a script has one way to fetch it.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from ninja import Router, Schema, Status

from homeward.cases.schemas import ErrorOut
from homeward.reporting.export_sources import Options, export_start, get_source

router = Router(tags=["reporting"])


class ExportIn(Schema):
    format: Literal["csv", "xlsx"] = "xlsx"
    hxl: bool = False
    # The page's filters, as its query string would carry them.
    params: dict[str, str | int | bool | list[str]] = {}


class ExportStartedOut(Schema):
    job_id: int
    job_url: str


def _query(params: dict[str, object]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        values = value if isinstance(value, list) else [value]
        query.setlist(key, ["1" if v is True else "" if v is False else str(v) for v in values])
    query._mutable = False
    return query


@router.post(
    "/exports/{source}",
    response={202: ExportStartedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Start an export (cases, report) in the background",
)
def export_create(request: HttpRequest, source: str, payload: ExportIn) -> Status:
    build = get_source(source)
    params = _query(payload.params)
    # Built now to refuse what the caller may not export; the job builds them again as it runs.
    tables = build(request.user, params)
    job = export_start(
        source=source,
        params=params,
        options=Options(payload.format, payload.hxl),
        tables=tables,
        acting_user=request.user,
    )
    return Status(202, {"job_id": job.pk, "job_url": reverse("api:job_get", args=[job.pk])})
