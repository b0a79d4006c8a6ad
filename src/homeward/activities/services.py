"""Every write of pre-departure activities: set one up, enrol a member of a case, keep the
attendance sheet, record completion or dropping out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.activities import selectors
from homeward.activities.models import Activity, Attendance, Enrolment
from homeward.cases import workflow
from homeward.cases.models import CaseMember
from homeward.core.audit import about_case, service
from homeward.core.errors import FieldErrors, ServiceError
from homeward.core.validation import full_clean
from homeward.partners.models import Partner
from homeward.programmes.models import Programme


def _refused(errors: FieldErrors) -> ServiceError:
    return ServiceError(_("Nothing was saved: check the fields marked."), errors)


@service
def activity_create(
    *,
    acting_user: User,
    mission: Mission,
    title: str,
    kind: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    programme: Programme | None = None,
    provider: Partner | None = None,
    place: str = "",
    capacity: int | None = None,
    description: str = "",
) -> Activity:
    """Set up an activity. Rules: by a case supervisor or an administrator of the mission; it ends
    no earlier than it starts; at least one place if places are limited; the programme and the
    provider are the mission's own."""
    if not selectors.may_create(acting_user, mission.pk):
        raise PermissionDenied(_("Only a case supervisor or an administrator of the mission sets up activities."))
    errors = FieldErrors()
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("An activity cannot end before it starts.")]
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("Give at least one place, or leave it empty for no limit.")]
    if programme is not None and not programme.missions.filter(pk=mission.pk).exists():
        errors["programme"] = [_("Choose a programme of this mission.")]
    if provider is not None and provider.mission_id != mission.pk:
        errors["provider"] = [_("Choose a partner of this mission.")]
    activity = Activity(
        mission=mission, programme=programme, title=(title or "").strip(), kind=kind, provider=provider,
        place=(place or "").strip(), starts_on=starts_on, ends_on=ends_on, capacity=capacity,
        description=(description or "").strip(), created_by=acting_user,
    )  # fmt: skip
    try:
        full_clean(activity, exclude=["mission", "programme", "provider", "created_by"], validate_constraints=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise _refused(errors)
    activity.save()
    return activity


@service
def enrol(
    *, acting_user: User, activity: Activity, member: CaseMember | None, enrolled_on: dt.date | None = None
) -> Enrolment:
    """Enrol a member of a case. Rules: by a caseworker who may change the case, of the
    activity's mission; before the case departs; before the activity ends; once per activity;
    not beyond its places (the activity is locked, so two enrolments cannot take the last place)."""
    if member is None:
        raise _refused({"member": [_("Choose a member of a case.")]})
    case = member.case
    if not permissions.can_change_case(acting_user, case):
        raise PermissionDenied(_("Your role may not enrol the people of this case."))
    if case.host_mission_id != activity.mission_id:
        raise _refused({"activity": [_("Choose an activity of the case's mission.")]})
    if case.status not in workflow.BEFORE_DEPARTURE:
        raise ServiceError(
            _("The case is %(status)s: activities are before departure.") % {"status": case.get_status_display()}
        )
    enrolled_on = enrolled_on or timezone.localdate()
    errors = FieldErrors()
    errors.not_future("enrolled_on", enrolled_on)
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if enrolled_on > activity.ends_on:
        errors.setdefault("enrolled_on", []).append(
            _("The activity ended on %(date)s.") % {"date": activity.ends_on.isoformat()}
        )
    if Enrolment.objects.filter(activity=activity, member=member).exists():
        errors["member"] = [
            _("%(name)s is already enrolled in %(activity)s.") % {"name": member.person, "activity": activity.title}
        ]
    elif activity.capacity is not None:
        taken = Enrolment.objects.filter(activity=activity, status__in=Enrolment.TAKING_PLACE).count()
        if taken >= activity.capacity:
            errors["activity"] = [
                _("%(activity)s is full: all %(capacity)s places are taken.")
                % {"activity": activity.title, "capacity": activity.capacity}
            ]
    if errors:
        raise _refused(errors)
    with about_case(case.pk):
        return Enrolment.objects.create(
            activity=activity, case=case, member=member, enrolled_on=enrolled_on, enrolled_by=acting_user
        )


def _require_run(user: User, activity: Activity) -> None:
    if not selectors.may_run(user, activity):
        raise PermissionDenied(_("Only caseworkers of the mission keep the attendance of its activities."))


@service
def attendance_record(
    *,
    acting_user: User,
    activity: Activity,
    on: dt.date | None,
    present: Iterable[int],
    notes: dict[int, str] | None = None,
) -> list[Attendance]:
    """Keep the attendance sheet of one day for everyone enrolled at once: those in ``present``
    (enrolment ids) came, the others did not. Rules: a day within the activity's dates, not in
    the future; for those enrolled or who completed (not those who dropped out). Taking the
    sheet again for the same day corrects it."""
    _require_run(acting_user, activity)
    errors = FieldErrors()
    if on is None:
        errors["on"] = [_("Give the date.")]
    elif not activity.starts_on <= on <= activity.ends_on:
        errors["on"] = [
            _("The activity runs from %(start)s to %(end)s: choose a day within.")
            % {"start": activity.starts_on.isoformat(), "end": activity.ends_on.isoformat()}
        ]
    else:
        errors.not_future("on", on)
    enrolments = list(
        Enrolment.objects.filter(activity=activity, status__in=Enrolment.TAKING_PLACE)
        .filter(permissions.case_scope(acting_user, prefix="case__"))
        .select_related("case")
    )
    came = set(present)
    unknown = came - {e.pk for e in enrolments}
    if unknown:
        errors["present"] = [_("Tick only people enrolled in this activity.")]
    if not enrolments:
        errors["present"] = [_("Nobody is enrolled yet.")]
    if errors:
        raise _refused(errors)
    notes = notes or {}
    saved = []
    for e in enrolments:
        with about_case(e.case_id):
            record, _created = Attendance.objects.update_or_create(
                enrolment=e, on=on,
                defaults={"present": e.pk in came, "note": (notes.get(e.pk) or "").strip()[:250],
                          "recorded_by": acting_user},
            )  # fmt: skip
        saved.append(record)
    return saved


def _lock(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("activity", "member__person").get(pk=enrolment.pk)


@service
def enrolment_complete(
    *, acting_user: User, enrolment: Enrolment, completed_on: dt.date | None, certificate_note: str = ""
) -> Enrolment:
    """Record that a member completed the activity. Rules: someone enrolled (not dropped out, not
    completed already); on a day from the activity's start, not in the future."""
    enrolment = _lock(enrolment)
    _require_run(acting_user, enrolment.activity)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ServiceError(
            _("%(name)s is marked %(status)s: nothing to complete.")
            % {"name": enrolment.member.person, "status": enrolment.get_status_display()}
        )
    errors = FieldErrors()
    if completed_on is None:
        errors["completed_on"] = [_("Give the date it was completed.")]
    elif completed_on < enrolment.activity.starts_on:
        errors["completed_on"] = [
            _("The activity starts on %(date)s.") % {"date": enrolment.activity.starts_on.isoformat()}
        ]
    else:
        errors.not_future("completed_on", completed_on)
    if errors:
        raise _refused(errors)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.certificate_note = (certificate_note or "").strip()[:250]
    with about_case(enrolment.case_id):
        enrolment.save(update_fields=["status", "completed_on", "certificate_note"])
    return enrolment


@service
def enrolment_drop(*, acting_user: User, enrolment: Enrolment) -> Enrolment:
    """Record that a member dropped out: their place is free again. Rule: only someone enrolled."""
    enrolment = _lock(enrolment)
    _require_run(acting_user, enrolment.activity)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ServiceError(
            _("%(name)s is marked %(status)s: they cannot drop out.")
            % {"name": enrolment.member.person, "status": enrolment.get_status_display()}
        )
    enrolment.status = Enrolment.Status.DROPPED_OUT
    with about_case(enrolment.case_id):
        enrolment.save(update_fields=["status"])
    return enrolment
