"""Anonymisation: what is removed from a person and their cases, what is kept, and when it is due.

Removed: names (every script), contacts, place of birth, identity documents, free-text notes,
uploaded files (declaration scans, evidence, agreements, visit photos), the matching records.
Kept, because reports and the law need them: sex, nationality, the year of birth (or as
little more as keeps every reported age the same), vulnerability types, case outcomes and
dates, survey scores, and every financial record (grants, ledger entries, health costs,
providers' quotes and invoices) as accounting law requires.

A person is anonymised once; a case's own notes go when its last person is anonymised,
since until then they are also about someone who keeps their data. Old audit entries are
kept (who did what, when) but the person's names, contacts and the removed values in them
are replaced by ``REDACTED``. ``SPECS`` names every model that points at a person, a case
member or a case; a test fails when a new one is left out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember, CaseStatus, Transition
from homeward.core.dates import DatePrecision
from homeward.people.models import IdentityDocument, Person, PersonVulnerability
from homeward.privacy.models import Anonymisation

REDACTED = "[redacted]"
ANONYMISED_NAME = "[anonymised]"
ENDED = frozenset(workflow.EXITS | {CaseStatus.NO_SHOW})


@dataclass(frozen=True)
class Spec:
    """How one model's rows are anonymised.

    ``case``: the lookup from the model to its case; ``member``: to its case member (rows of a
    member go with the member, the rest with the case). ``blank``: text emptied; ``files``:
    uploads deleted; ``redact``: text or JSON kept with the persons' identifiers replaced
    (also done for members anonymised before the rest of their case); ``delete``: rows removed.
    ``keep``: why the rows stay as they are.
    """

    case: str = ""
    member: str = ""
    blank: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    redact: tuple[str, ...] = ()
    delete: bool = False
    keep: str = ""


_MONEY = "financial record: kept as accounting law requires"
SPECS: dict[str, Spec] = {
    # The person's own rows.
    "people.IdentityDocument": Spec(delete=True),
    "people.PersonVulnerability": Spec(blank=("note",)),  # the type stays: reports count it
    "cases.CaseMember": Spec(keep="the membership: who was in the case, counted by reports"),
    "matching.MatchRecord": Spec(delete=True),
    "matching.MatchKey": Spec(delete=True),
    "matching.DuplicatePair": Spec(delete=True),
    "matching.NotSamePerson": Spec(blank=("note",)),
    "matching.PersonMerge": Spec(blank=("reason",), redact=("filled",)),
    "people.Person": Spec(keep="anonymised field by field in anonymise()"),
    # Rows of a case member (and of the whole case when they name no member).
    "safeguarding.ChecklistItem": Spec(case="case", member="member", blank=("evidence",), files=("evidence_file",)),
    "travel.TravelDocumentRequest": Spec(case="case", member="member", blank=("number", "note")),
    "travel.Ticket": Spec(case="itinerary__case", member="member", blank=("number",)),
    "grants.Grant": Spec(keep=_MONEY),
    "reintegration.Plan": Spec(
        case="case",
        member="member",
        blank=("needs_economic", "needs_social", "needs_psychosocial", "goals", "override_reason", "approval_note"),
        files=("agreement_scan",),
    ),
    "accommodation.Placement": Spec(case="case", member="member", blank=("end_note", "reason")),
    "health.MedicalAppointment": Spec(case="case", member="member", blank=("provider_name", "purpose", "outcome")),
    "health.MedicalReferral": Spec(case="case", member="member", blank=("referred_to", "reason", "answer")),
    "health.Medicine": Spec(case="case", member="member", blank=("name", "dosage", "note")),
    "health.FitToTravelExam": Spec(case="case", member="member", blank=("notes",)),
    "health.HealthCost": Spec(keep=_MONEY),
    "activities.Enrolment": Spec(case="case", member="member", blank=("certificate_note",)),
    "privacy.Consent": Spec(case="case", member="member", blank=("withdrawal_note",)),
    # Rows of the case.
    "cases.Case": Spec(case="pk__in", blank=("notes", "authority_approval_reference")),
    "cases.Assessment": Spec(case="case", blank=("override_reason",), redact=("result",)),
    "cases.Transition": Spec(case="case", blank=("note",), redact=("details",)),
    "cases.Referral": Spec(case="case", blank=("reason",), redact=("package",)),
    "work.Task": Spec(case="case", blank=("note", "outcome"), redact=("subject",)),
    "counselling.Session": Spec(case="case", blank=("questions", "next_steps")),
    "counselling.Declaration": Spec(case="case", files=("scan",)),
    "travel.Itinerary": Spec(
        case="case", blank=("booking_reference", "escorts", "onward_transport", "final_address", "not_departed_reason")
    ),
    "travel.PreDepartureCheck": Spec(case="itinerary__case", blank=("note",)),
    "travel.AssistanceLeg": Spec(case="itinerary__case", blank=("meeting_point", "contact", "outcome")),
    "assistance.LedgerEntry": Spec(keep=_MONEY),
    "reintegration.Component": Spec(case="plan__case", blank=("description", "cancel_reason", "business_location")),
    "monitoring.Visit": Spec(case="case", blank=("met", "findings", "risks", "follow_up", "note")),
    "monitoring.VisitPhoto": Spec(case="visit__case", files=("file",), delete=True),
    "monitoring.Closure": Spec(case="case", blank=("summary",)),
    "surveys.Response": Spec(case="case", blank=("external_id",)),  # the scored answers feed the reports
    "surveys.SatisfactionResponse": Spec(keep="scored answers, no identifiers: they feed the reports"),
    "feedback.FeedbackLink": Spec(case="case", delete=True),
    "feedback.Feedback": Spec(case="case", blank=("text", "contact", "answer_note")),
    "outreach.HotlineCall": Spec(case="case", blank=("notes", "caller_name", "caller_phone")),
    "outreach.CaseSource": Spec(case="case", blank=("note",)),
    "imports.ImportedCase": Spec(keep="the tracker's reference and row numbers: no personal data"),
    "partners.IncomingReferral": Spec(case="case", blank=("note",)),
    "triage.Inquiry": Spec(
        case="case",
        blank=(
            "given_names",
            "family_name",
            "phone",
            "messenger_number",
            "email",
            "city",
            "facility",
            "message",
            "close_note",
        ),
    ),
    "appointments.Appointment": Spec(case="case", blank=("phone", "video_link", "notes", "cancel_reason")),
    "accommodation.WaitingEntry": Spec(case="case", blank=("note",)),
}


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


# ---------------------------------------------------------------- when


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def ended_on(case: Case) -> dt.date | None:
    """The day the case reached the state it ended in (None while it is open)."""
    if case.status not in ENDED:
        return None
    moved = Transition.objects.filter(case=case, to_status=case.status).order_by("-at", "-pk").first()
    return timezone.localdate(moved.at if moved else case.updated_at)


def retained_until(case: Case) -> dt.date | None:
    """The last day the case's persons keep their data for this case (None: kept, or still open)."""
    end = ended_on(case)
    years = case.programme.retention_years if case.programme_id else None
    if end is None or years is None:
        return None
    return _add_years(end, years)


