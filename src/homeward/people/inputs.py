"""What a person's record is written from: the same input for pages, API and demo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.core import languages as language_codes
from homeward.core.dates import PartialDate
from homeward.core.text import transliterate

EARLIEST_BIRTH_YEAR = 1900
NAME_LENGTH = 150  # Person.given_names / family_name


@dataclass
class DocumentInput:
    kind: str
    number: str
    issuing_country: str
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


@dataclass
class PersonInput:
    given_names: str = ""
    family_name: str = ""
    given_names_original: str = ""
    family_name_original: str = ""
    sex: str = "U"
    birth_date: PartialDate | None = None
    place_of_birth: str = ""
    nationality: str = ""
    country_of_origin: str = ""
    languages: list[str] = field(default_factory=list)
    phone: str = ""
    vulnerabilities: list[str] = field(default_factory=list)
    previous_assistance_on: dt.date | None = None

    def cleaned(self, *, phone_region: str | None) -> PersonInput:
        """Normalise and check what no database constraint can; raises ValidationError by field."""
        errors: dict[str, list[str]] = {}
        given = self.given_names.strip() or transliterate(self.given_names_original)
        family = self.family_name.strip() or transliterate(self.family_name_original)
        if not given:
            errors["given_names"] = [_("Give the given names, in Latin letters or in the original script.")]
        for latin, typed, original in (
            ("given_names", self.given_names, given),
            ("family_name", self.family_name, family),
        ):
            if not typed.strip() and len(original) > NAME_LENGTH:
                errors[f"{latin}_original"] = [
                    _("In Latin letters this name is too long: type its Latin spelling (at most %(n)s letters).")
                    % {"n": NAME_LENGTH}
                ]
        if self.birth_date is not None:
            today = timezone.localdate()
            if self.birth_date.value > today:
                errors["birth_date"] = [_("The date of birth is in the future.")]
            elif self.birth_date.value.year < EARLIEST_BIRTH_YEAR:
                errors["birth_date"] = [
                    _("The year of birth must be %(year)s or later.") % {"year": EARLIEST_BIRTH_YEAR}
                ]
        if self.previous_assistance_on and self.previous_assistance_on > timezone.localdate():
            errors["previous_assistance_on"] = [_("The date of the earlier return is in the future.")]
        unknown = [code for code in self.languages if not language_codes.is_known(code)]
        if unknown:
            errors["languages"] = [_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}]
        phone = ""
        if self.phone.strip():
            try:
                phone = normalise_phone(self.phone, phone_region)
            except ValueError as exc:
                errors["phone"] = [str(exc)]
        if errors:
            raise ValidationError(errors)
        return PersonInput(
            given_names=given,
            family_name=family,
            given_names_original=self.given_names_original.strip(),
            family_name_original=self.family_name_original.strip(),
            sex=self.sex,
            birth_date=self.birth_date,
            place_of_birth=" ".join(self.place_of_birth.split()),
            nationality=self.nationality.upper(),
            country_of_origin=(self.country_of_origin or self.nationality).upper(),
            languages=sorted({code.strip().lower() for code in self.languages}),
            phone=phone,
            vulnerabilities=sorted(set(self.vulnerabilities)),
            previous_assistance_on=self.previous_assistance_on,
        )


def normalise_phone(raw: str, region: str | None) -> str:
    """E.164 form of a phone number; a local number is read in ``region``."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValueError(_("“%(phone)s” is not a phone number.") % {"phone": raw}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(
            _("“%(phone)s” is not a valid phone number. Numbers from abroad start with + and the country code.")
            % {"phone": raw}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def birth_date_from_parts(
    year: int | None, month: int | None = None, day: int | None = None, estimated: bool = False
) -> PartialDate | None:
    """A date of birth from the parts typed; no year means unknown. Raises ValidationError."""
    if year is None:
        if month is not None or day is not None:
            raise ValidationError({"birth_date": [_("Give the year of birth, even if estimated.")]})
        return None
    try:
        return PartialDate.build(year=year, month=month, day=day, estimated=estimated)
    except ValueError as exc:
        raise ValidationError({"birth_date": [str(exc)]}) from None
