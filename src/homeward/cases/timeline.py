"""One stream of what happened to a case: moves, sessions, documents, travel and work done.

Each source gives ``Event``s; the stream is newest first. Facts the reader may not
see (a safeguarding item about trafficking, say) are left out here as everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.cases.models import Case, CaseStatus


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str  # transition, session, declaration, document, travel, task, safeguarding, payment
    title: str
    detail: str = ""
    by: str = ""
    date_only: bool = False  # a fact known to the day (a session's date), shown without a time


def _day(date: dt.date, recorded: dt.datetime | None = None) -> dt.datetime:
    """Where a date-only fact sorts: when it was recorded, if that was on the day; else the day's noon."""
    if recorded is not None and timezone.localtime(recorded).date() == date:
        return recorded
    return timezone.make_aware(dt.datetime.combine(date, dt.time(12)))


def _transitions(case: Case) -> list[Event]:
    statuses = dict(CaseStatus.choices)
    return [
        Event(t.at, "transition", _("%(from)s → %(to)s") % {"from": statuses[t.from_status], "to": statuses[t.to_status]},
              t.note, str(t.by))
        for t in case.transitions.select_related("by")
    ]  # fmt: skip


def _sessions(case: Case) -> list[Event]:
    events = []
    for s in case.sessions.select_related("counsellor", "signed_off_by"):
        title = _("Counselling session (%(mode)s): %(outcome)s") % {
            "mode": s.get_mode_display(),
            "outcome": s.get_outcome_display(),
        }
        detail = _("Informed decision to return recorded.") if s.informed_decision else s.next_steps
        events.append(Event(_day(s.held_on, s.created_at), "session", title, detail, str(s.counsellor), True))
        if s.signed_off_at:
            events.append(Event(s.signed_off_at, "session", _("Voluntariness signed off"), "", str(s.signed_off_by)))
    return events


def _declarations(case: Case) -> list[Event]:
    events = []
    for d in case.declarations.select_related("generated_by", "scan_uploaded_by"):
        events.append(Event(d.generated_at, "declaration", _("Declaration of voluntary return prepared"), "",
                            str(d.generated_by)))  # fmt: skip
        if d.scan_uploaded_at:
            events.append(Event(d.scan_uploaded_at, "declaration", _("Signed declaration uploaded"),
                                _("signed on %(date)s") % {"date": formats.date_format(d.signed_on, "SHORT_DATE_FORMAT")},
                                str(d.scan_uploaded_by)))  # fmt: skip
    return events


def _travel(user: Any, case: Case) -> list[Event]:
    from homeward.travel.models import PreDepartureCheck, TravelDocumentRequest
    from homeward.travel.selectors import can_see_medical

    medical = can_see_medical(user, case)
    events = []
    for r in TravelDocumentRequest.objects.filter(case=case).select_related("member__person", "created_by"):
        about = {"kind": r.get_kind_display(), "name": r.member.person, "authority": r.authority}
        events.append(Event(_day(r.requested_on, r.created_at), "document",
                            _("%(kind)s requested for %(name)s from %(authority)s") % about, "", str(r.created_by),
                            True))  # fmt: skip
        if r.issued_on:
            events.append(Event(_day(r.issued_on, r.updated_at), "document", _("%(kind)s issued for %(name)s") % about,
                                date_only=True))  # fmt: skip
    for c in PreDepartureCheck.objects.filter(itinerary__case=case).select_related("checked_by"):
        title = _("Pre-embarkation check passed") if c.passed else _("Pre-embarkation check failed")
        # The note may be about health.
        events.append(Event(c.checked_at, "travel", title, c.note if medical else "", str(c.checked_by)))
    return events


def _tasks(case: Case) -> list[Event]:
    return [
        Event(t.closed_at, "task", _("Done: %(task)s") % {"task": t.get_kind_display()}, t.outcome, str(t.closed_by or ""))
        for t in case.tasks.filter(status="done", closed_at__isnull=False).select_related("closed_by")
    ]  # fmt: skip


def _safeguarding(user: Any, case: Case) -> list[Event]:
    from homeward.people.models import VulnerabilityType
    from homeward.safeguarding.checklists import ITEMS

    visible = permissions.visible_sensitivities(user, case)
    sensitivity = dict(VulnerabilityType.objects.values_list("code", "sensitivity"))
    return [
        Event(_day(i.done_on, i.recorded_at), "safeguarding",
              _("Safeguarding: %(item)s") % {"item": ITEMS.get(i.item, i.item)}, "", str(i.done_by), True)
        for i in case.safeguarding_items.select_related("done_by")
        if sensitivity.get(i.vulnerability, "protection") in visible
    ]  # fmt: skip


def timeline(user: Any, case: Case) -> list[Event]:
    """Everything that happened to ``case`` that ``user`` may see, newest first."""
    events = [
        *_transitions(case),
        *_sessions(case),
        *_declarations(case),
        *_travel(user, case),
        *_tasks(case),
        *_safeguarding(user, case),
    ]
    return sorted(events, key=lambda e: e.at, reverse=True)