def open_cases_of(person: Person) -> QuerySet[Case]:
    return Case.objects.filter(members__person=person).exclude(status__in=ENDED)


def is_due(person: Person, today: dt.date) -> bool:
    """Every case of the person ended longer ago than its programme keeps it."""
    cases = list(Case.objects.filter(members__person=person).select_related("programme").distinct())
    if not cases:
        return False
    for case in cases:
        until = retained_until(case)
        if until is None or until >= today:
            return False
    return True


def due_persons(today: dt.date | None = None) -> list[Person]:
    """The persons the schedule anonymises today: not yet anonymised, every case past retention."""
    today = today or timezone.localdate()
    candidates = (
        Person.objects.filter(
            anonymisation__isnull=True,
            memberships__case__status__in=ENDED,
            memberships__case__programme__retention_years__isnull=False,
        )
        .exclude(memberships__case__in=Case.objects.exclude(status__in=ENDED))
        .distinct()
        .order_by("pk")
    )
    return [p for p in candidates if is_due(p, today)]


def refusal(case: Case) -> str:
    """Why a supervisor may not anonymise the case's persons now ("" when they may)."""
    from homeward.assistance.models import Invoice
    from homeward.grants.models import Grant

    if case.status not in ENDED:
        return _("The case is %(status)s: its persons are anonymised only once it is closed.") % {
            "status": case.get_status_display()
        }
    pending = Grant.objects.filter(case=case, status__in=[Grant.Status.PROPOSED, Grant.Status.APPROVED]).exists()
    pending = (
        pending
        or Invoice.objects.filter(
            component__plan__case=case, status__in=[Invoice.Status.RECEIVED, Invoice.Status.APPROVED]
        ).exists()
    )
    if pending:
        return _("Money is still pending on this case (a grant or invoice not yet paid): settle it first.")
    return ""


