"""Every write of outreach: campaigns and what happens in them, the hotline log, a call turned into an
inquiry case, and how a case heard of the programme.

Who: the caseworkers (counsellors, supervisors) of the mission write; everyone else reads at most.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, ReferralSource, Relationship
from homeward.cases.services import CaseInput, MemberInput, case_register
from homeward.core import languages as language_codes
from homeward.core.audit import about_case, service
from homeward.core.errors import FieldErrors, ServiceError
from homeward.outreach import selectors
from homeward.outreach.models import (
    Campaign,
    CaseSource,
    HotlineCall,
    HowHeard,
    InfoSession,
    MaterialDistribution,
    OutreachMeeting,
    VenueKind,
)
from homeward.people.inputs import PersonInput, normalise_phone
from homeward.programmes.models import Programme

# A clock a few minutes fast on a phone or laptop is not a call from the future.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _require_writer(user: User, mission_id: int) -> None:
    if not selectors.may_write(user, mission_id):
        raise PermissionDenied(_("Your role does not record outreach or hotline calls for this mission."))


def _choice(errors: FieldErrors, name: str, value: str, choices: type[models.TextChoices]) -> None:
    if value not in choices.values:
        errors.add(name, _("Choose from the list."))


def _not_future(errors: FieldErrors, name: str, value: dt.date | None) -> None:
    if value is None:
        errors.add(name, _("This field is required."))
    elif value > timezone.localdate():
        errors.add(name, _("The date is in the future."))


def _language(errors: FieldErrors, name: str, code: str) -> None:
    if code and not language_codes.is_known(code):
        errors.add(name, _("Unknown language code: %(codes)s.") % {"codes": code})


def _counts(errors: FieldErrors, values: dict[str, int | None]) -> None:
    for name, value in values.items():
        if value is None or value < 0:
            errors.add(name, _("Give a number, zero or more."))


def _apply(obj: models.Model, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


# ---------------------------------------------------------------- campaigns


@dataclass
class CampaignInput:
    programme: Programme
    name: str
    start: dt.date
    end: dt.date
    description: str = ""


def _check_campaign(mission: Mission, data: CampaignInput) -> dict[str, Any]:
    errors = FieldErrors()
    if not data.name.strip():
        errors.add("name", _("Give the campaign a name."))
    if data.start and data.end and data.end < data.start:
        errors.add("end", _("The campaign ends before it starts."))
    if not data.programme.missions.filter(pk=mission.pk).exists():
        errors.add(
            "programme",
            _("%(mission)s does not implement %(programme)s.")
            % {"mission": mission.code, "programme": data.programme.code},
        )
    errors.raise_if_any()
    return {"programme": data.programme, "name": data.name.strip(), "start": data.start, "end": data.end,
            "description": data.description.strip()}  # fmt: skip


@service
def campaign_create(*, acting_user: User, mission: Mission, data: CampaignInput) -> Campaign:
    """Start a campaign. Rule: a caseworker of the mission; the mission implements the programme; it ends after it starts."""
    _require_writer(acting_user, mission.pk)
    campaign = Campaign(mission=mission, created_by=acting_user, **_check_campaign(mission, data))
    campaign.save()
    return campaign


@service
def campaign_update(*, acting_user: User, campaign: Campaign, data: CampaignInput) -> Campaign:
    """Change a campaign. Rule: as for creating it; its sessions, materials and meetings stay inside its period."""
    _require_writer(acting_user, campaign.mission_id)
    values = _check_campaign(campaign.mission, data)
    outside = [
        *campaign.sessions.exclude(held_on__range=(data.start, data.end)).values_list("held_on", flat=True),
        *campaign.meetings.exclude(held_on__range=(data.start, data.end)).values_list("held_on", flat=True),
        *campaign.materials.exclude(distributed_on__range=(data.start, data.end)).values_list(
            "distributed_on", flat=True
        ),
    ]
    if outside:
        message = _("Something recorded in this campaign on %(date)s falls outside the new period.") % {
            "date": min(outside).isoformat()
        }
        raise ServiceError(message, {"start": [message]})
    changed = _apply(campaign, values)
    if changed:
        campaign.save(update_fields=changed)
    return campaign


def _in_campaign(errors: FieldErrors, name: str, campaign: Campaign, on: dt.date | None) -> None:
    if on is not None and not campaign.start <= on <= campaign.end:
        errors.add(
            name,
            _("The campaign runs from %(start)s to %(end)s.")
            % {"start": campaign.start.isoformat(), "end": campaign.end.isoformat()},
        )


# ---------------------------------------------------------------- information sessions


@dataclass
class SessionInput:
    held_on: dt.date
    venue_kind: str
    venue_name: str = ""
    languages: list[str] = field(default_factory=list)
    women: int = 0
    men: int = 0
    girls: int = 0
    boys: int = 0
    other_participants: int = 0
    interpreters: int = 0
    notes: str = ""


def _check_session(campaign: Campaign, data: SessionInput) -> dict[str, Any]:
    errors = FieldErrors()
    _not_future(errors, "held_on", data.held_on)
    _in_campaign(errors, "held_on", campaign, data.held_on)
    _choice(errors, "venue_kind", data.venue_kind, VenueKind)
    codes = sorted({c.strip().lower() for c in data.languages if c.strip()})
    for code in codes:
        _language(errors, "languages", code)
    counts = {name: getattr(data, name) for name in (*InfoSession.PARTICIPANT_FIELDS, "interpreters")}
    _counts(errors, counts)
    errors.raise_if_any()
    if not sum(counts[name] for name in InfoSession.PARTICIPANT_FIELDS):
        raise ServiceError(_("A session without participants: give how many came."), {"women": [_("Nobody came?")]})
    return {**dataclasses.asdict(data), "languages": codes, "venue_name": data.venue_name.strip(),
            "notes": data.notes.strip()}  # fmt: skip


@service
def session_record(*, acting_user: User, campaign: Campaign, data: SessionInput) -> InfoSession:
    """Record an information session. Rule: held during the campaign and not in the future; someone came."""
    _require_writer(acting_user, campaign.mission_id)
    session = InfoSession(campaign=campaign, recorded_by=acting_user, **_check_session(campaign, data))
    session.save()
    return session


@service
def session_update(*, acting_user: User, session: InfoSession, data: SessionInput) -> InfoSession:
    """Correct an information session; the same rules as recording it."""
    _require_writer(acting_user, session.campaign.mission_id)
    changed = _apply(session, _check_session(session.campaign, data))
    if changed:
        session.save(update_fields=changed)
    return session


# ---------------------------------------------------------------- materials and meetings


@dataclass
class MaterialInput:
    kind: str
    quantity: int
    distributed_on: dt.date
    language: str = ""
    place: str = ""


def _check_material(campaign: Campaign, data: MaterialInput) -> dict[str, Any]:
    errors = FieldErrors()
    _choice(errors, "kind", data.kind, MaterialDistribution.Kind)
    if data.quantity is None or data.quantity < 1:
        errors.add("quantity", _("Give how many, one or more."))
    _not_future(errors, "distributed_on", data.distributed_on)
    _in_campaign(errors, "distributed_on", campaign, data.distributed_on)
    language = data.language.strip().lower()
    _language(errors, "language", language)
    errors.raise_if_any()
    return {**dataclasses.asdict(data), "language": language, "place": data.place.strip()}


@service
def material_record(*, acting_user: User, campaign: Campaign, data: MaterialInput) -> MaterialDistribution:
    """Record materials distributed. Rule: a known kind, at least one, during the campaign."""
    _require_writer(acting_user, campaign.mission_id)
    material = MaterialDistribution(campaign=campaign, recorded_by=acting_user, **_check_material(campaign, data))
    material.save()
    return material


@service
def material_update(*, acting_user: User, material: MaterialDistribution, data: MaterialInput) -> MaterialDistribution:
    _require_writer(acting_user, material.campaign.mission_id)
    changed = _apply(material, _check_material(material.campaign, data))
    if changed:
        material.save(update_fields=changed)
    return material


@dataclass
class MeetingInput:
    held_on: dt.date
    with_whom: str
    organisation: str = ""
    participants: int = 0
    notes: str = ""


def _check_meeting(campaign: Campaign, data: MeetingInput) -> dict[str, Any]:
    errors = FieldErrors()
    _not_future(errors, "held_on", data.held_on)
    _in_campaign(errors, "held_on", campaign, data.held_on)
    _choice(errors, "with_whom", data.with_whom, OutreachMeeting.WithWhom)
    _counts(errors, {"participants": data.participants})
    errors.raise_if_any()
    return {**dataclasses.asdict(data), "organisation": data.organisation.strip(), "notes": data.notes.strip()}


@service
def meeting_record(*, acting_user: User, campaign: Campaign, data: MeetingInput) -> OutreachMeeting:
    """Record a meeting with a community, an authority or an NGO, during the campaign."""
    _require_writer(acting_user, campaign.mission_id)
    meeting = OutreachMeeting(campaign=campaign, recorded_by=acting_user, **_check_meeting(campaign, data))
    meeting.save()
    return meeting


@service
def meeting_update(*, acting_user: User, meeting: OutreachMeeting, data: MeetingInput) -> OutreachMeeting:
    _require_writer(acting_user, meeting.campaign.mission_id)
    changed = _apply(meeting, _check_meeting(meeting.campaign, data))
    if changed:
        meeting.save(update_fields=changed)
    return meeting


# ---------------------------------------------------------------- the hotline


@dataclass
class CallInput:
    received_at: dt.datetime
    caller_kind: str
    topic: str
    outcome: str
    language: str = ""
    interpreter: bool = False
    notes: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    destination_country: str = ""


def _check_call(mission: Mission, data: CallInput, *, converted: bool = False) -> dict[str, Any]:
    errors = FieldErrors()
    if data.received_at is None:
        errors.add("received_at", _("This field is required."))
    elif timezone.is_naive(data.received_at):
        errors.add("received_at", _("Give the time with its time zone."))
    elif data.received_at > timezone.now() + CLOCK_SKEW:
        errors.add("received_at", _("The call is in the future."))
    _choice(errors, "caller_kind", data.caller_kind, HotlineCall.CallerKind)
    _choice(errors, "topic", data.topic, HotlineCall.Topic)
    _choice(errors, "outcome", data.outcome, HotlineCall.Outcome)
    if converted:
        data = dataclasses.replace(data, outcome=HotlineCall.Outcome.INQUIRY)
    elif data.outcome == HotlineCall.Outcome.INQUIRY:
        errors.add("outcome", _("Log the call, then turn it into an inquiry case: that sets this outcome."))
    language = data.language.strip().lower()
    _language(errors, "language", language)
    phone = ""
    if data.caller_phone.strip():
        try:
            phone = normalise_phone(data.caller_phone, mission.country.code)
        except ValueError as exc:
            errors.add("caller_phone", str(exc))
    country = data.destination_country.strip().upper()
    if country and country not in countries:
        errors.add("destination_country", _("Choose a country from the list."))
    errors.raise_if_any()
    return {**dataclasses.asdict(data), "language": language, "caller_phone": phone, "destination_country": country,
            "caller_name": " ".join(data.caller_name.split()), "notes": data.notes.strip()}  # fmt: skip


@service
def call_log(*, acting_user: User, mission: Mission, data: CallInput) -> HotlineCall:
    """Log a hotline call. Rule: a caseworker of the mission; not in the future; the caller's phone is a
    real number (stored as +country…), so turning the call into a case never fails on it."""
    _require_writer(acting_user, mission.pk)
    call = HotlineCall(mission=mission, taken_by=acting_user, **_check_call(mission, data))
    call.save()
    return call


@service
def call_update(*, acting_user: User, call: HotlineCall, data: CallInput) -> HotlineCall:
    """Correct a call; once it is a case its outcome stays "inquiry case opened"."""
    _require_writer(acting_user, call.mission_id)
    values = _check_call(call.mission, data, converted=call.case_id is not None)
    changed = _apply(call, values)
    if changed:
        call.save(update_fields=changed)
    return call


def split_name(full: str) -> tuple[str, str]:
    """ "Imran Ali Khan" → ("Imran Ali", "Khan"): the last word is taken as the family name; one word is a given name."""
    words = full.split()
    if len(words) < 2:
        return (words[0] if words else ""), ""
    return " ".join(words[:-1]), words[-1]


def _inquiry_notes(call: HotlineCall) -> str:
    lines = [call.notes] if call.notes else []
    if call.caller_kind != HotlineCall.CallerKind.MIGRANT and (call.caller_name or call.caller_phone):
        # The caller is not the migrant: their details are a contact, not the principal's.
        lines.append(
            _("Hotline caller (%(kind)s): %(name)s %(phone)s")
            % {"kind": call.get_caller_kind_display(), "name": call.caller_name, "phone": call.caller_phone}
        )
    return "\n".join(lines).strip()


@service
def call_to_inquiry(
    *,
    acting_user: User,
    call: HotlineCall,
    given_names: str = "",
    family_name: str = "",
    destination_country: str = "",
) -> Case:
    """Turn a hotline call into an inquiry case, with what the call already gave.

    Rules: a caseworker of the call's mission; a call becomes one case only; the case is
    an inquiry from the hotline, first contacted the day of the call, with the call's notes.
    A migrant caller's name (split into given and family name), phone and language are the
    principal applicant's; another caller's (a relative, an NGO) go into the notes, and the
    migrant's name must be given. The case needs a country of return: the call's, or one given.
    """
    _require_writer(acting_user, call.mission_id)
    # Two clicks on the button: the second waits here and then sees the first's case.
    call = HotlineCall.objects.select_for_update(of=("self",)).select_related("mission", "case").get(pk=call.pk)
    if call.case_id:
        raise ServiceError(_("This call already became case %(reference)s.") % {"reference": call.case.reference})
    migrant = call.caller_kind == HotlineCall.CallerKind.MIGRANT
    if not given_names.strip() and migrant:
        given_names, family_name = split_name(call.caller_name)
    country = (destination_country or str(call.destination_country or "")).strip().upper()
    errors = FieldErrors()
    if not given_names.strip():
        errors.add(
            "given_names",
            _("The caller did not give a name: type the migrant's name.")
            if migrant
            else _("The caller is not the migrant: type the migrant's name."),
        )
    if not country:
        errors.add("destination_country", _("Which country would the person return to? The case needs it."))
    if errors:
        raise ServiceError(_("The call does not say enough to open a case: %(what)s") % {
            "what": " ".join(m for msgs in errors.values() for m in msgs)
        }, dict(errors))  # fmt: skip
    person = PersonInput(
        given_names=given_names.strip(),
        family_name=family_name.strip(),
        phone=call.caller_phone if migrant else "",
        languages=[call.language] if call.language else [],
    )
    case = case_register(
        acting_user=acting_user,
        host_mission=call.mission,
        data=CaseInput(
            destination_country=country,
            referral_source=ReferralSource.HOTLINE,
            inquiry_date=timezone.localdate(call.received_at),
            notes=_inquiry_notes(call),
        ),
        members=[MemberInput(Relationship.PRINCIPAL, person)],
    )
    call.case = case
    call.outcome = HotlineCall.Outcome.INQUIRY
    with about_case(case.pk):
        call.save(update_fields=["case", "outcome"])
        CaseSource.objects.create(case=case, how=HowHeard.HOTLINE, call=call, set_by=acting_user)
    return case


# ---------------------------------------------------------------- how a case heard of the programme


@service
def case_source_set(
    *,
    acting_user: User,
    case: Case,
    how: str,
    session: InfoSession | None = None,
    call: HotlineCall | None = None,
    note: str = "",
) -> CaseSource:
    """Record how a case's people heard of the programme. Rules: the host mission's caseworkers;
    a session is an information session of the host mission's campaigns and a call one of its
    hotline, each with the matching answer; a call already turned into another case is not this one's.
    A call given here is linked to the case, as if it had been turned into it."""
    if not permissions.can_change_case(acting_user, case):
        raise PermissionDenied(_("You may not change this case."))
    errors = FieldErrors()
    _choice(errors, "how", how, HowHeard)
    if session is not None:
        if session.campaign.mission_id != case.host_mission_id:
            errors.add("session", _("Choose a session of this mission's campaigns."))
        elif how != HowHeard.SESSION:
            errors.add("how", _("A session is given: the answer is “information session”."))
    if call is not None:
        if call.mission_id != case.host_mission_id:
            errors.add("call", _("Choose a call to this mission's hotline."))
        elif call.case_id not in (None, case.pk):
            errors.add("call", _("This call became another case."))
        elif how != HowHeard.HOTLINE:
            errors.add("how", _("A call is given: the answer is “hotline”."))
    errors.raise_if_any()
    with about_case(case.pk):
        source, _created = CaseSource.objects.update_or_create(
            case=case,
            defaults={"how": how, "session": session, "call": call, "note": note.strip(), "set_by": acting_user},
        )
        if call is not None and call.case_id is None:
            call.case = case
            call.save(update_fields=["case"])
    return source
