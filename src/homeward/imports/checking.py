"""The dry run: every row of a tracker read, grouped into cases and checked, without writing anything.

Each problem names the spreadsheet row and column it comes from. The checks are
the registration rules (``cases.services``, ``people.inputs``) run ahead of the
write, plus the tracker's own: a family group needs one principal applicant,
and a person probably already recorded is flagged. Lookups are loaded once for
the whole file (countries, vulnerability types, people already recorded), so
checking costs no query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.cases.models import CaseStatus, ReferralSource, Relationship
from homeward.cases.services import CaseInput, MemberInput, check_household
from homeward.core.errors import ServiceError
from homeward.core.text import search_key
from homeward.imports import duplicates, mapping
from homeward.imports.reading import Cell, Sheet
from homeward.people.inputs import NAME_LENGTH, DocumentInput, PersonInput
from homeward.people.models import IdentityDocument, Sex, VulnerabilityType

# Longest text the tracker's own reference may be (ImportedCase.reference).
REFERENCE_LENGTH = 80
_TEXT_FIELDS = {"reference", "group", "given_names", "family_name", "given_names_original", "family_name_original",
                "destination_place", "place_of_birth", "phone", "document_number", "notes"}  # fmt: skip
_WORD_READERS = {
    "relationship": mapping.read_relationship,
    "sex": mapping.read_sex,
    "referral_source": mapping.read_referral_source,
    "legal_status": mapping.read_legal_status,
    "document_kind": mapping.read_document_kind,
    "nationality": mapping.read_country,
    "destination_country": mapping.read_country,
}


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None: ...
    def advance(self, by: int = 1) -> None: ...


class NoProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, by: int = 1) -> None:
        pass


@dataclass
class Problem:
    """One thing wrong (``error``) or worth knowing about a row; ``row`` is the spreadsheet's row number."""

    row: int | None
    column: str
    message: str
    error: bool = True

    def __str__(self) -> str:
        where = [_("Row %(row)s") % {"row": self.row}] if self.row else []
        if self.column:
            where.append(self.column)
        return f"{' · '.join(where)}: {self.message}" if where else self.message


@dataclass
class PlannedCase:
    """A case as it will be registered: its members in row order and the rows they come from."""

    rows: list[int]
    reference: str
    data: CaseInput
    members: list[MemberInput]
    status: str
    registered_on: dt.date | None


@dataclass
class Plan:
    rows: int
    cases: list[PlannedCase] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The column each field was read from, to name it in a problem found later.
    header_of: dict[str, str] = field(default_factory=dict)

    def column(self, code: str) -> str:
        """The file's column for a field (or the field's name): what a person looks for in their sheet."""
        if code in self.header_of:
            return self.header_of[code]
        return next((str(f.label) for f in mapping.FIELDS if f.code == code), "")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    @property
    def members(self) -> int:
        return sum(len(c.members) for c in self.cases)

    def sort(self) -> None:
        self.problems.sort(key=lambda p: (p.row or 0, not p.error))


@dataclass
class Options:
    """How to read the file: ``{header: field}``, the date order, and whether probable duplicates may be imported."""

    columns: dict[str, str]
    date_order: str = mapping.DateOrder.AUTO
    allow_duplicates: bool = False


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    # The fields whose cell could not be read (their problems are listed already).
    failed: set[str] = field(default_factory=set)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone or passport number Excel stored as a number
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


