"""Every read of accommodation, scoped to the user: facilities of their missions, the occupancy board, a case's stays.

Who reads: anyone who reads cases in the mission (VIEW_CASE). Who manages facilities: case supervisors
(SUPERVISE) and administrators (MANAGE_SITE). A facility of another mission is a 404. Who stays where, and
who waits, is shown only for cases the reader may open: an administrator keeps the beds, not the people.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from homeward.accommodation import rules
from homeward.accommodation.models import Facility, Placement, RoomCapacity, WaitingEntry
from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.cases.models import Case, CaseMember
from homeward.people.models import PersonVulnerability, VulnerabilityType
from homeward.people.taxonomy import NAMES


def read_missions(user: Any) -> set[int]:
    return permissions.mission_ids_with(user, Perm.VIEW_CASE) | manage_missions(user)


def manage_missions(user: Any) -> set[int]:
    return permissions.mission_ids_with(user, Perm.SUPERVISE) | permissions.mission_ids_with(user, Perm.MANAGE_SITE)


def may_manage(user: Any, mission_id: int) -> bool:
    return mission_id in manage_missions(user)


def sees_people(user: Any, mission_id: int) -> bool:
    """Whether the board names people (cases, stays, the waiting list): only for who reads cases in the mission."""
    return permissions.has_perm_in(user, Perm.VIEW_CASE, mission_id)


def board_missions(user: Any) -> list[Mission]:
    return list(Mission.objects.filter(pk__in=read_missions(user)).order_by("code"))


def facility_for(user: Any, pk: int) -> Facility:
    """One facility of the user's missions, or 404."""
    facility = Facility.objects.filter(pk=pk, mission_id__in=read_missions(user)).select_related("mission").first()
    if facility is None:
        raise Http404
    return facility


def facilities_of(mission: Mission, *, active_only: bool = False) -> QuerySet[Facility]:
    qs = Facility.objects.filter(mission=mission).select_related("partner").prefetch_related("capacities")
    return qs.filter(active=True) if active_only else qs


def placement_for(user: Any, pk: int) -> Placement:
    """One placement of a case the user may see, or 404."""
    placement = (
        Placement.objects.filter(pk=pk, **{"case__in": Case.objects.filter(permissions.case_scope(user))})
        .select_related("case", "facility", "member__person")
        .first()
    )
    if placement is None:
        raise Http404
    return placement


def waiting_entry_for(user: Any, pk: int) -> WaitingEntry:
    entry = WaitingEntry.objects.filter(pk=pk, case__in=Case.objects.filter(permissions.case_scope(user))).first()
    if entry is None:
        raise Http404
    return entry


# ---------------------------------------------------------------- occupancy


@dataclass
class RoomLine:
    room_type: str
    label: str
    beds: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.beds - self.occupied, 0)


@dataclass
class FacilityBoard:
    facility: Facility
    rooms: list[RoomLine]
    occupants: list[Placement] = field(default_factory=list)

    @property
    def beds(self) -> int:
        return sum(r.beds for r in self.rooms)

    @property
    def occupied(self) -> int:
        return sum(r.occupied for r in self.rooms)

    @property
    def free(self) -> int:
        return sum(r.free for r in self.rooms)


def occupancy(facilities: list[Facility], on: dt.date, viewer: Any) -> list[FacilityBoard]:
    """Per facility and room type: beds, beds taken on ``on``, free. Occupants listed, earliest expected out first.

    The counts count everyone; the occupants are only those of cases ``viewer`` may open, so whoever
    keeps the beds without reading cases (an administrator) sees how full a place is, not who is in it.
    A placement of a room type the facility no longer has still shows, with no beds, so nobody disappears.
    """
    stays = (
        Placement.objects.filter(facility__in=facilities, checked_in_on__lte=on)
        .exclude(checked_out_on__lte=on)
        .select_related("case", "member__person")
        .order_by("expected_check_out_on", "checked_in_on", "pk")
    )
    by_facility: dict[int, list[Placement]] = defaultdict(list)
    for p in stays:
        p.overdue = p.expected_check_out_on is not None and p.expected_check_out_on < on
        by_facility[p.facility_id].append(p)
    readable = _readable_cases(viewer, {p.case_id for ps in by_facility.values() for p in ps})
    boards = []
    for facility in facilities:
        staying = by_facility[facility.pk]
        taken: dict[str, int] = defaultdict(int)
        for p in staying:
            taken[p.room_type] += 1
        beds = {c.room_type: c.beds for c in facility.capacities.all()}
        types = sorted(beds.keys() | taken.keys(), key=_room_order)
        rooms = [RoomLine(t, _room_label(t), beds.get(t, 0), taken[t]) for t in types]
        boards.append(FacilityBoard(facility, rooms, [p for p in staying if p.case_id in readable]))
    return boards


