"""KoboToolbox / ODK: the RSS as an XLSForm, and submissions read back from a CSV or JSON export.

The XLSForm has a ``survey`` sheet (the case reference, the kind of interview, its date,
then one ``select_one`` per indicator grouped by dimension), a ``choices`` sheet (one
list per indicator, named after it, with the option codes as names) and a ``settings``
sheet (``form_id`` ``homeward_<code>_v<version>``). Export the submissions with
"XML values and headers": the columns are then the field names (with or without their
group, ``economic/debt``) and the cells the option codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from openpyxl import Workbook

from homeward.cases.selectors import cases_visible_to
from homeward.core.errors import ServiceError
from homeward.surveys.models import Instrument, Response

KIND_LIST = "rss_kind"
REFERENCE, KIND, TAKEN_ON = "case_reference", "kind", "taken_on"
# Where Kobo and ODK put a submission's own id.
ID_COLUMNS = ("instanceID", "_uuid")


def form_id(instrument: Instrument) -> str:
    return f"homeward_{instrument.code}_v{instrument.version}"


def xlsform(instrument: Instrument) -> bytes:
    """The instrument as an XLSForm workbook (.xlsx)."""
    definition = instrument.parsed
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "hint", "required"])
    survey.append(["text", REFERENCE, "Case reference (as on the case page, e.g. GR-2025-00012)", "", "yes"])
    survey.append([f"select_one {KIND_LIST}", KIND, "Interview", "", "yes"])
    survey.append(["date", TAKEN_ON, "Date of the interview", "", "yes"])
    for dimension in definition.dimensions:
        survey.append(["begin_group", dimension.code, dimension.label, "", ""])
        for indicator in dimension.indicators:
            survey.append([f"select_one {indicator.code}", indicator.code, indicator.question, indicator.label, "yes"])
        survey.append(["end_group", "", "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append([KIND_LIST, Response.Kind.BASELINE.value, "Baseline (soon after arrival)"])
    choices.append([KIND_LIST, Response.Kind.FOLLOW_UP.value, "Follow-up"])
    for indicator in definition.indicators():
        for option in indicator.options:
            choices.append([indicator.code, option.code, option.label])
    meta = book.create_sheet("settings")
    meta.append(["form_title", "form_id", "version"])
    meta.append([definition.title, form_id(instrument), str(instrument.version)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- reading an export


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, {"file": [message]})


def _field_name(column: str) -> str:
    # "economic/debt" and "meta/instanceID" (Kobo), "economic-debt" and "meta-instanceID" (ODK Central's
    # CSV) are "debt" and "instanceID". Our field names have no "-", so the last part is the name.
    return column.strip().rsplit("/", 1)[-1].rsplit("-", 1)[-1]


def _clean(record: dict[str, Any]) -> dict[str, str]:
    row: dict[str, str] = {}
    for column, value in record.items():
        if column is None or isinstance(value, dict | list):
            continue
        row[_field_name(str(column))] = "" if value is None else str(value).strip()
    return row


def read_submissions(content: bytes) -> list[dict[str, str]]:
    """The submissions of a Kobo/ODK CSV or JSON export, as ``{field name: value}`` rows."""
    if len(content) > settings.UPLOAD_MAX_BYTES:
        raise _refuse(_("The file is too large."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(_("The file is not UTF-8 text: export it from Kobo as CSV or JSON.")) from None
    if not text.strip():
        raise _refuse(_("The file is empty."))
    if text.lstrip()[:1] in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _refuse(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
        except RecursionError:
            raise _refuse(_("The JSON file is not a list of submissions.")) from None
        # Kobo's API wraps the submissions in {"results": [...]}.
        records = data.get("results") if isinstance(data, dict) else data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise _refuse(_("The JSON file is not a list of submissions."))
        rows = [_clean(r) for r in records]
    else:
        # Kobo's CSV export separates with ";" by default, ODK Central's with ",".
        delimiter = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
        try:
            rows = [_clean(r) for r in csv.DictReader(io.StringIO(text), delimiter=delimiter)]
        except csv.Error as exc:
            raise _refuse(_("The file is not a readable CSV export: %(error)s") % {"error": exc}) from None
    if not rows:
        raise _refuse(_("The file holds no submission."))
    return rows


# ---------------------------------------------------------------- preview


@dataclass
class Row:
    number: int
    reference: str
    kind: str
    taken_on: dt.date | None
    answers: dict[str, str]
    external_id: str
    case: Any = None
    errors: list[str] = field(default_factory=list)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _row(number: int, raw: dict[str, str], indicators: set[str]) -> Row:
    return Row(
        number=number,
        reference=raw.get(REFERENCE, ""),
        kind=raw.get(KIND, ""),
        taken_on=_date(raw.get(TAKEN_ON, "")),
        # An empty cell is an unanswered question, which the checks then name.
        answers={code: raw[code] for code in indicators if raw.get(code)},
        external_id=next((raw[c] for c in ID_COLUMNS if raw.get(c)), "")[:80],
    )


def preview(user: Any, instrument: Instrument, submissions: list[dict[str, str]]) -> list[Row]:
    """Each submission matched to a case the user may see, with what stops it being imported.

    The checks are ``services.check_response``'s (the ones the import will make), plus:
    an unknown reference (or a case the user may not see: the same words, so nothing
    leaks), a date that is not a date, a submission already imported or twice in the file.
    """
    from homeward.surveys.services import check_response

    indicators = {i.code for i in instrument.parsed.indicators()}
    rows = [_row(n, raw, indicators) for n, raw in enumerate(submissions, start=1)]
    cases = {c.reference: c for c in cases_visible_to(user).filter(reference__in={r.reference for r in rows})}
    ids = [r.external_id for r in rows if r.external_id]
    imported = set(Response.objects.filter(external_id__in=ids).values_list("external_id", flat=True))
    seen: set[str] = set()
    for row in rows:
        row.case = cases.get(row.reference)
        if row.case is None:
            row.errors.append(
                _("Unknown case reference “%(reference)s”.") % {"reference": row.reference}
                if row.reference
                else _("No case reference.")
            )
        if row.taken_on is None:
            row.errors.append(_("The date of the interview is missing or not a date (YYYY-MM-DD)."))
        if row.external_id in imported:
            row.errors.append(_("Already imported."))
        elif row.external_id and row.external_id in seen:
            row.errors.append(_("The same submission appears twice in the file."))
        seen.add(row.external_id)
        if row.case is not None and row.taken_on is not None:
            try:
                check_response(acting_user=user, case=row.case, instrument=instrument, answers=row.answers,
                               taken_on=row.taken_on, kind=row.kind)  # fmt: skip
            except PermissionDenied as exc:
                row.errors.append(str(exc))
            except ServiceError as exc:
                row.errors.extend([m for msgs in exc.fields.values() for m in msgs] or [exc.message])
    return rows


def as_data(rows: list[Row]) -> list[dict[str, Any]]:
    """The rows as plain data, to carry from the preview to the confirmation."""
    return [
        {"reference": r.reference, "kind": r.kind, "taken_on": r.taken_on.isoformat() if r.taken_on else "",
         "answers": r.answers, "external_id": r.external_id}
        for r in rows
    ]  # fmt: skip


def from_data(data: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Back to submissions ``preview`` reads."""
    return [
        {REFERENCE: d["reference"], KIND: d["kind"], TAKEN_ON: d["taken_on"], "instanceID": d["external_id"],
         **d["answers"]}
        for d in data
    ]  # fmt: skip
