"""Export pages: any registered table source as CSV or XLSX, in the response or as a background job.

``/reports/export/<source>/?<the page's filters>&format=csv|xlsx&hxl=1``. Up to
``HOMEWARD_EXPORT_INLINE_ROWS`` rows the file is the response (a CSV streams); above,
a job is started and the browser goes to its progress page, which offers the file
when it is ready.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from homeward.core.errors import ServiceError
from homeward.reporting.export_sources import (
    Options,
    export_start,
    file_stem,
    get_source,
    runs_inline,
    source_params,
    write,
)
from homeward.reporting.tables import CSV_TYPE, iter_csv


def _download(response: HttpResponseBase, name: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _export(request: HttpRequest, source: str, params: QueryDict) -> HttpResponseBase:
    build = get_source(source)
    if request.htmx:
        # The export buttons sit in HTMX-driven filter forms: let the browser itself fetch the file.
        return HttpResponse(headers={"HX-Redirect": request.get_full_path()})
    try:
        options = Options.parse(request.GET)
        tables = build(request.user, params)
    except ServiceError as error:
        return render(request, "reporting/export_error.html", {"error": error}, status=400)
    if not runs_inline(tables, settings.HOMEWARD_EXPORT_INLINE_ROWS):
        job = export_start(source=source, params=params, options=options, tables=tables, acting_user=request.user)
        return redirect("jobs:detail", job.pk)
    stem = file_stem(tables, source)
    if options.format == "csv" and len(tables) == 1:
        return _download(StreamingHttpResponse(iter_csv(tables[0], options.hxl), content_type=CSV_TYPE), f"{stem}.csv")
    out = io.BytesIO()
    content_type, extension = write(tables, options, out)
    return _download(HttpResponse(out.getvalue(), content_type=content_type), f"{stem}.{extension}")


@require_GET
def export(request: HttpRequest, source: str) -> HttpResponseBase:
    """Export the tables of ``source`` with the filters of the query string."""
    return _export(request, source, source_params(request.GET))


@require_GET
def report_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Export a programme's report tables (``table=summary|breakdowns|all``) for ``from``–``to``."""
    params = source_params(request.GET).copy()
    params["programme"] = str(pk)
    params._mutable = False
    return _export(request, "report", params)
