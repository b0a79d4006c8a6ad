"""Every write of triage: assigning an inquiry, recording a contact attempt, turning it into a
case, closing and reopening it.

Who: the caseworkers of the inquiry's mission (counsellors, supervisors). A supervisor gives an
inquiry to any counsellor of the mission; a counsellor takes an unassigned one himself; only a
supervisor reopens a closed one. Each write locks the inquiry's row, so two clicks never act twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.cases.models import Case, ReferralSource, Relationship
from homeward.cases.services import CaseInput, MemberInput, case_register
from homeward.core import languages as language_codes
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.outreach.services import case_source_set
from homeward.people.inputs import PersonInput
from homeward.triage import selectors
from homeward.triage.models import ContactAttempt, Inquiry

# A clock a few minutes fast on a phone or laptop is not an attempt from the future.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _require_caseworker(user: User, inquiry: Inquiry) -> None:
    if not selectors.may_triage(user, inquiry.mission_id):
        raise PermissionDenied(_("Your role does not work on inquiries of this mission."))


def _locked(inquiry: Inquiry) -> Inquiry:
    # The row as it is now, held until the write commits: a second click waits here, then sees the first.
    return Inquiry.objects.select_for_update(of=("self",)).select_related("mission", "case").get(pk=inquiry.pk)


def _require_open(inquiry: Inquiry) -> None:
    if inquiry.status == Inquiry.Status.CONVERTED:
        raise ServiceError(_("This inquiry already became case %(reference)s.") % {"reference": inquiry.case.reference})
    if inquiry.status == Inquiry.Status.CLOSED:
        raise ServiceError(_("This inquiry is closed: a supervisor can reopen it."))


def _status_after_reopen(inquiry: Inquiry) -> str:
    if inquiry.attempts.filter(reached=True).exists():
        return Inquiry.Status.CONTACTED
    return Inquiry.Status.ASSIGNED if inquiry.assigned_to_id else Inquiry.Status.NEW


@service
def inquiry_assign(*, acting_user: User, inquiry: Inquiry, counsellor: User) -> Inquiry:
    """Give an open inquiry to a counsellor. Rules: the counsellor counsels in the inquiry's mission;
    a supervisor assigns anyone, a counsellor only takes an unassigned inquiry himself. A new
    inquiry becomes "assigned"; one already contacted stays contacted."""
    _require_caseworker(acting_user, inquiry)
    inquiry = _locked(inquiry)
    _require_open(inquiry)
    supervisor = permissions.has_perm_in(acting_user, Perm.ASSIGN_CASE, inquiry.mission_id)
    if not supervisor:
        if counsellor.pk != acting_user.pk:
            message = _("Only a case supervisor gives an inquiry to someone else; you can take it yourself.")
            raise ServiceError(message, {"counsellor": [message]})
        if inquiry.assigned_to_id not in (None, acting_user.pk):
            message = _("This inquiry is already assigned: a case supervisor can reassign it.")
            raise ServiceError(message, {"counsellor": [message]})
    if not selectors.counsellors_of(inquiry.mission_id).filter(pk=counsellor.pk).exists():
        message = _("Choose a counsellor of this mission.")
        raise ServiceError(message, {"counsellor": [message]})
    inquiry.assigned_to = counsellor
    fields = ["assigned_to", "updated_at"]
    if inquiry.status == Inquiry.Status.NEW:
        inquiry.status = Inquiry.Status.ASSIGNED
        fields.append("status")
    inquiry.save(update_fields=fields)
    return inquiry


@service
def contact_record(
    *, acting_user: User, inquiry: Inquiry, channel: str, reached: bool, at: dt.datetime | None = None, note: str = ""
) -> ContactAttempt:
    """Record a try to reach the person. Rules: an open inquiry of the user's mission; a known channel;
    not in the future nor before the inquiry came in. Reaching the person makes the inquiry "contacted"."""
    _require_caseworker(acting_user, inquiry)
    inquiry = _locked(inquiry)
    _require_open(inquiry)
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    if channel not in ContactAttempt.Channel.values:
        errors["channel"] = [_("Choose from the list.")]
    if timezone.is_naive(at):
        errors["at"] = [_("Give the time with its time zone.")]
    elif at > timezone.now() + CLOCK_SKEW:
        errors["at"] = [_("The time is in the future.")]
    elif at < inquiry.submitted_at - CLOCK_SKEW:
        errors["at"] = [_("The time is before the inquiry came in.")]
    if errors:
        raise ServiceError(_("Nothing was saved: check the fields marked."), errors)
    attempt = ContactAttempt(inquiry=inquiry, at=at, by=acting_user, channel=channel, reached=bool(reached),
                             note=note.strip())  # fmt: skip
    attempt.save()
    if reached and inquiry.status != Inquiry.Status.CONTACTED:
        inquiry.status = Inquiry.Status.CONTACTED
        inquiry.save(update_fields=["status", "updated_at"])
    return attempt


@service
def inquiry_close(*, acting_user: User, inquiry: Inquiry, reason: str, note: str = "") -> Inquiry:
    """Close an open inquiry with a reason. Rules: a reason from the list; "other" says why in a note;
    its booked appointments still to come are cancelled with it."""
    _require_caseworker(acting_user, inquiry)
    inquiry = _locked(inquiry)
    _require_open(inquiry)
    errors: dict[str, list[str]] = {}
    if reason not in Inquiry.CloseReason.values:
        errors["reason"] = [_("Choose a reason from the list.")]
    elif reason == Inquiry.CloseReason.OTHER and not note.strip():
        errors["note"] = [_("Say why the inquiry is closed.")]
    if errors:
        raise ServiceError(_("The inquiry was not closed: check the fields marked."), errors)
    inquiry.status = Inquiry.Status.CLOSED
    inquiry.close_reason = reason
    inquiry.close_note = note.strip()
    inquiry.closed_by = acting_user
    inquiry.closed_at = timezone.now()
    inquiry.save(update_fields=["status", "close_reason", "close_note", "closed_by", "closed_at", "updated_at"])
    # Its booked appointments have no purpose now: cancelled, so no reminder goes out.
    from homeward.appointments.services import appointments_cancel_for

    appointments_cancel_for(
        inquiry=inquiry,
        reason=_("The inquiry was closed: %(reason)s") % {"reason": inquiry.get_close_reason_display()},
        acting_user=acting_user,
    )
    return inquiry


@service
def inquiry_reopen(*, acting_user: User, inquiry: Inquiry) -> Inquiry:
    """Reopen a closed inquiry. Rules: a case supervisor of the mission; it goes back to where it was
    (contacted, assigned or new); why it was closed stays in its history (the audit log)."""
    _require_caseworker(acting_user, inquiry)
    if not permissions.has_perm_in(acting_user, Perm.SUPERVISE, inquiry.mission_id):
        raise PermissionDenied(_("Only a case supervisor reopens an inquiry."))
    inquiry = _locked(inquiry)
    if inquiry.status != Inquiry.Status.CLOSED:
        raise ServiceError(_("Only a closed inquiry can be reopened."))
    inquiry.status = _status_after_reopen(inquiry)
    inquiry.close_reason = ""
    inquiry.close_note = ""
    inquiry.closed_by = None
    inquiry.closed_at = None
    inquiry.save(update_fields=["status", "close_reason", "close_note", "closed_by", "closed_at", "updated_at"])
    return inquiry


# ---------------------------------------------------------------- turning an inquiry into a case


def person_language(code: str) -> str:
    """The inquiry's language as a person's language code: "fa-af" → "fa"; "" if we do not know it."""
    code = code.strip().lower()
    for candidate in (code, code.split("-")[0]):
        if candidate and language_codes.is_known(candidate):
            return candidate
    return ""


def contact_phone(inquiry: Inquiry) -> str:
    """The number the person gave: their phone, or else their WhatsApp/Signal number."""
    return inquiry.phone or inquiry.messenger_number


def _counsels(user: User, inquiry: Inquiry) -> bool:
    return selectors.counsellors_of(inquiry.mission_id).filter(pk=user.pk).exists()


def case_notes(inquiry: Inquiry) -> str:
    """What the case keeps of the inquiry that has no field of its own, in the staff's language."""
    lines = [_("Self-referral %(code)s from the public site.") % {"code": inquiry.code}]
    where = inquiry.get_where_display()
    place = ", ".join(p for p in (inquiry.facility, inquiry.city) if p)
    lines.append(_("Where the person is: %(where)s") % {"where": f"{where}: {place}" if place else where})
    if inquiry.family_travels:
        lines.append(
            _("Family travels too: %(n)s people in all.") % {"n": inquiry.family_size}
            if inquiry.family_size
            else _("Family travels too.")
        )
    if inquiry.email:
        lines.append(_("E-mail: %(email)s") % {"email": inquiry.email})
    if inquiry.messenger and inquiry.messenger_number:
        lines.append(
            _("%(messenger)s: %(number)s")
            % {"messenger": inquiry.get_messenger_display(), "number": inquiry.messenger_number}
        )
    language = inquiry.language.strip()
    if language and not person_language(language):
        lines.append(_("Language given: %(code)s") % {"code": language})
    # The visitor's own message stays on the inquiry, read by caseworkers only (the case card shows it
    # to them): people write there why they fled or what illness they have, which not every case reader may see.
    return "\n".join(lines)


