"""Every write of monitoring: the schedule planned on arrival, visits recorded or missed, photos, the closure.

``schedule_for`` is called by ``cases/journey.py`` inside the transition's
transaction; the others are services (``@service``: one transaction, the acting
user as the audit actor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts.roles import Role
from homeward.cases import workflow
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.core import files
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.monitoring import policy
from homeward.monitoring.models import Closure, Visit, VisitFinding, VisitPhoto
from homeward.reintegration.models import Component
from homeward.reintegration.rules import add_months
from homeward.work import services as work
from homeward.work.models import TaskKind

S = CaseStatus
V = Visit.Status
F = VisitFinding
MAX_PHOTOS = 10
PHOTO_TYPES = ("image/jpeg", "image/png")
# A visit's task is due in the morning of the visit's day (in the site's time zone).
DUE_TIME = dt.time(9)


@dataclass(frozen=True)
class FindingInput:
    """What a visit found of one plan component."""

    component_id: int
    delivered: str
    in_use: str = ""
    business_running: str = F.Running.NOT_APPLICABLE
    note: str = ""


@dataclass(frozen=True)
class PhotoInput:
    file: Any
    caption: str = ""


def _refuse(message: str, field: str | None = None) -> ServiceError:
    return ServiceError(message, {field: [message]} if field else None)


# ---------------------------------------------------------------- the schedule


def arrived_on(case: Case) -> dt.date | None:
    """The day of the first arrival: a case reopened into "arrived" keeps the schedule of its real arrival."""
    first = Transition.objects.filter(case=case, to_status=S.ARRIVED).order_by("at", "pk").first()
    return timezone.localdate(first.at) if first else None


def schedule_months(case: Case, on: dt.date) -> list[int]:
    """The programme's monitoring schedule in force on ``on`` (none without a programme or a schedule)."""
    programme = case.programme
    version = programme.version_on(on) if programme is not None else None
    monitoring = version.parsed.monitoring if version is not None else None
    return list(monitoring.visits_after_months) if monitoring is not None else []


def _who(case: Case) -> tuple[Any, str, Any]:
    """The origin mission's reintegration officers; until it accepts the case, the host's counsellor
    stands in (as ``cases/journey.py`` has the host do all origin-side work)."""
    if case.referred_to_mission_id:
        return case.referred_to_mission, Role.REINTEGRATION_OFFICER, None
    return case.host_mission, Role.COUNSELLOR, case.counsellor


def _due(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, DUE_TIME))


def _subject(months: int) -> str:
    return ngettext("visit at %(months)s month", "visit at %(months)s months", months) % {"months": months}


def schedule_for(*, case: Case, moved_to: str) -> None:
    """On arrival, plan the programme's monitoring visits and open their tasks; on a way out, cancel them.

    Rules: one visit per month of the schedule of the programme's rules in force on the
    arrival date, on that many months after it, with a task for the origin mission
    due that day; arriving again (a reopened case) plans no visit twice, but plans
    again those a closure cancelled.
    """
    if moved_to == S.ARRIVED:
        _plan(case)
    elif workflow.is_exit(moved_to):
        last = case.transitions.order_by("-at", "-pk").first()
        _cancel_planned(case, by=last.by if last else None, note=_("The case left the workflow."))


def _plan(case: Case) -> None:
    arrived = arrived_on(case) or timezone.localdate()
    planned = set(
        Visit.objects.filter(case=case, months_after__isnull=False)
        .exclude(status=V.CANCELLED)
        .values_list("months_after", flat=True)
    )
    mission, role, assignee = _who(case)
    for months in schedule_months(case, arrived):
        if months in planned:
            continue
        day = add_months(arrived, months)
        with about_case(case.pk):
            visit = Visit.objects.create(case=case, months_after=months, scheduled_for=day)
        work.task_open(case=case, kind=TaskKind.MONITORING_VISIT, due_at=_due(day), mission=mission, role=role,
                       assignee=assignee, subject=_subject(months), subject_key=visit.subject_key)  # fmt: skip


def _cancel_planned(case: Case, *, by: Any, note: str) -> int:
    visits = list(Visit.objects.select_for_update().filter(case=case, status=V.PLANNED))
    with about_case(case.pk):
        for visit in visits:
            visit.status = V.CANCELLED
            visit.note = note
            visit.save(update_fields=["status", "note"])
    work.tasks_settle(case=case, kinds={TaskKind.MONITORING_VISIT}, status="cancelled", by=by, outcome=note)
    return len(visits)


# ---------------------------------------------------------------- visits


def _lock(visit: Visit) -> Visit:
    """Re-read under a row lock: two people recording one visit queue up; the second sees the first's work."""
    return Visit.objects.select_for_update(of=("self",)).select_related("case").get(pk=visit.pk)


def _require_recorder(user: Any, case: Case) -> None:
    if not policy.may_record(user, case):
        raise PermissionDenied(_("Your role does not record monitoring visits of this case."))