# ---------------------------------------------------------------- the year of birth


def _event_days(person: Person) -> set[dt.date]:
    """The days reports age the person on: their cases' moves, counselling sessions and deliveries."""
    from homeward.counselling.models import Session
    from homeward.reintegration.models import Component

    cases = Case.objects.filter(members__person=person).values("pk")
    days = {timezone.localdate(at) for at in Transition.objects.filter(case__in=cases).values_list("at", flat=True)}
    days |= set(Session.objects.filter(case__in=cases).values_list("held_on", flat=True))
    days |= {d for d in Component.objects.filter(plan__case__in=cases).values_list("delivered_on", flat=True) if d}
    return days


def reduced_birth(born: dt.date | None, precision: str, days: Iterable[dt.date]) -> tuple[dt.date | None, str]:
    """The coarsest date of birth that gives the same age, as reports work it out, on every day given.

    Usually the year alone; when a birthday falls between the report's reference day (1 July)
    and a counted day, the month is kept, or at worst the date: a report that changed after
    anonymisation would be a wrong report.
    """
    from homeward.reporting.compute import age_on, reference_birth

    if born is None:
        return None, ""
    days = sorted(set(days))
    truth = [age_on(reference_birth(born, precision), d) for d in days]

    def same(value: dt.date, p: str) -> bool:
        return [age_on(reference_birth(value, p), d) for d in days] == truth

    candidates = [(dt.date(born.year, 1, 1), DatePrecision.YEAR)]
    candidates += [(dt.date(born.year, m, 1), DatePrecision.MONTH) for m in (born.month, *range(1, 13))]
    for value, p in candidates:
        if same(value, p):
            return value, p
    return born, precision


# ---------------------------------------------------------------- identifiers and the audit log


def identifiers_of(person: Person) -> list[str]:
    """The strings that identify the person, longest first (so a full name goes before its parts)."""
    from homeward.travel.models import Ticket, TravelDocumentRequest

    values = [person.full_name, person.original_name, person.given_names, person.given_names_original, person.phone]
    values += [person.family_name, person.family_name_original]
    values += list(IdentityDocument.objects.filter(person=person).values_list("number", flat=True))
    members = CaseMember.objects.filter(person=person)
    values += list(TravelDocumentRequest.objects.filter(member__in=members).values_list("number", flat=True))
    values += list(Ticket.objects.filter(member__in=members).values_list("number", flat=True))
    values += [person.phone.lstrip("+")] if person.phone else []
    found = {v.strip() for v in values if v and len(v.strip()) >= 3}
    return sorted(found, key=len, reverse=True)


def _pattern(identifiers: list[str]) -> re.Pattern[str] | None:
    if not identifiers:
        return None
    return re.compile("|".join(re.escape(i) for i in identifiers), re.IGNORECASE)


