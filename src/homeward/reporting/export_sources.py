"""Table sources: what a page can export as CSV or XLSX, in the request or in the background.

A source is ``build(user, params) -> list[Table]``, registered under a name with
``@table_source("name")``. ``params`` is a ``QueryDict`` of the page's filters (the
request's query string, or the job's stored copy of it). ``build`` scopes to ``user`` and
refuses like a page does: ``PermissionDenied`` (403), ``Http404``, ``ServiceError`` (a
message in words). Rows of a big table should be ``QueryRows``: counted in the database,
read in chunks.

Registering a source also registers the background runner ``exports.<name>``, which
builds the tables again as the job's owner (who may have lost access meanwhile) and
writes them to a temporary file, advancing the job's progress chunk by chunk.
"""

from __future__ import annotations

import dataclasses
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core.errors import ServiceError
from homeward.jobs.models import Job
from homeward.jobs.progress import Progress
from homeward.jobs.registry import Outcome, runner
from homeward.jobs.services import job_start
from homeward.reporting.tables import CSV_TYPE, XLSX_TYPE, Table, iter_csv, row_count, write_xlsx

ZIP_TYPE = "application/zip"
FORMATS = ("csv", "xlsx")
# Rows read from the database at a time, and between two progress reports.
CHUNK_ROWS = 2000
# Query-string keys that say how to export, not what: never passed on to a source.
OPTION_KEYS = ("format", "hxl")

Build = Callable[[Any, QueryDict], list[Table]]
TABLE_SOURCES: dict[str, Build] = {}


def table_source(name: str, *, needs: Perm = Perm.VIEW_AGGREGATES) -> Callable[[Build], Build]:
    """Register ``build`` as the table source ``name`` (``/reports/export/<name>/``) with its background runner.

    ``needs``: the permission a user must still hold somewhere to download a finished export.
    """

    def register(build: Build) -> Build:
        if TABLE_SOURCES.get(name, build) is not build:
            raise ValueError(f"Two table sources named {name!r}")
        TABLE_SOURCES[name] = build
        runner(f"exports.{name}", may_download=lambda user: permissions.has_perm_anywhere(user, needs))(run_export)
        return build

    return register


class QueryRows:
    """A table's rows from a queryset: ``len()`` counts in the database, iterating reads in chunks.

    Read once, with ``iterator()``: a million rows are never all in memory at once.
    """

    def __init__(self, queryset: QuerySet[Any], row: Callable[[Any], Sequence[Any]], *, chunk_size: int = CHUNK_ROWS):
        self.queryset, self.row, self.chunk_size = queryset, row, chunk_size
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for obj in self.queryset.iterator(chunk_size=self.chunk_size):
            yield self.row(obj)


@dataclass(frozen=True)
class Options:
    """How to export: the file format and whether to add the HXL hashtag row."""

    format: str = "xlsx"
    hxl: bool = False

    @classmethod
    def parse(cls, data: Any) -> Options:
        fmt = str(data.get("format") or "xlsx").lower()
        if fmt not in FORMATS:
            message = _("Exports are made as CSV or XLSX, not “%(format)s”.") % {"format": fmt[:20]}
            raise ServiceError(message, {"format": [message]})
        return cls(fmt, str(data.get("hxl", "")).lower() in ("1", "true", "on", "yes"))


def source_params(data: QueryDict) -> QueryDict:
    """The filters of a query string, without the export options."""
    params = data.copy()
    for key in OPTION_KEYS:
        params.pop(key, None)
    params._mutable = False
    return params


def get_source(name: str) -> Build:
    if name not in TABLE_SOURCES:
        raise Http404
    return TABLE_SOURCES[name]


def total_rows(tables: Sequence[Table]) -> int | None:
    """Rows in all ``tables``; None when one of them cannot tell without being read."""
    counts = [row_count(table) for table in tables]
    return None if None in counts else sum(c for c in counts if c is not None)


def runs_inline(tables: Sequence[Table], limit: int) -> bool:
    """Rule: an export of more rows than the limit (or of an unknown number) runs in the background."""
    rows = total_rows(tables)
    return rows is not None and rows <= limit


def file_stem(tables: Sequence[Table], fallback: str) -> str:
    """The file's name without extension: the tables' slug, or what the slugs of several share."""
    words = [table.slug.split("-") for table in tables]
    shared = []
    for group in zip(*words, strict=False):
        if len(set(group)) > 1:
            break
        shared.append(group[0])
    return "-".join(shared) or fallback


def write(tables: Sequence[Table], options: Options, out: IO[bytes]) -> tuple[str, str]:
    """Write ``tables`` to ``out``; returns (content type, extension).

    CSV holds one table: several become a ZIP of one CSV each.
    """
    if options.format == "xlsx":
        write_xlsx(tables, out, options.hxl)
        return XLSX_TYPE, "xlsx"
    if len(tables) == 1:
        for chunk in iter_csv(tables[0], options.hxl):
            out.write(chunk)
        return CSV_TYPE, "csv"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            with archive.open(f"{table.slug}.csv", "w") as member:
                for chunk in iter_csv(table, options.hxl):
                    member.write(chunk)
    return ZIP_TYPE, "zip"


def export_start(*, source: str, params: QueryDict, options: Options, tables: Sequence[Table], acting_user: Any) -> Job:
    """Queue the export of ``source`` for ``acting_user``; only filters and options are stored, never rows."""
    title = _("Export: %(tables)s") % {"tables": ", ".join(str(t.title) for t in tables) or source}
    return job_start(
        kind=f"exports.{source}",
        title=title,
        acting_user=acting_user,
        params={
            "params": {key: params.getlist(key) for key in params},
            "format": options.format,
            "hxl": options.hxl,
            "language": translation.get_language(),
        },
    )


def _counted(rows: Iterable[Sequence[Any]], progress: Progress, tally: list[int]) -> Iterator[Sequence[Any]]:
    since = 0
    for row in rows:
        yield row
        since += 1
        if since == CHUNK_ROWS:
            progress.advance(since)
            tally[0] += since
            since = 0
    progress.advance(since)
    tally[0] += since


def run_export(job: Job, progress: Progress) -> Outcome:
    """The runner of every ``exports.<source>`` job: build the tables as the owner now, write them to a file."""
    source = job.kind.removeprefix("exports.")
    params = QueryDict(mutable=True)
    for key, values in job.params.get("params", {}).items():
        params.setlist(key, [str(v) for v in values])
    params._mutable = False
    options = Options.parse(job.params)
    try:
        tables = get_source(source)(job.owner, params)
    except (PermissionDenied, Http404):
        raise ServiceError(_("You no longer have access to what this export was asked for.")) from None
    progress.stage(_("Writing the rows"), total_rows(tables))
    tally = [0]
    counted = [dataclasses.replace(table, rows=_counted(table.rows, progress, tally)) for table in tables]
    # On disk while it is written, and copied from there to storage: the rows are never all in memory.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the job closes it once stored
    try:
        content_type, extension = write(counted, options, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    stem = file_stem(tables, source)
    return Outcome(
        message=ngettext("%(count)s row exported.", "%(count)s rows exported.", tally[0]) % {"count": tally[0]},
        content=out,
        file_name=f"{stem}.{extension}",
        content_type=content_type,
    )


def stamp() -> str:
    """Today's date for file names, in the installation's time zone."""
    return timezone.localdate().isoformat()