class _Checker:
    def __init__(self, sheet: Sheet, options: Options, *, mission: Mission, user: User) -> None:
        self.sheet, self.options, self.mission, self.user = sheet, options, mission, user
        self.today = timezone.localdate()
        self.plan = Plan(rows=len(sheet.rows))
        self.column_of: dict[str, int] = {}
        self.header_of = self.plan.header_of
        for header, code in options.columns.items():
            if code not in mapping.FIELD_CODES:
                continue
            if header not in sheet.headers:
                self.warn(None, "", _("The mapping's column “%(column)s” is not in this file.") % {"column": header})
                continue
            self.column_of[code] = sheet.headers.index(header)
            self.header_of[code] = header
        self.orders = {
            code: mapping.column_order(sheet.column(self.column_of[code]), options.date_order)
            for code in mapping.DATE_FIELDS
            if code in self.column_of
        }
        self.types = {t.code: t for t in VulnerabilityType.objects.all()}
        self.vulnerability_words = mapping.vulnerability_words(self.types)
        self.may_record = permissions.registration_sensitivities(user)

    # ---------------------------------------------------------------- problems

    def column(self, code: str) -> str:
        return self.plan.column(code)

    def error(self, row: int | None, code: str, message: str) -> None:
        self.plan.problems.append(Problem(row, self.column(code) if code else "", str(message)))

    def warn(self, row: int | None, code: str, message: str) -> None:
        self.plan.problems.append(Problem(row, self.column(code) if code else "", str(message), error=False))

    # ---------------------------------------------------------------- one row

    def read_row(self, number: int, cells: list[Cell]) -> _Row:
        row = _Row(number, {})
        for code, index in self.column_of.items():
            raw = cells[index]
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                row.values[code] = self.read_cell(code, raw)
            except ValueError as exc:
                self.error(number, code, str(exc))
                row.failed.add(code)
        return row

    def read_cell(self, code: str, raw: Cell) -> Any:
        if code in _TEXT_FIELDS:
            text = _text(raw)
            limit = REFERENCE_LENGTH if code in {"reference", "group"} else NAME_LENGTH
            if code not in {"notes"} and len(text) > limit:
                raise ValueError(_("At most %(n)s characters.") % {"n": limit})
            return text
        if code in _WORD_READERS:
            return _WORD_READERS[code](_text(raw))
        if code in mapping.DATE_FIELDS:
            value = mapping.read_date(raw, self.orders[code], partial=code == "birth_date")
            if code == "birth_date":
                return value
            if value.value > self.today:
                raise ValueError(_("%(date)s is in the future.") % {"date": value.value.isoformat()})
            return value.value
        if code == "vulnerabilities":
            return mapping.read_vulnerabilities(_text(raw), self.vulnerability_words)
        raise ValueError(code)  # pragma: no cover - every field code is read above

    # ---------------------------------------------------------------- one member

    def member(self, row: _Row, relationship: str) -> MemberInput | None:
        v = row.values
        vulnerabilities = []
        for code in v.get("vulnerabilities", []):
            kind = self.types[code]
            if kind.derived:
                self.warn(
                    row.number,
                    "vulnerabilities",
                    _("“%(name)s” follows from the date of birth: it is not imported.") % {"name": kind},
                )
            elif kind.sensitivity not in self.may_record:
                self.error(row.number, "vulnerabilities", _("Your role may not record “%(name)s”.") % {"name": kind})
            else:
                vulnerabilities.append(code)
        person = PersonInput(
            given_names=v.get("given_names", ""),
            family_name=v.get("family_name", ""),
            given_names_original=v.get("given_names_original", ""),
            family_name_original=v.get("family_name_original", ""),
            sex=v.get("sex", Sex.UNKNOWN),
            birth_date=v.get("birth_date"),
            place_of_birth=v.get("place_of_birth", ""),
            nationality=v.get("nationality", ""),
            phone=v.get("phone", ""),
            vulnerabilities=vulnerabilities,
        )
        try:
            person = person.cleaned(phone_region=self.mission.country.code)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row.number, name if name in mapping.FIELD_CODES else "", message)
            return None
        dob = person.birth_date
        for code in person.vulnerabilities:
            if self.types[code].minors_only and dob and not dob.is_possibly_minor(self.today):
                self.error(row.number, "vulnerabilities",
                           _("“%(name)s” applies only to a person under 18.") % {"name": self.types[code]})  # fmt: skip
        documents = []
        if v.get("document_number"):
            if not person.nationality:
                self.error(row.number, "document_number",
                           _("A document needs the country that issued it: give the nationality."))  # fmt: skip
            else:
                kind = v.get("document_kind", IdentityDocument.Kind.PASSPORT)
                documents.append(
                    DocumentInput(kind=kind, number=v["document_number"], issuing_country=person.nationality)
                )
        return MemberInput(relationship, person, documents)

    # ---------------------------------------------------------------- one case

    def group_key(self, row: _Row) -> str:
        for code in ("group", "reference"):
            if row.values.get(code):
                return f"{code}:{search_key(row.values[code])}"
        return f"row:{row.number}"

    def case(self, rows: list[_Row]) -> PlannedCase | None:
        """Check a family group and build its case; ``None`` when a problem is listed."""
        numbers = [r.number for r in rows]
        relationships = []
        for row in rows:
            relationship = row.values.get("relationship")
            if relationship is None:
                if "relationship" in row.failed:
                    return None
                if len(rows) > 1:
                    self.error(row.number, "relationship", _("Give the relationship to the principal applicant."))
                    return None
                relationship = Relationship.PRINCIPAL
            relationships.append(relationship)
        principals = [r for r, rel in zip(rows, relationships, strict=True) if rel == Relationship.PRINCIPAL]
        span = self.rows_text(numbers)
        if not principals:
            self.error(rows[0].number, "relationship",
                       _("The family in rows %(rows)s has no principal applicant: mark one member as principal.")
                       % {"rows": span})  # fmt: skip
            return None
        if len(principals) > 1:
            self.error(principals[1].number, "relationship",
                       _("The family in rows %(rows)s has two principal applicants (rows %(a)s and %(b)s): "
                         "a case has one.") % {"rows": span, "a": principals[0].number, "b": principals[1].number})  # fmt: skip
            return None
        head = principals[0]
        if any(r.failed for r in rows):
            return None  # the rows' own problems are listed; the rest is checked once they are fixed

        def first(code: str) -> Any:
            if code in head.values:
                return head.values[code]
            return next((r.values[code] for r in rows if code in r.values), None)

        destination = first("destination_country") or head.values.get("nationality")
        if not destination:
            self.error(head.number, "destination_country",
                       _("Give the country of destination (or the principal applicant's nationality)."))  # fmt: skip
        members = [self.member(row, rel) for row, rel in zip(rows, relationships, strict=True)]
        if destination is None or any(m is None for m in members):
            return None
        ordered = [m for m in members if m is not None]
        try:
            check_household(ordered)
        except ServiceError as exc:
            for key, messages in exc.fields.items():
                parts = key.split(".")
                index = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0
                code = parts[-1] if parts[-1] in mapping.FIELD_CODES else ""
                for message in messages:
                    self.error(rows[index].number, code, message)
            return None
        registered_on = first("registered_date")
        inquiry = first("inquiry_date")
        if registered_on and inquiry and inquiry > registered_on:
            self.error(head.number, "inquiry_date", _("The first contact is after the registration."))
            return None
        data = CaseInput(
            destination_country=destination,
            referral_source=first("referral_source") or ReferralSource.OTHER,
            destination_place=first("destination_place") or "",
            inquiry_date=inquiry or registered_on,
            notes=first("notes") or "",
            legal_status=first("legal_status") or "",
        )
        status = CaseStatus.REGISTERED if registered_on else CaseStatus.INQUIRY
        return PlannedCase(numbers, first("reference") or "", data, ordered, status, registered_on)

    @staticmethod
    def rows_text(numbers: list[int]) -> str:
        if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{numbers[0]}–{numbers[-1]}"
        return ", ".join(str(n) for n in numbers)

    # ---------------------------------------------------------------- duplicates

    def duplicates(self) -> None:
        """Flag people probably recorded already, or twice in this file (in different cases)."""
        report = self.warn if self.options.allow_duplicates else self.error
        people = [
            duplicates.imported(row, number, member.person, member.documents)
            for number, case in enumerate(self.plan.cases)
            for member, row in zip(case.members, case.rows, strict=True)
        ]
        for person in people:
            message = duplicates.already_recorded(self.user, person)
            if message:
                report(person.row, "given_names", message)
        for row, earlier in duplicates.within_file(people).items():
            report(row, "given_names", _("Probably the same person as in row %(row)s.") % {"row": earlier})


def check(sheet: Sheet, options: Options, *, mission: Mission, user: User, progress: Progress | None = None) -> Plan:
    """Read and check every row; nothing is written. The plan lists the cases and every problem by row."""
    progress = progress or NoProgress()
    checker = _Checker(sheet, options, mission=mission, user=user)
    for notice in sheet.notices:
        checker.plan.problems.append(Problem(notice.row, "", notice.message, error=notice.error))
    if "given_names" not in checker.column_of and "given_names_original" not in checker.column_of:
        message = _("Choose the column that holds the given names.")
        raise ServiceError(message, {"columns": [message]})
    progress.stage(_("Checking rows"), len(sheet.rows))
    groups: dict[str, list[_Row]] = {}
    for number, cells in sheet.rows:
        row = checker.read_row(number, cells)
        groups.setdefault(checker.group_key(row), []).append(row)
        progress.advance()
    for rows in groups.values():
        planned = checker.case(rows)
        if planned is not None:
            checker.plan.cases.append(planned)
    checker.duplicates()
    checker.plan.sort()
    return checker.plan