def redact(value: Any, pattern: re.Pattern[str] | None) -> Any:
    """``value`` (text or JSON) with every identifier matched by ``pattern`` replaced."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [redact(v, pattern) for v in value]
    if isinstance(value, dict):
        return {redact(k, pattern): redact(v, pattern) for k, v in value.items()}
    return value


def _redact_entries(entries: QuerySet[LogEntry], pattern: re.Pattern[str] | None, fields: dict[int, set[str]]) -> int:
    """Redact audit entries in place: identifiers everywhere, and the values of ``fields`` (by content type)."""
    count = 0
    for entry in entries.iterator():
        changes = json.loads(entry.changes) if isinstance(entry.changes, str) else entry.changes
        blanked = fields.get(entry.content_type_id, set())
        if isinstance(changes, dict) and blanked:
            changes = {k: ([REDACTED, REDACTED] if k in blanked and v is not None else v) for k, v in changes.items()}
        new = {
            "object_repr": redact(entry.object_repr, pattern),
            "changes": redact(changes, pattern),
            "changes_text": redact(entry.changes_text, pattern),
            "serialized_data": redact(entry.serialized_data, pattern),
            "additional_data": redact(entry.additional_data, pattern),
        }
        if any(getattr(entry, k) != v for k, v in new.items()):
            LogEntry.objects.filter(pk=entry.pk).update(**new)
            count += 1
    return count


# ---------------------------------------------------------------- doing it


class _Run:
    """One anonymisation: what it touched (for the audit redaction) and how much it removed."""

    def __init__(self) -> None:
        self.touched: dict[int, set[str]] = {}  # content type -> object pks
        self.fields: dict[int, set[str]] = {}  # content type -> fields blanked
        self.removed: dict[str, int] = {}
        self.files: list[tuple[Any, str]] = []

    def note(self, model: type[models.Model], pks: Iterable[Any], fields: Iterable[str] = ()) -> None:
        ct = ContentType.objects.get_for_model(model).pk
        self.touched.setdefault(ct, set()).update(str(pk) for pk in pks)
        self.fields.setdefault(ct, set()).update(fields)

    def count(self, label: str, n: int) -> None:
        if n:
            self.removed[label] = self.removed.get(label, 0) + n

    def scrub(self, label: str, spec: Spec, rows: QuerySet[Any], pattern: re.Pattern[str] | None) -> None:
        rows = list(rows)
        if not rows:
            return
        model = _model(label)
        self.note(model, [r.pk for r in rows], (*spec.blank, *spec.files))
        for row in rows:
            for name in spec.files:
                file = getattr(row, name)
                if file:
                    self.files.append((file.storage, file.name))
        if spec.delete:
            model.objects.filter(pk__in=[r.pk for r in rows]).delete()
            self.count(label, len(rows))
            return
        for row in rows:
            changed = [n for n in spec.blank if getattr(row, n)]
            for name in changed:
                setattr(row, name, "")
            for name in spec.files:
                if getattr(row, name):
                    setattr(row, name, "")
                    changed.append(name)
            for name in spec.redact:
                value = redact(getattr(row, name), pattern)
                if value != getattr(row, name):
                    setattr(row, name, value)
                    changed.append(name)
            if changed:
                model.objects.filter(pk=row.pk).update(**{n: getattr(row, n) for n in changed})
                self.count(label, 1)


def _member_rows(members: list[int]) -> Iterable[tuple[str, Spec, QuerySet[Any]]]:
    for label, spec in SPECS.items():
        if spec.member:
            yield label, spec, _model(label).objects.filter(**{f"{spec.member}__in": members})


def _case_rows(cases: list[int]) -> Iterable[tuple[str, Spec, QuerySet[Any]]]:
    for label, spec in SPECS.items():
        if spec.case:
            lookup = spec.case if spec.case.endswith("__in") else f"{spec.case}__in"
            yield label, spec, _model(label).objects.filter(**{lookup: cases})


def anonymise(person: Person, *, kind: str, by: Any = None, reason: str = "") -> Anonymisation:
    """Remove what identifies ``person`` (see the module's docstring); one audit entry says it was done."""
    from homeward.matching import indexing
    from homeward.matching.models import DuplicatePair, NotSamePerson, PersonMerge

    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if Anonymisation.objects.filter(person=person).exists():
            return person.anonymisation
        run = _Run()
        pattern = _pattern(identifiers_of(person))
        members = list(CaseMember.objects.filter(person=person).values_list("pk", flat=True))
        cases = list(Case.objects.filter(members__person=person).values_list("pk", flat=True).distinct())
        with disable_auditlog():
            # Matching first: its records hold the names and document numbers.
            indexing.unindex([person.pk])
            run.count(
                "matching.DuplicatePair", DuplicatePair.objects.filter(Q(first=person) | Q(second=person)).delete()[0]
            )
            run.scrub("matching.NotSamePerson", SPECS["matching.NotSamePerson"],
                      NotSamePerson.objects.filter(Q(first=person) | Q(second=person)), pattern)  # fmt: skip
            run.scrub("matching.PersonMerge", SPECS["matching.PersonMerge"],
                      PersonMerge.objects.filter(Q(survivor=person) | Q(merged=person)), pattern)  # fmt: skip
            documents = list(IdentityDocument.objects.filter(person=person).values_list("pk", flat=True))
            run.note(IdentityDocument, documents, ("number",))
            run.count("people.IdentityDocument", IdentityDocument.objects.filter(pk__in=documents).delete()[0])
            run.scrub("people.PersonVulnerability", SPECS["people.PersonVulnerability"],
                      PersonVulnerability.objects.filter(person=person), pattern)  # fmt: skip
            for label, spec, rows in _member_rows(members):
                run.scrub(label, spec, rows, pattern)
            # The case's own text names the person too: replace the identifiers now, empty it with the last member.
            for label, spec, rows in _case_rows(cases):
                if spec.redact:
                    run.scrub(label, Spec(redact=spec.redact), rows, pattern)
            born, precision = reduced_birth(person.birth_date, person.birth_date_precision, _event_days(person))
            person_fields = {
                "given_names": ANONYMISED_NAME, "family_name": "", "given_names_original": "",
                "family_name_original": "", "place_of_birth": "", "phone": "", "languages": [],
                "birth_date": born, "birth_date_precision": precision,
            }  # fmt: skip
            for name, value in person_fields.items():
                setattr(person, name, value)
            person.save(update_fields=list(person_fields))
            run.note(Person, [person.pk], [n for n in person_fields if n not in ("birth_date", "birth_date_precision")])
            run.note(CaseMember, members)
            done = Anonymisation(person=person, kind=kind, by=by, reason=reason, removed={})
            finished = [
                pk for pk in cases
                if not CaseMember.objects.filter(case_id=pk).exclude(person=person)
                .filter(person__anonymisation__isnull=True).exists()
            ]  # fmt: skip
            for label, spec, rows in _case_rows(finished):
                run.scrub(label, spec, rows, pattern)
        # Old audit entries: kept, with the identifiers and the removed values replaced.
        own = Q()
        for ct, pks in run.touched.items():
            own |= Q(content_type_id=ct, object_pk__in=pks)
        own |= Q(additional_data__person_id=person.pk)
        _redact_entries(LogEntry.objects.filter(own), pattern, run.fields)
        # The cases' entries name the person too (session attendees, referral answers). A relative keeping
        # their data loses their family name from these entries as well: the history keeps who did what.
        _redact_entries(LogEntry.objects.filter(additional_data__case_id__in=cases), pattern, {})
        done.removed = run.removed
        done.save()  # the one new audit entry about this person: that it was done, and by whom
        files = list(run.files)
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return done
