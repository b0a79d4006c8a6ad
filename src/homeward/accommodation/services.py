"""Every write of pre-departure accommodation: facilities and their beds, check-in, check-out, moves, the waiting list.

Who: case supervisors and administrators of a mission keep its facilities; the caseworkers of a case
(counsellors, supervisors: CHANGE_CASE) place its members. Each write is one transaction: a family that
does not fit is not half placed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accommodation import rules, selectors
from homeward.accommodation.models import EndReason, Facility, Placement, RoomCapacity, RoomType, WaitingEntry
from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.core.audit import about_case, service
from homeward.core.errors import FieldErrors, ServiceError
from homeward.core.validation import save_changes


def _refuse(message: str, field: str | None = None) -> ServiceError:
    return ServiceError(message, {field: [message]} if field else None)


def _require_manager(user: User, mission_id: int) -> None:
    if not selectors.may_manage(user, mission_id):
        raise PermissionDenied(_("Your role does not manage this mission's facilities."))


def _require_caseworker(user: User, case: Case) -> None:
    if not permissions.can_change_case(user, case):
        raise PermissionDenied(_("Your role does not place this case's people."))


# ---------------------------------------------------------------- facilities and beds


@dataclass
class FacilityInput:
    name: str
    kind: str
    partner: Any = None
    address: str = ""
    notes: str = ""
    active: bool = True


def _check_facility(mission: Mission, data: FacilityInput, facility: Facility | None = None) -> dict[str, Any]:
    errors = FieldErrors()
    name = " ".join(data.name.split())
    if not name:
        errors.add("name", _("Give the facility a name."))
    elif Facility.objects.filter(mission=mission, name__iexact=name).exclude(pk=getattr(facility, "pk", None)).exists():
        errors.add("name", _("This mission already has a facility of that name."))
    if data.kind not in Facility.Kind.values:
        errors.add("kind", _("Choose from the list."))
    if data.partner is not None and data.partner.mission_id != mission.pk:
        errors.add("partner", _("Choose a partner of this mission."))
    if facility is not None and not data.active and facility.placements.filter(checked_out_on__isnull=True).exists():
        errors.add("active", _("People are staying here: check them out before closing the facility."))
    errors.raise_if_any()
    return {"name": name, "kind": data.kind, "partner": data.partner, "address": data.address.strip(),
            "notes": data.notes.strip(), "active": data.active}  # fmt: skip


@service
def facility_create(*, acting_user: User, mission: Mission, data: FacilityInput) -> Facility:
    """Add a facility. Rule: a case supervisor or administrator of the mission; its partner is of the mission."""
    _require_manager(acting_user, mission.pk)
    facility = Facility(mission=mission, **_check_facility(mission, data))
    facility.save()
    return facility


@service
def facility_update(*, acting_user: User, facility: Facility, data: FacilityInput) -> Facility:
    """Change a facility; it closes (inactive) only when nobody is staying there."""
    _require_manager(acting_user, facility.mission_id)
    save_changes(facility, _check_facility(facility.mission, data, facility))
    return facility


@service
def capacity_set(*, acting_user: User, facility: Facility, room_type: str, beds: int) -> RoomCapacity | None:
    """Set a room type's beds; zero removes the room type. Rule: never fewer beds than people staying there now."""
    _require_manager(acting_user, facility.mission_id)
    if room_type not in RoomType.values:
        raise _refuse(_("Choose from the list."), "room_type")
    if beds is None or beds < 0:
        raise _refuse(_("Give a number, zero or more."), "beds")
    capacity = RoomCapacity.objects.select_for_update().filter(facility=facility, room_type=room_type).first()
    staying = facility.placements.filter(room_type=room_type, checked_out_on__isnull=True).count()
    if beds < staying:
        message = ngettext(
            "%(count)d person is staying in this room type: keep at least %(count)d bed.",
            "%(count)d people are staying in this room type: keep at least %(count)d beds.",
            staying,
        ) % {"count": staying}
        raise _refuse(message, "beds")
    if beds == 0:
        if capacity is not None:
            capacity.delete()
        return None
    if capacity is None:
        capacity = RoomCapacity(facility=facility, room_type=room_type, beds=beds)
        capacity.save()
    elif capacity.beds != beds:
        capacity.beds = beds
        capacity.save(update_fields=["beds"])
    return capacity