def _require_after_arrival(case: Case) -> dt.date:
    arrived = arrived_on(case)
    if case.status not in workflow.AFTER_ARRIVAL or arrived is None:
        raise ServiceError(
            _("The case is %(status)s: visits are recorded between arrival and closure.")
            % {"status": case.get_status_display()}
        )
    return arrived


def _check_date(visited_on: dt.date | None, arrived: dt.date, errors: dict[str, list[str]]) -> None:
    if visited_on is None:
        errors["visited_on"] = [_("Give the date of the visit.")]
    elif visited_on > timezone.localdate():
        errors["visited_on"] = [_("The date of the visit cannot be in the future.")]
    elif visited_on < arrived:
        errors["visited_on"] = [
            _("The returnee arrived on %(date)s: the visit cannot be before.") % {"date": arrived.isoformat()}
        ]


def case_components(case: Case) -> list[Component]:
    """The components of the case's plans a visit reports on: every one not cancelled."""
    return list(
        Component.objects.filter(plan__case=case)
        .exclude(status=Component.Status.CANCELLED)
        .select_related("plan__member__person")
        .order_by("plan__created_at", "created_at", "pk")
    )


def _check_findings(
    case: Case, rows: Sequence[FindingInput], errors: dict[str, list[str]]
) -> list[tuple[Component, FindingInput]]:
    """Each row about a component of the case's plans, once, with answers from the lists."""
    components = {c.pk: c for c in case_components(case)}
    checked: list[tuple[Component, FindingInput]] = []
    seen: set[int] = set()
    for n, row in enumerate(rows):
        place = f"components.{n}"
        component = components.get(row.component_id)
        problems = []
        if component is None:
            problems.append(_("Choose a component of this case's plans."))
        elif row.component_id in seen:
            problems.append(_("This component is reported twice."))
        if row.delivered not in F.Delivered.values:
            problems.append(_("Say whether the component was delivered: yes, partly or no."))
        if row.in_use not in ("", *F.YesNo.values):
            problems.append(_("Say whether it is in use: yes or no."))
        if row.business_running not in F.Running.values:
            problems.append(_("Say whether the business is running: yes, no or not applicable."))
        if problems:
            errors[place] = problems
            continue
        seen.add(row.component_id)
        checked.append((component, row))  # type: ignore[arg-type]
    return checked


def _check_photos(photos: Sequence[PhotoInput], already: int, errors: dict[str, list[str]]) -> list[str]:
    """Each a JPEG or PNG (sniffed, whatever its name says) within the size limit; at most ``MAX_PHOTOS`` a visit."""
    if already + len(photos) > MAX_PHOTOS:
        errors["photos"] = [_("A visit keeps at most %(count)s photos.") % {"count": MAX_PHOTOS}]
        return []
    types = []
    for n, photo in enumerate(photos):
        place = f"photos.{n}"
        try:
            content_type = files.check_upload(photo.file, field=place)
        except ServiceError as error:
            errors.update(error.fields)
            continue
        if content_type not in PHOTO_TYPES:
            errors[place] = [_("A photo is a JPEG or PNG image.")]
            continue
        types.append(content_type)
    return types


def _save_photos(acting_user: Any, visit: Visit, photos: Sequence[PhotoInput], types: list[str]) -> None:
    for photo, content_type in zip(photos, types, strict=True):
        row = VisitPhoto(visit=visit, content_type=content_type, caption=photo.caption.strip()[:200],
                         uploaded_by=acting_user)  # fmt: skip
        row.file.save(files.stored_name("photo", content_type), photo.file, save=False)
        row.save()


@service
def visit_record(
    *,
    acting_user: Any,
    visit: Visit | None = None,
    case: Case | None = None,
    visited_on: dt.date | None,
    mode: str,
    met: str = "",
    findings: str = "",
    risks: str = "",
    follow_up: str = "",
    components: Sequence[FindingInput] = (),
    photos: Sequence[PhotoInput] = (),
) -> Visit:
    """Record a monitoring visit: a planned one (``visit``), or one made outside the schedule (``case``).

    Rules: the origin mission's reintegration officers (the host's counsellors while no
    origin mission has the case) or the M&E officers of the case's missions; between
    arrival and closure; a planned visit is recorded once; the date is not in the future
    and not before the arrival; the mode from the list; findings only about components
    of the case's plans, each once; photos JPEG or PNG, size-limited. The visit's task
    is done.
    """
    if visit is not None:
        if case is not None and visit.case_id != case.pk:
            raise _refuse(_("This visit belongs to another case."), "visit")
        case = visit.case
    if case is None:
        raise TypeError("visit_record() needs visit= or case=")
    _require_recorder(acting_user, case)
    if visit is not None:
        visit = _lock(visit)
        if visit.status != V.PLANNED:
            raise _refuse(
                _("This visit is %(status)s: it cannot be recorded.") % {"status": visit.get_status_display()},
                "visit",
            )
    arrived = _require_after_arrival(case)
    errors: dict[str, list[str]] = {}
    _check_date(visited_on, arrived, errors)
    if mode not in Visit.Mode.values:
        errors["mode"] = [_("Choose how the visit was made.")]
    rows = _check_findings(case, components, errors)
    types = _check_photos(photos, 0, errors)
    if errors:
        raise ServiceError(_("The visit was not recorded: check the fields marked."), errors)
    visit = visit or Visit(case=case)
    visit.status = V.DONE
    visit.visited_on = visited_on
    visit.mode = mode
    visit.met, visit.findings, visit.risks, visit.follow_up = (t.strip() for t in (met, findings, risks, follow_up))
    visit.visited_by = acting_user
    with about_case(case.pk):
        visit.save()
        for component, row in rows:
            VisitFinding.objects.create(visit=visit, component=component, delivered=row.delivered, in_use=row.in_use,
                                        business_running=row.business_running, note=row.note.strip())  # fmt: skip
        _save_photos(acting_user, visit, photos, types)
    work.task_done_for(case=case, kind=TaskKind.MONITORING_VISIT, subject_key=visit.subject_key, by=acting_user,
                       outcome=_("visit recorded on %(date)s") % {"date": str(visited_on)})  # fmt: skip
    return visit