def _readable_cases(user: Any, case_ids: set[int]) -> set[int]:
    if not case_ids:
        return set()
    return set(Case.objects.filter(permissions.case_scope(user), pk__in=case_ids).values_list("pk", flat=True))


def _room_order(room_type: str) -> int:
    from homeward.accommodation.models import RoomType

    return RoomType.values.index(room_type) if room_type in RoomType.values else 99


def _room_label(room_type: str) -> str:
    from homeward.accommodation.models import RoomType

    return str(RoomType(room_type).label) if room_type in RoomType.values else room_type


def room_choices(facility: Facility) -> list[tuple[str, str]]:
    return [(c.room_type, _room_label(c.room_type)) for c in facility.capacities.all()]


# ---------------------------------------------------------------- the waiting list


@dataclass
class Waiting:
    entry: WaitingEntry
    priority: rules.Priority
    # The vulnerability behind the priority, "" when there is none or the reader may not see its kind.
    reason: str


def _vulnerability_prefetch() -> Prefetch:
    return Prefetch(
        "members",
        queryset=CaseMember.objects.select_related("person").prefetch_related(
            Prefetch("person__vulnerabilities", queryset=PersonVulnerability.objects.select_related("type"))
        ),
    )


def waiting_list(user: Any, mission: Mission, on: dt.date | None = None) -> list[Waiting]:
    """The mission's waiting list, most vulnerable first, then longest waiting.

    The reason is named only to a reader who may see facts of its sensitivity (a trafficking victim is
    not named as such to a finance officer); the others see that the entry has priority, not why.
    """
    on = on or timezone.localdate()
    derived = dict(VulnerabilityType.objects.filter(derived=True).values_list("code", "sensitivity"))
    entries = (
        WaitingEntry.objects.filter(status=WaitingEntry.Status.WAITING, case__host_mission=mission)
        .filter(case__in=Case.objects.filter(permissions.case_scope(user)))
        .select_related("case", "facility")
        .prefetch_related(_vulnerability_prefetch())
    )
    rows = []
    for entry in entries:
        facts = []
        names: dict[str, str] = {}  # a type an administrator added later is named as typed
        for m in entry.members.all():
            for v in m.person.vulnerabilities.all():
                facts.append((v.type.code, v.type.sensitivity))
                names[v.type.code] = str(v.type)
            facts += [(code, derived.get(code, "general")) for code in m.person.derived_vulnerability_codes(on)]
        priority = rules.priority_of(facts)
        visible = priority.sensitivity in permissions.visible_sensitivities(user, entry.case)
        name = names.get(priority.reason) or str(NAMES.get(priority.reason, priority.reason))
        reason = name if priority.reason and visible else ""
        rows.append(Waiting(entry, priority, reason))
    rows.sort(key=lambda w: rules.queue_key(w.priority, w.entry.requested_on, w.entry.pk))
    return rows


def waiting_people(mission: Mission) -> int:
    """How many people wait for a bed in the mission: a number anyone who keeps its beds may know."""
    waiting = WaitingEntry.objects.filter(status=WaitingEntry.Status.WAITING, case__host_mission=mission)
    return waiting.aggregate(n=Count("members", distinct=True))["n"]


# ---------------------------------------------------------------- one case


def placements_of(case: Case) -> list[Placement]:
    return list(
        # Current stays first, then the past ones, latest first.
        case.placements.select_related("facility", "member__person").order_by(
            F("checked_out_on").desc(nulls_first=True), "-checked_in_on", "member__added_at", "pk"
        )
    )


def waiting_of(case: Case) -> list[WaitingEntry]:
    return list(case.waiting_entries.select_related("facility").prefetch_related("members__person"))


def capacities_of(mission_id: int) -> QuerySet[RoomCapacity]:
    return RoomCapacity.objects.filter(facility__mission_id=mission_id, facility__active=True).select_related(
        "facility"
    )