@service
def inquiry_to_case(
    *,
    acting_user: User,
    inquiry: Inquiry,
    given_names: str | None = None,
    family_name: str | None = None,
    phone: str | None = None,
    destination_country: str | None = None,
) -> Case:
    """Turn an inquiry into an inquiry case with what the person already gave: nothing typed twice.

    Rules: a caseworker of the inquiry's mission; an open inquiry becomes one case only; the case is a
    self-referral, first contacted the day the inquiry came in (local time), counselled by the assigned
    counsellor, with the person's names, phone, language and nationality, and the rest in its notes.
    The keyword arguments correct what the person typed (a name split, a phone); left as None they
    keep the inquiry's. The case remembers how the person heard of the programme.
    """
    _require_caseworker(acting_user, inquiry)
    inquiry = _locked(inquiry)
    _require_open(inquiry)
    language = person_language(inquiry.language)
    person = PersonInput(
        given_names=(inquiry.given_names if given_names is None else given_names).strip(),
        family_name=(inquiry.family_name if family_name is None else family_name).strip(),
        phone=(contact_phone(inquiry) if phone is None else phone).strip(),
        nationality=str(inquiry.nationality or ""),
        languages=[language] if language else [],
    )
    country = str(inquiry.destination_country or "") if destination_country is None else destination_country
    if not country.strip():
        message = _("Which country would the person return to? The case needs it.")
        raise ServiceError(message, {"destination_country": [message]})
    try:
        case = case_register(
            acting_user=acting_user,
            host_mission=inquiry.mission,
            data=CaseInput(
                destination_country=country.strip().upper(),
                referral_source=ReferralSource.SELF,
                inquiry_date=timezone.localdate(inquiry.submitted_at),
                # Nobody's caseload is no one's: an unassigned inquiry becomes the converting counsellor's case.
                counsellor=inquiry.assigned_to or (acting_user if _counsels(acting_user, inquiry) else None),
                notes=case_notes(inquiry),
            ),
            members=[MemberInput(Relationship.PRINCIPAL, person)],
        )
    except ServiceError as error:
        # The form asks for the principal's fields by their own names.
        fields = {key.removeprefix("members.0."): msgs for key, msgs in error.fields.items()}
        raise ServiceError(error.message, fields) from error
    inquiry.case = case
    inquiry.status = Inquiry.Status.CONVERTED
    with about_case(case.pk):
        inquiry.save(update_fields=["case", "status", "updated_at"])
    case_source_set(
        acting_user=acting_user, case=case, how=inquiry.how_heard,
        note=_("Self-referral %(code)s") % {"code": inquiry.code},
    )  # fmt: skip
    return case