# ---------------------------------------------------------------- check-in, check-out, moves


def _day(value: dt.date | None) -> str:
    return date_format(value) if value else ""


def _free_beds(facility: Facility, room_type: str, on: dt.date, *, lock: bool) -> tuple[int, int]:
    """``(beds, free)`` for a stay starting ``on``; with ``lock`` the capacity row is held until commit.

    The lock serialises check-ins into one room type on PostgreSQL: the second waits, then
    counts the first's placements, so two people never both take the last bed.
    """
    qs = RoomCapacity.objects.filter(facility=facility, room_type=room_type)
    capacity = (qs.select_for_update() if lock else qs).first()
    if capacity is None:
        return 0, 0
    stays = Placement.objects.filter(facility=facility, room_type=room_type).exclude(checked_out_on__lte=on)
    peak = rules.peak_occupancy(stays.values_list("checked_in_on", "checked_out_on"), on)
    return capacity.beds, max(capacity.beds - peak, 0)


def _check_case_open(case: Case) -> None:
    """Rule: only a case not yet gone is placed. The case row is locked and its status re-read, as a move
    does: a check-in and a departure at the same moment queue up, so no bed stays taken by someone gone."""
    case.status = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
    if case.status not in workflow.BEFORE_DEPARTURE:
        raise _refuse(
            _("This case is %(status)s: it has no pre-departure accommodation.") % {"status": case.get_status_display()}
        )


@service
def placement_check_in(
    *,
    acting_user: User,
    case: Case,
    members: list[CaseMember],
    facility: Facility,
    room_type: str,
    checked_in_on: dt.date,
    expected_check_out_on: dt.date | None = None,
    reason: str = "",
) -> list[Placement]:
    """Place members of a case in a facility, one placement each, all or none.

    Rules: a caseworker of the case; the case has not left; a facility of the case's host mission;
    the members are the case's and none has an open placement; a room type the facility has, with
    a free bed for each of them from the check-in day on; no check-in in the future; the expected
    check-out not before the check-in.
    """
    _require_caseworker(acting_user, case)
    _check_case_open(case)
    members = list({m.pk: m for m in members}.values())
    errors = FieldErrors()
    if not members:
        errors.add("members", _("Choose who is checking in."))
    if any(m.case_id != case.pk for m in members):
        errors.add("members", _("Choose members of this case."))
    if room_type not in RoomType.values:
        errors.add("room_type", _("Choose from the list."))
    if facility.mission_id != case.host_mission_id:
        errors.add("facility", _("Choose a facility of the case's host mission."))
    elif not facility.active:
        errors.add("facility", _("This facility is closed."))
    if checked_in_on is None:
        errors.add("checked_in_on", _("This field is required."))
    elif checked_in_on > timezone.localdate():
        errors.add("checked_in_on", _("The check-in is in the future: put them on the waiting list instead."))
    if expected_check_out_on and checked_in_on and expected_check_out_on < checked_in_on:
        errors.add(
            "expected_check_out_on",
            _("The expected check-out cannot be before the check-in (%(date)s).") % {"date": _day(checked_in_on)},
        )
    errors.raise_if_any()
    placed = Placement.objects.filter(member__in=members, checked_out_on__isnull=True).select_related(
        "member__person", "facility"
    )
    for p in placed:
        errors.add(
            "members",
            _("%(name)s is already staying at %(facility)s.") % {"name": p.member.person, "facility": p.facility},
        )
    errors.raise_if_any()
    beds, free = _free_beds(facility, room_type, checked_in_on, lock=True)
    if beds == 0:
        raise _refuse(
            _("%(facility)s has no %(room_type)s rooms.")
            % {"facility": facility, "room_type": RoomType(room_type).label},
            "room_type",
        )
    if len(members) > free:
        raise _refuse(
            ngettext(
                "Not enough beds: %(free)d bed of %(beds)d is free in %(room_type)s rooms; %(needed)d needed.",
                "Not enough beds: %(free)d beds of %(beds)d are free in %(room_type)s rooms; %(needed)d needed.",
                free,
            )
            % {"free": free, "beds": beds, "room_type": RoomType(room_type).label, "needed": len(members)},
            "members",
        )
    with about_case(case.pk):
        placements = [
            Placement(
                case=case,
                member=m,
                facility=facility,
                room_type=room_type,
                checked_in_on=checked_in_on,
                expected_check_out_on=expected_check_out_on,
                reason=reason.strip(),
                placed_by=acting_user,
            )
            for m in members
        ]
        for p in placements:
            p.save()
        _waiting_settle(case, on=checked_in_on)
    return placements


