"""Every write of providers: registration, changes, bank details, vetting.

Each service checks who may do it, validates, writes in one transaction with
the acting user as the audit actor, and says what is wrong in the user's words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts.models import Mission, User
from homeward.assistance import rules, selectors
from homeward.assistance.models import BANK_FIELDS, Provider
from homeward.core.audit import service
from homeward.core.errors import ServiceError
from homeward.people.inputs import normalise_phone


@dataclass(frozen=True)
class ProviderInput:
    """A provider's details as typed, bank details apart."""

    name: str
    country: str
    category: str
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    active: bool = True


@dataclass(frozen=True)
class BankDetails:
    account_holder: str = ""
    bank_name: str = ""
    account_number: str = ""
    swift_bic: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name).strip() for f in fields(self))


def provider_input_of(provider: Provider) -> ProviderInput:
    """What a provider says now, as input: the starting point of a partial change."""
    return ProviderInput(**{f.name: _stored(provider, f.name) for f in fields(ProviderInput)})


def bank_details_of(provider: Provider) -> BankDetails:
    return BankDetails(**{name: getattr(provider, name) for name in BANK_FIELDS})


# ---------------------------------------------------------------- checks


def _require_editor(user: User, mission: Mission) -> None:
    if not selectors.can_edit(user, mission.pk):
        raise PermissionDenied(
            _("Only reintegration officers and supervisors of %(mission)s, and administrators, manage its providers.")
            % {"mission": mission.code}
        )


def _require_bank_handler(user: User, mission: Mission) -> None:
    if not selectors.can_handle_bank_details(user, mission.pk):
        raise PermissionDenied(
            _("Only finance officers and supervisors of %(mission)s, and administrators, handle bank details.")
            % {"mission": mission.code}
        )


def _max_length(name: str) -> int:
    return int(Provider._meta.get_field(name).max_length)  # type: ignore[union-attr,arg-type]


