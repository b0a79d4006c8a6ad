from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.roles import Sensitivity
from homeward.core.audit import case_tag, register
from homeward.core.crypto import document_digest
from homeward.core.dates import DatePrecision, PartialDate
from homeward.core.fields import EncryptedCharField
from homeward.core.text import search_key


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    OTHER = "X", _("other")
    UNKNOWN = "U", _("not stated")


class Person(models.Model):
    """A migrant. The same person may appear in several cases over the years."""

    given_names = models.CharField(_("given names"), max_length=150)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    given_names_original = models.CharField(_("given names (original script)"), max_length=150, blank=True)
    family_name_original = models.CharField(_("family name (original script)"), max_length=150, blank=True)
    # Lower-case ASCII of every spelling above, for accent- and script-insensitive search.
    search_name = models.TextField(editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth precision"), max_length=10, choices=DatePrecision.choices, blank=True
    )
    place_of_birth = models.CharField(_("place of birth"), max_length=150, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    country_of_origin = CountryField(_("country of origin"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    previous_assistance_on = models.DateField(
        _("previously assisted to return on"), null=True, blank=True,
        help_text=_("An earlier assisted return, by any organisation, if known."),
    )  # fmt: skip
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("Stored in E.164 form, e.g. +306912345678.")
    )
    # Set when a supervisor merged this record into another (matching.PersonMerge): it is kept,
    # with its history, but everything it held moved to the survivor.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(birth_date__isnull=True, birth_date_precision="")
                           | models.Q(birth_date__isnull=False) & ~models.Q(birth_date_precision="")),
                name="birth_date_has_precision",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = search_key(
            self.given_names, self.family_name, self.given_names_original, self.family_name_original
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name", "updated_at"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_additional_data(self) -> dict[str, object]:
        return case_tag()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)

    @property
    def original_name(self) -> str:
        return " ".join(p for p in (self.given_names_original, self.family_name_original) if p)

    @property
    def date_of_birth(self) -> PartialDate | None:
        if self.birth_date is None:
            return None
        return PartialDate(self.birth_date, self.birth_date_precision)

    def age_range(self, on: dt.date | None = None) -> tuple[int, int] | None:
        dob = self.date_of_birth
        return dob.age_range(on or timezone.localdate()) if dob else None

    def derived_vulnerability_codes(self, on: dt.date | None = None) -> list[str]:
        """'child' and 'elderly' follow from the date of birth; nobody types them."""
        dob = self.date_of_birth
        if dob is None:
            return []
        today = on or timezone.localdate()
        codes = []
        if dob.is_possibly_minor(today):
            codes.append(VulnerabilityType.CHILD)
        if dob.is_elderly(today):
            codes.append(VulnerabilityType.ELDERLY)
        return codes


class IdentityDocument(models.Model):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("passport")
        NATIONAL_ID = "national_id", _("national identity card")
        TRAVEL_DOCUMENT = "travel_document", _("travel document / laissez-passer")
        BIRTH_CERTIFICATE = "birth_certificate", _("birth certificate")
        RESIDENCE_PERMIT = "residence_permit", _("residence permit")
        ASYLUM_CARD = "asylum_card", _("asylum seeker card")
        OTHER = "other", _("other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    number = EncryptedCharField(_("number"), max_length=40)
    # The blind index of the number (core.crypto.document_digest): what duplicates and matching compare.
    number_digest = models.CharField(max_length=64, editable=False, default="")
    issuing_country = CountryField(_("issuing country"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-expires_on"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "issuing_country", "number_digest"], name="document_once_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True) | models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("issued_on")),
                name="document_expires_after_issue",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        # Without the number: this is what the audit log keeps as the object's name, and the log is not encrypted.
        return f"{self.get_kind_display()} ({self.issuing_country.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.number_digest = document_digest(self.number)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "number" in update_fields:
            kwargs["update_fields"] = {*update_fields, "number_digest"}
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """Type, number and country, for the pages of those who may see it."""
        return f"{self.get_kind_display()} {self.number} ({self.issuing_country.code})"

    def is_expired(self, on: dt.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (on or timezone.localdate())

    def get_additional_data(self) -> dict[str, object]:
        return {**case_tag(), "person_id": self.person_id}


class VulnerabilityType(models.Model):
    """Reference data: the vulnerability taxonomy, each with its sensitivity."""

    CHILD = "child"
    ELDERLY = "elderly"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    sensitivity = models.CharField(_("sensitivity"), max_length=12, choices=Sensitivity.choices)
    derived = models.BooleanField(
        _("derived"), default=False, help_text=_("Worked out from the date of birth, never typed.")
    )
    minors_only = models.BooleanField(_("minors only"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("vulnerability type")
        verbose_name_plural = _("vulnerability types")

    def __str__(self) -> str:
        # Shipped types are translated through the catalogue; added ones show as typed.
        from homeward.people.taxonomy import NAMES

        return str(NAMES.get(self.code, self.name))


class PersonVulnerability(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="vulnerabilities", verbose_name=_("person")
    )
    type = models.ForeignKey(
        VulnerabilityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("vulnerability")
    )
    note = EncryptedCharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["type__order"]
        verbose_name = _("vulnerability")
        verbose_name_plural = _("vulnerabilities")
        constraints = [models.UniqueConstraint(fields=["person", "type"], name="vulnerability_once_per_person")]

    def __str__(self) -> str:
        return str(self.type)

    def get_additional_data(self) -> dict[str, object]:
        # The history hides entries about types the reader may not see (checked live).
        return {**case_tag(), "person_id": self.person_id, "type_id": self.type_id}


register(Person, exclude=("id", "search_name", "created_at", "updated_at"))
register(IdentityDocument, exclude=("id", "created_at", "number_digest"))
register(PersonVulnerability, exclude=("id", "created_at"))