def _waiting_settle(case: Case, *, on: dt.date) -> None:
    """Rule: an entry whose members all have a bed now is placed (whoever placed them, from the list or not)."""
    housed = set(Placement.objects.filter(case=case, checked_out_on__isnull=True).values_list("member_id", flat=True))
    for entry in case.waiting_entries.filter(status=WaitingEntry.Status.WAITING).prefetch_related("members"):
        if {m.pk for m in entry.members.all()} <= housed:
            entry.status, entry.closed_on = WaitingEntry.Status.PLACED, on
            entry.save(update_fields=["status", "closed_on"])


def _end(placement: Placement, *, on: dt.date, reason: str, note: str, by: User) -> None:
    placement.checked_out_on, placement.end_reason = on, reason
    placement.end_note, placement.checked_out_by = note.strip()[:300], by
    placement.save(update_fields=["checked_out_on", "end_reason", "end_note", "checked_out_by"])


def _check_out_checks(placement: Placement, on: dt.date | None, reason: str) -> None:
    errors = FieldErrors()
    if not placement.is_open:
        raise _refuse(_("This placement ended on %(date)s.") % {"date": _day(placement.checked_out_on)})
    if on is None:
        errors.add("checked_out_on", _("This field is required."))
    elif on < placement.checked_in_on:
        errors.add(
            "checked_out_on",
            _("A check-out cannot be before the check-in (%(date)s).") % {"date": _day(placement.checked_in_on)},
        )
    elif on > timezone.localdate():
        errors.add("checked_out_on", _("The check-out is in the future."))
    if reason not in EndReason.values:
        errors.add("end_reason", _("Choose from the list."))
    errors.raise_if_any()


def _locked(placement: Placement) -> Placement:
    return Placement.objects.select_for_update(of=("self",)).select_related("case", "facility").get(pk=placement.pk)


@service
def placement_check_out(
    *, acting_user: User, placement: Placement, checked_out_on: dt.date, end_reason: str, note: str = ""
) -> Placement:
    """End a stay. Rules: a caseworker of the case; not before the check-in, not in the future; a reason."""
    placement = _locked(placement)
    _require_caseworker(acting_user, placement.case)
    _check_out_checks(placement, checked_out_on, end_reason)
    with about_case(placement.case_id):
        _end(placement, on=checked_out_on, reason=end_reason, note=note, by=acting_user)
    return placement


@service
def placement_move(
    *,
    acting_user: User,
    placement: Placement,
    facility: Facility,
    room_type: str,
    moved_on: dt.date,
    expected_check_out_on: dt.date | None = None,
    reason: str = "",
) -> Placement:
    """Move one member to another facility or room type: checked out here and in there the same day, or neither."""
    placement = _locked(placement)
    _require_caseworker(acting_user, placement.case)
    _check_out_checks(placement, moved_on, EndReason.MOVED)
    with about_case(placement.case_id):
        _end(placement, on=moved_on, reason=EndReason.MOVED, note=reason, by=acting_user)
    [moved] = placement_check_in(
        acting_user=acting_user, case=placement.case, members=[placement.member], facility=facility,
        room_type=room_type, checked_in_on=moved_on,
        expected_check_out_on=expected_check_out_on or placement.expected_check_out_on,
        reason=reason or placement.reason,
    )  # fmt: skip
    return moved