def _collapse(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def _clean_details(data: ProviderInput) -> tuple[ProviderInput, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    name = _collapse(data.name)
    if not name:
        errors["name"] = [_("Give the provider's name.")]
    elif len(name) > _max_length("name"):
        errors["name"] = [_("The name is too long: at most 200 characters.")]
    country = (data.country or "").strip().upper()
    if country not in countries:
        errors["country"] = [_("Choose a country from the list.")]
    if data.category not in Provider.Category.values:
        errors["category"] = [_("Choose a category from the list.")]
    contact = _collapse(data.contact_person)
    if len(contact) > _max_length("contact_person"):
        errors["contact_person"] = [_("The contact person's name is too long: at most 150 characters.")]
    email = (data.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("“%(email)s” is not an e-mail address.") % {"email": email}]
    phone = ""
    if (data.phone or "").strip():
        try:
            phone = normalise_phone(data.phone, country or None)
        except ValueError as exc:
            errors["phone"] = [str(exc)]
    cleaned = ProviderInput(
        name=name,
        country=country,
        category=data.category,
        contact_person=contact,
        phone=phone,
        email=email.lower(),
        address=(data.address or "").strip(),
        active=bool(data.active),
    )
    return cleaned, errors


def _clean_bank(bank: BankDetails) -> tuple[BankDetails, dict[str, list[str]]]:
    """Rule: an account needs its holder and number; an IBAN's check digits must add up; a BIC has its shape."""
    errors: dict[str, list[str]] = {}
    if bank.is_empty():
        return BankDetails(), errors
    holder, bank_name = _collapse(bank.account_holder), _collapse(bank.bank_name)
    number = (bank.account_number or "").strip().upper()
    if not holder:
        errors["account_holder"] = [_("Give the name the account is held in.")]
    elif len(holder) > _max_length("account_holder"):
        errors["account_holder"] = [_("The account holder's name is too long: at most 200 characters.")]
    if len(bank_name) > _max_length("bank_name"):
        errors["bank_name"] = [_("The bank's name is too long: at most 200 characters.")]
    if not number:
        errors["account_number"] = [_("Give the IBAN or the account number.")]
    elif rules.looks_like_iban(number):
        number = rules.compact(number)
        if not rules.iban_checksum_ok(number):
            errors["account_number"] = [_("This IBAN's check digits do not match: a character is probably mistyped.")]
    elif not rules.account_number_ok(number):
        errors["account_number"] = [
            _("An account number is 4 to 40 letters and digits (spaces, dots, slashes and dashes allowed).")
        ]
    bic = rules.compact(bank.swift_bic)
    if bic and not rules.bic_ok(bic):
        errors["swift_bic"] = [_("A SWIFT/BIC code has 8 or 11 letters and digits, e.g. HABBPKKA or HABBPKKA001.")]
    return BankDetails(account_holder=holder, bank_name=bank_name, account_number=number, swift_bic=bic), errors


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("The provider could not be saved: check the fields marked."), errors)


def _refuse_duplicate(mission: Mission, data: ProviderInput, *, excluding: int | None = None) -> None:
    """Rule: a mission registers a provider once per country (the name compared without regard to case)."""
    same = Provider.objects.filter(mission=mission, country=data.country, name__iexact=data.name)
    if excluding is not None:
        same = same.exclude(pk=excluding)
    if same.exists():
        raise _duplicate(mission, data)


def _duplicate(mission: Mission, data: ProviderInput) -> ServiceError:
    message = _("%(mission)s already has a provider called %(name)s in %(country)s.") % {
        "mission": mission.code,
        "name": data.name,
        "country": countries.name(data.country),
    }
    return ServiceError(message, {"name": [message]})


# ---------------------------------------------------------------- services


@service
def provider_create(
    *, acting_user: User, mission: Mission, data: ProviderInput, bank: BankDetails | None = None
) -> Provider:
    """Register a provider for an origin mission, not vetted yet.

    Rule: reintegration officers and supervisors of the mission, and
    administrators, register; bank details, if given, only by those who
    handle them; one provider of a name per country and mission.
    """
    _require_editor(acting_user, mission)
    if bank is not None and not bank.is_empty():
        _require_bank_handler(acting_user, mission)
    if not mission.receives_referrals:
        raise ServiceError(
            _("%(mission)s is not an origin mission: providers are managed in the countries of origin.")
            % {"mission": mission.code},
            {"mission": [_("Choose an origin mission.")]},
        )
    details, errors = _clean_details(data)
    bank_details, bank_errors = _clean_bank(bank or BankDetails())
    _refuse(errors | bank_errors)
    _refuse_duplicate(mission, details)
    try:
        with transaction.atomic():
            return Provider.objects.create(
                mission=mission,
                created_by=acting_user,
                **{f.name: getattr(details, f.name) for f in fields(details)},
                **{f.name: getattr(bank_details, f.name) for f in fields(bank_details)},
            )
    except IntegrityError:
        # Someone registered the same provider between our check and our insert.
        raise _duplicate(mission, details) from None


def _lock(provider: Provider) -> Provider:
    """Re-read under a row lock: two people changing a provider queue up, the second sees the first's work."""
    return Provider.objects.select_for_update().select_related("mission").get(pk=provider.pk)


@service
def provider_update(
    *,
    acting_user: User,
    provider: Provider,
    data: ProviderInput | None = None,
    bank: BankDetails | None = None,
) -> Provider:
    """Change a provider's details (``data``) and/or its bank details (``bank``); ``None`` leaves them as they are.

    Rule: details are changed by the mission's reintegration officers and
    supervisors and administrators; bank details by its finance officers and
    supervisors and administrators, and changing them sends a vetted provider back
    to vetting. The managing mission does not change.
    """
    mission = provider.mission
    if data is not None:
        _require_editor(acting_user, mission)
    if bank is not None:
        _require_bank_handler(acting_user, mission)
    current = _lock(provider)
    values: dict[str, object] = {}
    errors: dict[str, list[str]] = {}
    if data is not None:
        details, errors = _clean_details(data)
        values |= {f.name: getattr(details, f.name) for f in fields(details)}
    if bank is not None:
        bank_details, bank_errors = _clean_bank(bank)
        errors |= bank_errors
        values |= {f.name: getattr(bank_details, f.name) for f in fields(bank_details)}
    _refuse(errors)
    if data is not None:
        _refuse_duplicate(mission, details, excluding=current.pk)
    changed = [name for name, value in values.items() if _stored(current, name) != value]
    for name in changed:
        setattr(current, name, values[name])
    if set(changed).intersection(BANK_FIELDS) and current.vetting_status == Provider.Vetting.VETTED:
        # A switched account is the classic payment fraud: the provider is vetted again before it is paid.
        current.vetting_status, current.vetted_on, current.vetted_by = Provider.Vetting.IN_PROGRESS, None, None
        current.vetting_note = _("Bank details changed: to be vetted again.")
        changed += ["vetting_status", "vetted_on", "vetted_by", "vetting_note"]
    if changed:
        try:
            with transaction.atomic():
                current.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            # Renamed to a provider someone registered meanwhile.
            raise _duplicate(mission, provider_input_of(current)) from None
    _refresh(provider, current)
    return provider


def _stored(provider: Provider, name: str) -> object:
    value = getattr(provider, name)
    return value.code if name == "country" else value


def _refresh(provider: Provider, current: Provider) -> None:
    """Let the caller's object show what was written."""
    for field in Provider._meta.concrete_fields:
        setattr(provider, field.attname, getattr(current, field.attname))


@service
def provider_vetting_set(
    *,
    acting_user: User,
    provider: Provider,
    status: str,
    decided_on: dt.date | None = None,
    note: str = "",
) -> Provider:
    """Record where a provider's vetting stands.

    Rule: starting or resetting vetting is for those who manage the
    provider; a decision (vetted, rejected, suspended) is a supervisor's of
    the managing mission or an administrator's, never the registrar's own; a
    rejection or suspension says why; a decision is dated, not in the future.
    """
    mission = provider.mission
    if status not in Provider.Vetting.values:
        raise ServiceError(
            _("Choose a vetting status from the list."), {"status": [_("Choose a vetting status from the list.")]}
        )
    decision = status in Provider.DECISIONS
    if not decision:
        _require_editor(acting_user, mission)
    elif provider.created_by_id == acting_user.pk:
        raise PermissionDenied(
            _("You registered this provider: someone else must decide on its vetting (separation of duties).")
        )
    elif not selectors.can_decide_vetting(acting_user, provider):
        raise PermissionDenied(
            _("Only supervisors of %(mission)s and administrators decide on a provider's vetting.")
            % {"mission": mission.code}
        )
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if status in {Provider.Vetting.REJECTED, Provider.Vetting.SUSPENDED} and not note:
        errors["note"] = [_("Say why the provider is rejected or suspended.")]
    if decision:
        decided_on = decided_on or timezone.localdate()
        if decided_on > timezone.localdate():
            errors["decided_on"] = [_("The decision date is in the future.")]
    else:
        decided_on = None
    if errors:
        raise ServiceError(_("The vetting could not be recorded: check the fields marked."), errors)
    current = _lock(provider)
    values = {
        "vetting_status": status,
        "vetted_on": decided_on,
        "vetted_by_id": acting_user.pk if decision else None,
        "vetting_note": note,
    }
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    for name in changed:
        setattr(current, name, values[name])
    if changed:
        current.save(update_fields=[name.removesuffix("_id") for name in changed] + ["updated_at"])
    _refresh(provider, current)
    return provider


def require_vetted(provider: Provider) -> None:
    """Rule: quotes, purchase orders and payments go only to an active provider whose vetting is done."""
    if not provider.is_vetted:
        raise ServiceError(
            _("%(name)s has not been vetted (vetting status: %(status)s): choose a vetted provider.")
            % {"name": provider.name, "status": provider.get_vetting_status_display()},
            {"provider": [_("This provider has not been vetted.")]},
        )
    if not provider.active:
        raise ServiceError(
            _("%(name)s is no longer active: choose another provider.") % {"name": provider.name},
            {"provider": [_("This provider is no longer active.")]},
        )
