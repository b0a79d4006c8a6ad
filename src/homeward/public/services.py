"""Every write of the public site: its pages and their translations (administrators), and self-referral (anyone).

Self-referral is the one write without a signed-in user: it only ever adds a new
inquiry to the mission's triage queue; it never reads, changes or removes one.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.core import languages as iso639
from homeward.core.audit import service
from homeward.core.errors import ServiceError
from homeward.core.validation import full_clean
from homeward.outreach.models import HowHeard
from homeward.public import languages
from homeward.public.models import BODY_MAX, RESERVED_SLUGS, Page, PageTranslation
from homeward.triage.models import CODE_ALPHABET, CODE_LENGTH, Inquiry

log = logging.getLogger("homeward.public")
MESSAGE_MAX = 1000
FAMILY_MAX = 30


def _saved_nothing() -> str:
    return _("Nothing was saved: check the fields marked.")


def _full_clean(instance: Any) -> None:
    try:
        full_clean(instance)
    except ValidationError as error:
        raise ServiceError.from_validation_error(_saved_nothing(), error) from error


# ---------------------------------------------------------------- pages


def _may_edit(user: Any, mission: Mission) -> None:
    if not permissions.has_perm_in(user, Perm.MANAGE_SITE, mission.pk):
        raise PermissionDenied(_("Only an administrator of the mission edits its public site."))


def _check_page(page: Page) -> None:
    if page.slug in RESERVED_SLUGS:
        message = _("This address is taken by the site itself: choose another.")
        raise ServiceError(message, {"slug": [message]})
    if Page.objects.filter(mission_id=page.mission_id, slug=page.slug).exclude(pk=page.pk).exists():
        message = _("Another page of this site has this address.")
        raise ServiceError(message, {"slug": [message]})
    _full_clean(page)


@service
def page_create(*, acting_user: Any, mission: Mission, slug: str, kind: str, position: int = 0) -> Page:
    """Add an unpublished page to a mission's site.

    Rules: an administrator of the mission; the address is unique in the site and not
    one the site uses itself (contact, apply).
    """
    _may_edit(acting_user, mission)
    page = Page(mission=mission, slug=(slug or "").strip().lower(), kind=kind, position=position or 0)
    _check_page(page)
    page.save()
    return page


@service
def page_update(*, acting_user: Any, page: Page, slug: str, kind: str, position: int) -> Page:
    """Change a page's address, kind or place in the menu. Rules: as ``page_create``."""
    page = Page.objects.select_for_update().get(pk=page.pk)
    _may_edit(acting_user, page.mission)
    page.slug, page.kind, page.position = (slug or "").strip().lower(), kind, position or 0
    _check_page(page)
    page.save(update_fields=["slug", "kind", "position"])
    return page


@service
def page_translation_save(*, acting_user: Any, page: Page, language: str, title: str, body: str) -> PageTranslation:
    """Write a page's title and text (Markdown) in one of the site's languages, adding the translation if new.

    Rules: an administrator of the mission; a language of the public site; a title;
    at most BODY_MAX characters of text. The text is cleaned when shown, not when stored.
    """
    page = Page.objects.select_for_update().select_related("mission").get(pk=page.pk)
    _may_edit(acting_user, page.mission)
    errors: dict[str, list[str]] = {}
    if not languages.is_public(language):
        errors["language"] = [_("The public site does not have this language.")]
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = [_("Give the page a title.")]
    if len(body) > BODY_MAX:
        errors["body"] = [_("Write at most %(max)s characters.") % {"max": BODY_MAX}]
    if errors:
        raise ServiceError(_saved_nothing(), errors)
    translation_row = PageTranslation.objects.filter(page=page, language=language).first()
    if translation_row is None:
        translation_row = PageTranslation(page=page, language=language)
    translation_row.title, translation_row.body, translation_row.updated_by = title, body, acting_user
    _full_clean(translation_row)
    translation_row.save()
    return translation_row


@service
def page_publish(*, acting_user: Any, page: Page, published: bool) -> Page:
    """Show a page on the public site, or take it off.

    Rules: an administrator of the mission; a page is published only with an English
    text, which visitors read when their language has none.
    """
    page = Page.objects.select_for_update().select_related("mission").get(pk=page.pk)
    _may_edit(acting_user, page.mission)
    if published and not page.translations.filter(language=languages.DEFAULT).exists():
        raise ServiceError(_("Write the page in English first: visitors read it when their language has none."))
    page.published = published
    page.save(update_fields=["published"])
    return page


# ---------------------------------------------------------------- self-referral


def consent_text() -> str:
    """The consent a visitor gives, in the active language (the form shows it; the inquiry keeps it)."""
    return _(
        "I agree that IOM keeps what I wrote in this form and uses it to contact me about assisted voluntary "
        "return and reintegration. IOM does not pass it on without my agreement. I can ask IOM at any time to "
        "delete it."
    )