def placements_end_for(*, case: Any, transition: Any, acting_user: Any) -> None:
    """Called by ``cases.journey`` inside the move's transaction when a case departs or leaves the workflow.

    Rule: a departure or a way out (withdrawn, not eligible, lost contact, cancelled) checks out every
    open placement of the case on the day of the move, and takes its people off the waiting list.
    A no-show is not a way out here: the case may be booked again and its people still need the bed.
    """
    if transition.to_status == CaseStatus.DEPARTED:
        reason = EndReason.DEPARTURE
    elif transition.to_status in workflow.EXITS:
        reason = EndReason.WAY_OUT
    else:
        return
    day = timezone.localdate(transition.at)
    note = transition.get_to_status_display()
    with about_case(case.pk):
        for placement in Placement.objects.select_for_update().filter(case=case, checked_out_on__isnull=True):
            # A check-in backdated after a same-day move would put the check-out before it.
            _end(placement, on=max(day, placement.checked_in_on), reason=reason, note=str(note), by=acting_user)
        for entry in case.waiting_entries.filter(status=WaitingEntry.Status.WAITING):
            entry.status, entry.closed_on = WaitingEntry.Status.REMOVED, day
            entry.save(update_fields=["status", "closed_on"])


# ---------------------------------------------------------------- the waiting list


@service
def waiting_add(
    *,
    acting_user: User,
    case: Case,
    members: list[CaseMember],
    room_type: str,
    facility: Facility | None = None,
    requested_on: dt.date | None = None,
    note: str = "",
) -> WaitingEntry:
    """Put members of a case on the waiting list. Rules: a caseworker of the case, which has not left;
    members of the case, none already waiting or staying; a preferred facility of the host mission."""
    _require_caseworker(acting_user, case)
    _check_case_open(case)
    errors = FieldErrors()
    requested_on = requested_on or timezone.localdate()
    members = list({m.pk: m for m in members}.values())
    if not members:
        errors.add("members", _("Choose who needs a bed."))
    if any(m.case_id != case.pk for m in members):
        errors.add("members", _("Choose members of this case."))
    if room_type not in RoomType.values:
        errors.add("room_type", _("Choose from the list."))
    if facility is not None and facility.mission_id != case.host_mission_id:
        errors.add("facility", _("Choose a facility of the case's host mission."))
    if requested_on > timezone.localdate():
        errors.add("requested_on", _("The date is in the future."))
    ids = [m.pk for m in members]
    waiting = CaseMember.objects.filter(pk__in=ids, waiting_entries__status=WaitingEntry.Status.WAITING).select_related(
        "person"
    )
    for m in waiting:
        errors.add("members", _("%(name)s is already on the waiting list.") % {"name": m.person})
    staying = Placement.objects.filter(member_id__in=ids, checked_out_on__isnull=True).select_related("member__person")
    for p in staying:
        errors.add("members", _("%(name)s already has a bed.") % {"name": p.member.person})
    errors.raise_if_any()
    with about_case(case.pk):
        entry = WaitingEntry(case=case, facility=facility, room_type=room_type, requested_on=requested_on,
                             note=note.strip(), created_by=acting_user)  # fmt: skip
        entry.save()
        entry.members.set(members)
    return entry


@service
def waiting_remove(*, acting_user: User, entry: WaitingEntry) -> WaitingEntry:
    """Take an entry off the waiting list (no longer needed). Rule: a caseworker of the case; only a waiting one."""
    _require_caseworker(acting_user, entry.case)
    if entry.status != WaitingEntry.Status.WAITING:
        raise _refuse(_("This entry is no longer waiting."))
    with about_case(entry.case_id):
        entry.status, entry.closed_on = WaitingEntry.Status.REMOVED, timezone.localdate()
        entry.save(update_fields=["status", "closed_on"])
    return entry