@service
def visit_add_photos(*, acting_user: Any, visit: Visit, photos: Sequence[PhotoInput]) -> list[VisitPhoto]:
    """Add photos to a recorded visit. Rules: those who record visits; a visit that took place;
    JPEG or PNG, size-limited, at most ``MAX_PHOTOS`` a visit."""
    _require_recorder(acting_user, visit.case)
    visit = _lock(visit)
    if visit.status != V.DONE:
        raise _refuse(_("Photos are added to a visit that took place."), "photos")
    if not photos:
        raise _refuse(_("Choose at least one photo."), "photos")
    errors: dict[str, list[str]] = {}
    types = _check_photos(photos, visit.photos.count(), errors)
    if errors:
        raise ServiceError(_("No photo was added: check the fields marked."), errors)
    before = set(visit.photos.values_list("pk", flat=True))
    with about_case(visit.case_id):
        _save_photos(acting_user, visit, photos, types)
    return list(visit.photos.exclude(pk__in=before))


@service
def visit_missed(*, acting_user: Any, visit: Visit, note: str) -> Visit:
    """Record that a planned visit did not take place, and why. Rules: those who record visits;
    a planned visit; with a reason. Its task is settled with the reason."""
    _require_recorder(acting_user, visit.case)
    visit = _lock(visit)
    if visit.status != V.PLANNED:
        raise _refuse(
            _("This visit is %(status)s: it cannot be missed.") % {"status": visit.get_status_display()}, "note"
        )
    note = (note or "").strip()
    if not note:
        raise _refuse(_("Say why the visit did not take place."), "note")
    visit.status = V.MISSED
    visit.note = note
    visit.visited_by = acting_user
    with about_case(visit.case_id):
        visit.save(update_fields=["status", "note", "visited_by"])
    work.task_done_for(case=visit.case, kind=TaskKind.MONITORING_VISIT, subject_key=visit.subject_key,
                       by=acting_user, outcome=_("visit missed: %(note)s") % {"note": note})  # fmt: skip
    return visit


# ---------------------------------------------------------------- closure


def _reason(reason: str, summary: str) -> str:
    errors: dict[str, list[str]] = {}
    if reason not in Closure.Reason.values:
        errors["reason"] = [_("Choose the reason from the list.")]
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = [_("Write the final summary.")]
    if errors:
        raise ServiceError(_("The case was not closed: check the fields marked."), errors)
    return summary


@service
def case_close(*, acting_user: Any, case: Case, reason: str, summary: str) -> Closure:
    """Close a case after its return, with a reason from the list and a final summary.

    Rules: a supervisor of the host or the origin mission; only after arrival (and not
    once closed); the reason from ``Closure.Reason``; a summary. The closure is kept and
    the case moved to "closed" (``case_transition``, with the reason in the move's
    details) together; planned visits and their tasks are cancelled.
    """
    if not policy.may_close(acting_user, case):
        raise PermissionDenied(_("Only a supervisor of the case's missions closes it."))
    if case.status not in workflow.AFTER_ARRIVAL:
        raise ServiceError(
            _("The case is %(status)s: a case is closed here only after the returnee arrived.")
            % {"status": case.get_status_display()}
        )
    summary = _reason(reason, summary)
    from homeward.cases.services import case_transition

    case_transition(acting_user=acting_user, case=case, to=S.CLOSED, note=summary, details={"reason": reason})
    with about_case(case.pk):
        # A case reopened and closed again keeps one closure, the latest; the audit log keeps the earlier ones.
        closure, _created = Closure.objects.update_or_create(
            case=case,
            defaults={"reason": reason, "summary": summary, "closed_by": acting_user,
                      "closed_on": timezone.localdate()},
        )  # fmt: skip
    _cancel_planned(case, by=acting_user, note=_("The case was closed."))
    return closure
