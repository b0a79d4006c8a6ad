"""Every write of the partners directory, and the referrals in from partners recorded on a case.

Who: a mission's case supervisors, movement officers and administrators keep its directory;
whoever changes a case records who referred it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.core.validation import save_changes
from homeward.partners import selectors
from homeward.partners.models import IncomingReferral, Partner, PartnerContact
from homeward.people.inputs import normalise_phone


def _require_writer(user: User, mission_id: int) -> None:
    if not selectors.may_write(user, mission_id):
        raise PermissionDenied(
            _("Only the mission's case supervisors, movement officers and administrators keep its partners directory.")
        )


def _refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("Nothing was saved: check the fields marked."), errors)


def _phone(errors: dict[str, list[str]], raw: str, region: str | None) -> str:
    if not (raw or "").strip():
        return ""
    try:
        return normalise_phone(raw.strip(), region or None)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
        return raw


def _email(errors: dict[str, list[str]], raw: str) -> str:
    value = (raw or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    return value


# ---------------------------------------------------------------- partners


@dataclass
class PartnerInput:
    kind: str
    name: str
    country: str
    city: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    role: str = ""


def _check_partner(mission: Mission, data: PartnerInput, partner: Partner | None = None) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    if data.kind not in Partner.Kind.values:
        errors["kind"] = [_("Choose a kind of partner from the list.")]
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("Give the partner's name.")]
    country = (data.country or "").strip().upper()
    if country not in countries:
        errors["country"] = [_("Choose a country from the list.")]
    website = (data.website or "").strip()
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            errors["website"] = [_("Enter a web address starting with https://.")]
    values = {
        "kind": data.kind,
        "name": name,
        "country": country,
        "city": (data.city or "").strip(),
        "address": (data.address or "").strip(),
        "phone": _phone(errors, data.phone, str(mission.country or "")),
        "email": _email(errors, data.email),
        "website": website,
        "role": (data.role or "").strip(),
    }
    if name and "kind" not in errors:
        twins = Partner.objects.filter(mission=mission, kind=data.kind, name__iexact=name)
        if partner is not None:
            twins = twins.exclude(pk=partner.pk)
        if twins.exists():
            errors["name"] = [
                _("%(mission)s already has %(name)s in its directory (%(kind)s).")
                % {"mission": mission.code, "kind": Partner.Kind(data.kind).label, "name": name}
            ]
    if partner is not None and data.kind not in Partner.ISSUERS and partner.travel_documents.exists():
        errors["kind"] = [_("Travel documents were asked of this partner: it stays an embassy or consulate.")]
    _refuse_if(errors)
    return values


@service
def partner_create(*, acting_user: User, mission: Mission, data: PartnerInput) -> Partner:
    """Add a partner to a mission's directory. Rule: a writer of the mission; a known kind and country;
    one partner of a kind and name per mission."""
    _require_writer(acting_user, mission.pk)
    partner = Partner(mission=mission, created_by=acting_user, **_check_partner(mission, data))
    partner.save()
    return partner


@service
def partner_update(*, acting_user: User, partner: Partner, data: PartnerInput) -> Partner:
    """Change a partner's details. Rule: as for adding it; an embassy asked for travel documents stays an issuer."""
    _require_writer(acting_user, partner.mission_id)
    save_changes(partner, _check_partner(partner.mission, data, partner))
    return partner


@service
def partner_set_active(*, acting_user: User, partner: Partner, active: bool) -> Partner:
    """Deactivate a partner (it is no longer offered for new referrals or travel documents) or bring it back.
    Its history stays."""
    _require_writer(acting_user, partner.mission_id)
    if partner.active != active:
        partner.active = active
        partner.save(update_fields=["active"])
    return partner


# ---------------------------------------------------------------- contacts


@service
def contact_add(
    *, acting_user: User, partner: Partner, name: str, title: str = "", phone: str = "", email: str = ""
) -> PartnerContact:
    """Name a person to reach at a partner. Rule: a writer of the partner's mission; a name."""
    _require_writer(acting_user, partner.mission_id)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the person's name.")]
    contact = PartnerContact(
        partner=partner,
        name=name,
        title=(title or "").strip(),
        phone=_phone(errors, phone, str(partner.mission.country or "")),
        email=_email(errors, email),
    )
    _refuse_if(errors)
    contact.save()
    return contact


@service
def contact_remove(*, acting_user: User, contact: PartnerContact) -> None:
    """Forget a person who no longer works with the partner. Rule: a writer of the partner's mission."""
    _require_writer(acting_user, contact.partner.mission_id)
    contact.delete()


# ---------------------------------------------------------------- referrals in from partners


def _require_change(user: User, case: Case) -> None:
    if not permissions.can_change_case(user, case):
        raise PermissionDenied(_("Only the host mission's caseworkers change this case."))


@service
def incoming_referral_record(
    *,
    acting_user: User,
    case: Case,
    partner: Partner | None,
    referred_on: dt.date | None,
    contact_person: str = "",
    note: str = "",
) -> IncomingReferral:
    """Record that a partner referred the case to the mission. Rule: whoever changes the case; a partner
    of the case's host mission; a referral date not in the future."""
    _require_change(acting_user, case)
    errors: dict[str, list[str]] = {}
    if partner is None or partner.mission_id != case.host_mission_id:
        errors["partner"] = [_("Choose a partner of the case's host mission.")]
    if referred_on is None:
        errors["referred_on"] = [_("Give the date of the referral.")]
    elif referred_on > timezone.localdate():
        errors["referred_on"] = [_("The referral date is in the future.")]
    _refuse_if(errors)
    with about_case(case.pk):
        return IncomingReferral.objects.create(
            case=case,
            partner=partner,
            referred_on=referred_on,
            contact_person=(contact_person or "").strip(),
            note=(note or "").strip(),
            recorded_by=acting_user,
        )


@service
def incoming_referral_remove(*, acting_user: User, referral: IncomingReferral) -> None:
    """Remove a referral recorded by mistake. Rule: whoever changes the case; the audit log keeps it."""
    _require_change(acting_user, referral.case)
    with about_case(referral.case_id):
        referral.delete()
