"""Writes to a person's record.

A person is reached through a case, so access is checked by the case
services that call these; these enforce the person's own invariants.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.core.crypto import document_digest
from homeward.core.validation import full_clean
from homeward.matching import indexing
from homeward.people.inputs import DocumentInput, PersonInput
from homeward.people.models import IdentityDocument, Person, PersonVulnerability, VulnerabilityType


def _check_vulnerabilities(data: PersonInput) -> list[VulnerabilityType]:
    types = {t.code: t for t in VulnerabilityType.objects.filter(code__in=data.vulnerabilities)}
    errors = []
    unknown = sorted(set(data.vulnerabilities) - set(types))
    if unknown:
        errors.append(_("Unknown vulnerability: %(codes)s.") % {"codes": ", ".join(unknown)})
    for t in types.values():
        if t.derived:
            errors.append(_("“%(name)s” follows from the date of birth and cannot be recorded by hand.") % {"name": t})
        elif t.minors_only and data.birth_date and not data.birth_date.is_possibly_minor(timezone.localdate()):
            errors.append(_("“%(name)s” applies only to a person under 18.") % {"name": t})
    if errors:
        raise ValidationError({"vulnerabilities": errors})
    return list(types.values())


def _apply(person: Person, data: PersonInput) -> list[str]:
    values = {
        "given_names": data.given_names,
        "family_name": data.family_name,
        "given_names_original": data.given_names_original,
        "family_name_original": data.family_name_original,
        "sex": data.sex,
        "birth_date": data.birth_date.value if data.birth_date else None,
        "birth_date_precision": data.birth_date.precision if data.birth_date else "",
        "place_of_birth": data.place_of_birth,
        "nationality": data.nationality,
        "country_of_origin": data.country_of_origin,
        "languages": data.languages,
        "phone": data.phone,
        "previous_assistance_on": data.previous_assistance_on,
    }
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name, value in values.items():
        setattr(person, name, value)
    full_clean(person, exclude=["search_name"])
    return changed


def person_create(*, data: PersonInput) -> Person:
    types = _check_vulnerabilities(data)
    person = Person()
    _apply(person, data)
    person.save()
    for t in types:
        # Saved one by one (not bulk_create) so that each gets its audit entry.
        PersonVulnerability(person=person, type=t).save()
    indexing.index_person(person)
    return person


def person_update(*, person: Person, data: PersonInput) -> Person:
    """Change a person's details and replace the vulnerabilities typed by hand."""
    types = _check_vulnerabilities(data)
    changed = _apply(person, data)
    if changed:
        person.save(update_fields=changed)
    wanted = {t.pk: t for t in types}
    for existing in person.vulnerabilities.select_related("type"):
        if existing.type_id not in wanted:
            existing.delete()
        else:
            del wanted[existing.type_id]
    for t in wanted.values():
        PersonVulnerability(person=person, type=t).save()
    if changed:
        indexing.index_person(person)
    return person


def document_add(*, person: Person, data: DocumentInput) -> IdentityDocument:
    document = IdentityDocument(
        person=person,
        kind=data.kind,
        number=data.number.strip().upper(),
        issuing_country=data.issuing_country.upper(),
        issued_on=data.issued_on,
        expires_on=data.expires_on,
    )
    errors: dict[str, list[str]] = {}
    if data.issued_on and data.expires_on and data.expires_on <= data.issued_on:
        errors["expires_on"] = [_("The expiry date must come after the issue date.")]
    try:
        full_clean(document, exclude=["person"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (
        not errors
        and person.pk
        and person.documents.filter(
            kind=document.kind, issuing_country=document.issuing_country, number_digest=document_digest(document.number)
        ).exists()
    ):
        errors["number"] = [_("This document is already recorded for this person.")]
    if errors:
        raise ValidationError(errors)
    document.save()
    indexing.index_person(person)
    return document