@dataclass(frozen=True)
class SelfReferralInput:
    given_names: str
    family_name: str = ""
    phone: str = ""
    messenger: str = ""
    messenger_number: str = ""
    email: str = ""
    language: str = ""
    nationality: str = ""
    destination_country: str = ""
    where: str = ""
    city: str = ""
    facility: str = ""
    family_travels: bool = False
    family_size: int | None = None
    how_heard: str = ""
    message: str = ""
    consent: bool = False


_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,32}$")
_LIMITS = {"given_names": 100, "family_name": 100, "city": 100, "facility": 150}


# Digits as typed on Arabic and Persian/Urdu keyboards, read as 0–9.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _phone_ok(value: str) -> bool:
    return bool(_PHONE.match(value)) and sum(ch.isdigit() for ch in value) >= 6


def _check_referral(data: SelfReferralInput) -> tuple[SelfReferralInput, dict[str, list[str]]]:
    """The input trimmed, and a message per field that is wrong, in the active language."""
    clean = {k: v.strip() if isinstance(v, str) else v for k, v in data.__dict__.items()}
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not clean["given_names"]:
        refuse("given_names", _("Write your name."))
    for field, limit in _LIMITS.items():
        if len(clean[field]) > limit:
            refuse(field, _("Write at most %(max)s characters.") % {"max": limit})
    if not (clean["phone"] or clean["messenger_number"] or clean["email"]):
        refuse(
            "phone", _("Give at least one way to reach you: a phone number, a WhatsApp or Signal number, or an e-mail.")
        )
    for field in ("phone", "messenger_number"):
        clean[field] = clean[field].translate(_DIGITS)
        if clean[field] and not _phone_ok(clean[field]):
            refuse(field, _("Write the number with digits only, e.g. +30 690 000 0000."))
    if clean["messenger_number"] and clean["messenger"] not in set(Inquiry.Messenger.values) - {""}:
        refuse("messenger", _("Say whether this number is on WhatsApp or Signal."))
    if not clean["messenger_number"]:
        clean["messenger"] = ""
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            refuse("email", _("Write a valid e-mail address, e.g. name@example.com."))
    if len(clean["email"]) > 254:
        refuse("email", _("Write at most %(max)s characters.") % {"max": 254})
    language = clean["language"].lower()
    if not language or len(language) > 8 or not (languages.is_public(language) or iso639.is_known(language)):
        refuse("language", _("Choose a language from the list."))
    clean["language"] = language
    known = dict(countries)
    clean["nationality"] = clean["nationality"].upper()
    chosen_destination = clean["destination_country"].upper()
    clean["destination_country"] = chosen_destination or clean["nationality"]
    if clean["nationality"] not in known:
        refuse("nationality", _("We do not know this nationality: choose it from the list."))
    # Left empty, it is the nationality: say what is wrong once, where it was typed.
    if chosen_destination and chosen_destination not in known:
        refuse("destination_country", _("We do not know this country: choose it from the list."))
    if clean["where"] not in Inquiry.Where.values:
        refuse("where", _("Say where you are now."))
    elif clean["where"] == Inquiry.Where.CITY and not clean["city"]:
        refuse("city", _("Write the city or town you are in."))
    elif clean["where"] != Inquiry.Where.CITY and not clean["facility"]:
        refuse("facility", _("Write the name of the facility you are in."))
    if clean["family_travels"]:
        if clean["family_size"] is None or not 2 <= clean["family_size"] <= FAMILY_MAX:
            refuse("family_size", _("Say how many people travel, you included (2 to %(max)s).") % {"max": FAMILY_MAX})
    else:
        clean["family_size"] = None
    if clean["how_heard"] not in HowHeard.values:
        refuse("how_heard", _("Say how you heard of us."))
    if len(clean["message"]) > MESSAGE_MAX:
        refuse("message", _("Write at most %(max)s characters.") % {"max": MESSAGE_MAX})
    if not clean["consent"]:
        refuse("consent", _("Tick the box to agree, or we cannot contact you."))
    return SelfReferralInput(**clean), errors


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def self_referral_submit(*, mission: Mission, data: SelfReferralInput, page_language: str) -> Inquiry:
    """Add a self-referral to the mission's triage queue and return it, with its acknowledgement code.

    Rules: a host mission; a name, one way to reach the person, a nationality we know,
    where they are, how they heard of us, and their consent, whose text is kept exactly
    as shown in ``page_language``. Nothing else is touched: a flood adds rows, never
    changes or removes one already accepted. Errors name the field, in the visitor's language.
    """
    with translation.override(page_language):
        data, errors = _check_referral(data)
        if not mission.registers_cases:
            raise ServiceError(_("This office does not take requests."))
        if errors:
            raise ServiceError(_saved_nothing(), errors)
        consent = consent_text()
    fields = {k: v for k, v in data.__dict__.items() if k != "consent"}
    # A clash of codes is rare (31^8 codes) but possible: the savepoint lets us draw again.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Inquiry.objects.create(
                    mission=mission, code=new_code(), consent_text=consent, consent_at=timezone.now(), **fields
                )
        except IntegrityError:
            log.info("self-referral: acknowledgement code drawn twice, drawing again")
    raise RuntimeError("could not draw a unique acknowledgement code")
