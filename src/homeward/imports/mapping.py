"""What a tracker's columns mean: the target fields, guessing them from header names, and reading values.

Header names and the words in cells are compared folded (``core.text.search_key``:
lower-case ASCII, Greek transliterated), so "Επώνυμο", "EPONYMO" and "eponymo" meet.
Every reader returns a value or raises ``ValueError`` with a message for the person.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.cases.models import LegalStatus, ReferralSource, Relationship
from homeward.core.dates import PartialDate
from homeward.core.text import search_key
from homeward.people.models import IdentityDocument, Sex
from homeward.people.taxonomy import TAXONOMY


@dataclass(frozen=True)
class Field:
    code: str
    label: object
    # Header names in English, Greek and Romanian that mean this field.
    headers: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field("reference", gettext_lazy("case reference in the tracker"),
          ("case reference", "case ref", "case no", "case number", "case id", "reference", "ref", "file no",
           "file number", "αριθμός υπόθεσης", "κωδικός υπόθεσης", "υπόθεση", "nr dosar", "numar dosar", "dosar",
           "referinta")),
    Field("group", gettext_lazy("family or group"),
          ("family id", "family", "family no", "family number", "group", "group id", "household", "household id",
           "οικογένεια", "κωδικός οικογένειας", "αριθμός οικογένειας", "familie", "id familie", "grup")),
    Field("relationship", gettext_lazy("relationship to the principal applicant"),
          ("relationship", "relation", "relationship to pa", "relationship to principal", "role in family",
           "σχέση", "συγγένεια", "σχέση με τον αιτούντα", "relatie", "rudenie", "grad de rudenie")),
    Field("given_names", gettext_lazy("given names"),
          ("given names", "given name", "first name", "first names", "name", "forename", "όνομα", "ονομα",
           "prenume")),
    Field("family_name", gettext_lazy("family name"),
          ("family name", "last name", "surname", "επώνυμο", "nume", "nume de familie")),
    Field("given_names_original", gettext_lazy("given names (original script)"),
          ("given names original", "first name original", "name in original script", "όνομα πρωτότυπο",
           "prenume original")),
    Field("family_name_original", gettext_lazy("family name (original script)"),
          ("family name original", "last name original", "surname original", "επώνυμο πρωτότυπο",
           "nume original")),
    Field("sex", gettext_lazy("sex"), ("sex", "gender", "m f", "φύλο", "sexul", "gen")),
    Field("birth_date", gettext_lazy("date of birth (full, month and year, or year)"),
          ("date of birth", "birth date", "dob", "d o b", "born", "birthdate", "year of birth", "ημερομηνία γέννησης",
           "ημ γέννησης", "ημ νιας γέννησης", "έτος γέννησης", "data nasterii", "data de nastere", "anul nasterii")),
    Field("place_of_birth", gettext_lazy("place of birth"),
          ("place of birth", "birthplace", "born in", "pob", "τόπος γέννησης", "locul nasterii", "loc nastere")),
    Field("nationality", gettext_lazy("nationality"),
          ("nationality", "citizenship", "country of origin", "υπηκοότητα", "εθνικότητα", "χώρα καταγωγής",
           "cetatenie", "nationalitate", "tara de origine")),
    Field("destination_country", gettext_lazy("country of destination"),
          ("country of destination", "destination country", "destination", "country of return", "return country",
           "χώρα προορισμού", "χώρα επιστροφής", "tara de destinatie", "tara de returnare")),
    Field("destination_place", gettext_lazy("region or city of destination"),
          ("region", "city", "destination city", "destination region", "place", "final destination",
           "πόλη", "περιοχή", "πόλη προορισμού", "oras", "regiune", "localitate")),
    Field("phone", gettext_lazy("phone"),
          ("phone", "telephone", "mobile", "tel", "phone number", "contact", "τηλέφωνο", "κινητό", "telefon")),
    Field("document_kind", gettext_lazy("document type"),
          ("document type", "id type", "type of document", "τύπος εγγράφου", "έγγραφο", "tip document", "tip act")),
    Field("document_number", gettext_lazy("document number"),
          ("document number", "document no", "passport", "passport no", "passport number", "id number", "id no",
           "αριθμός διαβατηρίου", "αριθμός εγγράφου", "διαβατήριο", "numar document", "nr pasaport", "pasaport")),
    Field("legal_status", gettext_lazy("legal status"),
          ("legal status", "status in country", "immigration status", "νομικό καθεστώς", "καθεστώς",
           "statut legal", "statut")),
    Field("referral_source", gettext_lazy("referral source"),
          ("referral source", "referred by", "referral", "source", "παραπομπή", "πηγή", "sursa", "referit de")),
    Field("inquiry_date", gettext_lazy("date of first contact"),
          ("inquiry date", "date of inquiry", "first contact", "date of first contact", "contact date",
           "ημερομηνία επικοινωνίας", "ημερομηνία αιτήματος", "data solicitarii", "data primului contact")),
    Field("registered_date", gettext_lazy("date registered"),
          ("registration date", "date registered", "registered on", "date of registration", "registered",
           "ημερομηνία εγγραφής", "ημερομηνία καταχώρισης", "data inregistrarii", "data inscrierii")),
    Field("notes", gettext_lazy("notes"),
          ("notes", "note", "comments", "comment", "remarks", "σημειώσεις", "παρατηρήσεις", "observatii",
           "mentiuni")),
    Field("vulnerabilities", gettext_lazy("vulnerabilities (a list)"),
          ("vulnerabilities", "vulnerability", "specific needs", "ευαλωτότητα", "ευαλωτότητες", "ευάλωτη ομάδα",
           "vulnerabilitati", "vulnerabilitate")),
)  # fmt: skip
FIELD_CODES = {f.code for f in FIELDS}
DATE_FIELDS = {"birth_date", "inquiry_date", "registered_date"}


class DateOrder:
    """How to read 03/04/1990: decided from the column (a day above 12 settles it) or set in the mapping."""

    AUTO = "auto"
    DMY = "dmy"
    MDY = "mdy"
    CHOICES = (
        (AUTO, gettext_lazy("work it out from each column")),
        (DMY, gettext_lazy("day/month/year")),
        (MDY, gettext_lazy("month/day/year")),
    )


def field_choices() -> list[tuple[str, str]]:
    return [("", _("— leave out —")), *((f.code, str(f.label)) for f in FIELDS)]


def _header_key(header: str) -> str:
    # "Date of birth (dd/mm/yyyy)": the part in brackets is a hint, not the name.
    return search_key(re.sub(r"\(.*?\)|\[.*?\]", " ", header))


@lru_cache(maxsize=1)
def _header_index() -> dict[str, str]:
    return {search_key(name): f.code for f in FIELDS for name in f.headers}


def guess(headers: Iterable[str], saved: dict[str, str] | None = None) -> dict[str, str]:
    """``{header: field code}`` for the headers recognised; a saved mapping wins over the guess.

    Rule: each field is given to one column at most, the first that names it.
    """
    index, taken, result = _header_index(), set(), {}
    saved = saved or {}
    for header in headers:
        code = saved.get(header)
        if code in FIELD_CODES and code not in taken:
            result[header] = code
            taken.add(code)
    for header in headers:
        if header in result or header in saved:
            continue
        code = index.get(_header_key(header)) or index.get(search_key(header))
        if code and code not in taken:
            result[header] = code
            taken.add(code)
    return result


# ------------------------------------------------------------------ words in cells


def _words(pairs: dict[str, Iterable[object]]) -> dict[str, str]:
    return {search_key(str(word)): code for code, words in pairs.items() for word in [code, *words]}


RELATIONSHIP_WORDS = _words({
    Relationship.PRINCIPAL: ("pa", "principal applicant", "main applicant", "applicant", "head", "head of family",
                             "head of household", "self", "hoh", "αιτών", "αιτούσα", "κύριος αιτών", "επικεφαλής",
                             "solicitant", "solicitant principal", "titular", "cap de familie"),
    Relationship.SPOUSE: ("spouse", "wife", "husband", "partner", "spouse or partner", "σύζυγος", "σύντροφος", "sot",
                          "sotie", "partener"),
    Relationship.CHILD: ("son", "daughter", "kid", "παιδί", "γιος", "κόρη", "τέκνο", "copil", "fiu", "fiica"),
    Relationship.PARENT: ("mother", "father", "γονέας", "μητέρα", "πατέρας", "parinte", "mama", "tata"),
    Relationship.SIBLING: ("brother", "sister", "αδελφός", "αδελφή", "αδερφός", "αδερφή", "frate", "sora"),
    Relationship.GUARDIAN: ("legal guardian", "κηδεμόνας", "tutore"),
    Relationship.OTHER: ("other relative", "relative", "cousin", "uncle", "aunt", "grandchild", "grandmother",
                         "grandfather", "άλλο", "συγγενής", "alta ruda", "ruda", "altul"),
})  # fmt: skip
SEX_WORDS = _words({
    Sex.FEMALE: ("female", "woman", "w", "girl", "θ", "θήλυ", "γυναίκα", "γ", "femeie", "feminin", "fem"),
    Sex.MALE: ("male", "man", "boy", "α", "άρρεν", "άνδρας", "ανδρας", "barbat", "masculin", "masc", "b"),
    Sex.OTHER: ("other", "άλλο", "altul"),
    Sex.UNKNOWN: ("unknown", "not stated", "άγνωστο", "necunoscut"),
})  # fmt: skip


def _choice_words(choices: Iterable[tuple[str, object]], extra: dict[str, Iterable[str]]) -> dict[str, str]:
    with translation.override("en"):
        pairs: dict[str, list[object]] = {code: [str(label)] for code, label in choices}
    for code, words in extra.items():
        pairs.setdefault(code, []).extend(words)
    return _words(pairs)


@lru_cache(maxsize=1)
def _referral_words() -> dict[str, str]:
    return _choice_words(ReferralSource.choices, {
        ReferralSource.SELF: ("self referral", "walk in", "walk-in", "μόνος", "αυτοπαραπομπή", "singur"),
        ReferralSource.NGO: ("ngo", "μκο", "ong"),
        ReferralSource.ASYLUM_SERVICE: ("asylum", "υπηρεσία ασύλου", "azil"),
        ReferralSource.DETENTION_CENTRE: ("detention", "κράτηση", "προαναχωρησιακό", "centru de cazare"),
        ReferralSource.OUTREACH: ("outreach", "info session", "ενημέρωση"),
        ReferralSource.EMBASSY: ("consulate", "πρεσβεία", "ambasada"),
        ReferralSource.AUTHORITY: ("police", "αστυνομία", "politia", "igi"),
    })  # fmt: skip


@lru_cache(maxsize=1)
def _legal_status_words() -> dict[str, str]:
    return _choice_words(LegalStatus.choices, {
        LegalStatus.PROTECTION_REJECTED: ("rejected", "rejected asylum seeker", "απορριφθείς", "respins"),
        LegalStatus.IRREGULAR_STAY: ("irregular", "undocumented", "παράτυπος", "ilegal"),
        LegalStatus.RETURN_DECISION: ("return decision", "απόφαση επιστροφής", "decizie de returnare"),
        LegalStatus.ASYLUM_SEEKER: ("asylum seeker", "αιτών άσυλο", "solicitant de azil"),
        LegalStatus.REGULAR_STAY: ("regular", "νόμιμος", "legal"),
    })  # fmt: skip


@lru_cache(maxsize=1)
def _document_words() -> dict[str, str]:
    return _choice_words(IdentityDocument.Kind.choices, {
        IdentityDocument.Kind.PASSPORT: ("pp", "διαβατήριο", "pasaport"),
        IdentityDocument.Kind.NATIONAL_ID: ("id", "id card", "national id", "ταυτότητα", "buletin",
                                            "carte de identitate"),
        IdentityDocument.Kind.ASYLUM_CARD: ("asylum card", "κάρτα αιτούντος", "καρτα ασυλου"),
        IdentityDocument.Kind.TRAVEL_DOCUMENT: ("laissez passer", "lp", "ταξιδιωτικό έγγραφο"),
    })  # fmt: skip


@lru_cache(maxsize=1)
def _vulnerability_words() -> dict[str, str]:
    return _choice_words(((code, name) for code, name, *_rest in TAXONOMY), {
        "unaccompanied_child": ("uam", "uasc", "unaccompanied", "unaccompanied child", "separated child", "ασυνόδευτος", "ασυνόδευτο", "neinsotit"),
        "single_parent": ("single mother", "single father", "μονογονέας", "parinte singur"),
        "pregnant": ("pregnancy", "έγκυος", "insarcinata"),
        "disability": ("disabled", "αναπηρία", "dizabilitate"),
        "health_needs": ("medical", "health", "υγεία", "sanatate"),
        "serious_medical_condition": ("serious medical", "σοβαρή ασθένεια", "boala grava"),
        "trafficking": ("vot", "trafficking victim", "θύμα εμπορίας", "trafic"),
        "torture": ("βασανιστήρια", "tortura"),
        "gbv": ("sgbv", "gender based violence", "έμφυλη βία", "violenta de gen"),
        "child_protection": ("child protection", "προστασία παιδιού", "protectia copilului"),
        "child": ("minor", "ανήλικος", "minor"),
        "elderly": ("elderly", "ηλικιωμένος", "varstnic"),
    })  # fmt: skip


def _lookup(words: dict[str, str], value: str, what: str) -> str:
    code = words.get(search_key(value))
    if code is None:
        raise ValueError(_("“%(value)s” is not a %(what)s we know.") % {"value": value, "what": what})
    return code


def read_relationship(value: str) -> str:
    return _lookup(RELATIONSHIP_WORDS, value, _("relationship"))


def read_sex(value: str) -> str:
    return _lookup(SEX_WORDS, value, _("sex"))


def read_referral_source(value: str) -> str:
    return _lookup(_referral_words(), value, _("referral source"))


def read_legal_status(value: str) -> str:
    return _lookup(_legal_status_words(), value, _("legal status"))


def read_document_kind(value: str) -> str:
    return _lookup(_document_words(), value, _("document type"))


def vulnerability_words(known: Mapping[str, object]) -> dict[str, str]:
    """Folded words for the vulnerability types in the database (``known`` by code; an administrator may add some)."""
    words = {**_vulnerability_words(), **{search_key(str(t)): code for code, t in known.items()},
             **{search_key(code): code for code in known}}  # fmt: skip
    return {word: code for word, code in words.items() if code in known}


def read_vulnerabilities(value: str, words: Mapping[str, str]) -> list[str]:
    """A list written in one cell, separated by commas, semicolons, slashes or new lines (``words`` from above)."""
    codes, unknown = [], []
    for part in re.split(r"[,;/|\n]+", value):
        if not part.strip():
            continue
        code = words.get(search_key(part))
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValueError(_("Unknown vulnerability: %(words)s.") % {"words": ", ".join(unknown)})
    return codes


# ------------------------------------------------------------------ countries


@lru_cache(maxsize=1)
def country_index() -> dict[str, str]:
    """Folded country names (English, Greek, Romanian, ISO official and common names) and ISO codes to alpha-2.

    Built once per process, so checking 10,000 rows never asks the database.
    """
    import pycountry
    from django_countries import countries

    index: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (getattr(country, "official_name", ""), getattr(country, "common_name", ""), country.name):
            if name:
                index[search_key(name)] = country.alpha_2
    for language in ("en", "el", "ro"):
        with translation.override(language):
            for country in countries:
                index[search_key(str(country.name))] = country.code
    for country in countries:
        index[search_key(country.code)] = country.code
        alpha3 = countries.alpha3(country.code)
        if alpha3:
            index[search_key(alpha3)] = country.code
    return index


def read_country(value: str) -> str:
    code = country_index().get(search_key(value))
    if code is None:
        raise ValueError(
            _("“%(value)s” is not a country we know: use its English name or ISO code.") % {"value": value}
        )
    return code


# ------------------------------------------------------------------ dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers between 1900-01-01 and 2099-12-31.
_SERIAL_RANGE = (1, 73050)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ESTIMATED = re.compile(r"^(?:ca\.?|c\.|circa|about|approx\.?|~|περίπου|περ\.|aprox\.?|cca\.?)\s*", re.IGNORECASE)
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2})?$")


@dataclass(frozen=True)
class DateText:
    """A date typed as text, its day/month order not yet known: ``first`` and ``second`` as written."""

    first: int
    second: int
    year: int

    def ambiguous(self) -> bool:
        return self.first <= 12 and self.second <= 12 and self.first != self.second

    def votes(self) -> str | None:
        """The order this date proves: a number above 12 can only be the day."""
        if self.first > 12 >= self.second:
            return DateOrder.DMY
        if self.second > 12 >= self.first:
            return DateOrder.MDY
        return None


def scan(value: object) -> DateText | None:
    """The day/month/year text of a cell, so a column's order can be worked out before reading it."""
    if not isinstance(value, str):
        return None
    match = _NUMERIC.match(_TIME.sub("", value.strip()))
    if not match:
        return None
    return DateText(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _exact(year: int, month: int, day: int, shown: str) -> PartialDate:
    if not 1 <= month <= 12:
        raise ValueError(
            _("“%(value)s” is not a date: there is no month %(month)s.") % {"value": shown, "month": month}
        )
    last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    if not 1 <= day <= last:
        raise ValueError(
            _("“%(value)s” is not a date: %(month)s/%(year)s has no day %(day)s.")
            % {"value": shown, "month": month, "year": year, "day": day}
        )
    return PartialDate.build(year=year, month=month, day=day)


def read_date(value: object, order: str, *, partial: bool) -> PartialDate:
    """A date from a cell: an Excel date, an Excel serial number, or text.

    Text may be DD/MM/YYYY (or with dots or dashes, D.M.YYYY), YYYY-MM-DD and, when
    ``partial`` (a date of birth), MM/YYYY, YYYY-MM, YYYY and "ca. 1990". Rule: a
    date whose day and month could be swapped is refused unless ``order`` says
    which comes first; a two-digit year is refused (is 05 1905 or 2005?).
    """
    if isinstance(value, dt.datetime):
        return PartialDate.build(year=value.year, month=value.month, day=value.day)
    if isinstance(value, dt.date):
        return PartialDate.build(year=value.year, month=value.month, day=value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if partial and float(value).is_integer() and 1900 <= value <= 2100:
            return PartialDate.build(year=int(value))
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            return PartialDate.build(year=day.year, month=day.month, day=day.day)
        raise ValueError(_("“%(value)s” is not a date.") % {"value": value})
    text = _TIME.sub("", str(value).strip())
    estimated = bool(partial and _ESTIMATED.match(text))
    if estimated:
        text = _ESTIMATED.sub("", text)
    if partial and (match := _YEAR.match(text)):
        return PartialDate.build(year=int(match.group(1)), estimated=estimated)
    if estimated:
        raise ValueError(_("“%(value)s”: an estimated date of birth is a year only.") % {"value": value})
    if text.isdigit() and _SERIAL_RANGE[0] <= int(text) <= _SERIAL_RANGE[1]:
        return read_date(int(text), order, partial=partial)
    if match := _ISO.match(text):
        year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
        if day is None:
            if not partial:
                raise ValueError(_("“%(value)s” is a month, not a date.") % {"value": value})
            if not 1 <= month <= 12:
                raise ValueError(
                    _("“%(value)s” is not a date: there is no month %(month)s.") % {"value": value, "month": month}
                )
            return PartialDate.build(year=year, month=month)
        return _exact(year, month, int(day), str(value))
    if partial and (match := _MONTH_YEAR.match(text)):
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(
                _("“%(value)s” is not a date: there is no month %(month)s.") % {"value": value, "month": month}
            )
        return PartialDate.build(year=year, month=month)
    parts = scan(text)
    if parts is None:
        raise ValueError(
            _("“%(value)s” is not a date we can read: write it as DD/MM/YYYY or YYYY-MM-DD.") % {"value": value}
        )
    if parts.year < 100:
        raise ValueError(_("“%(value)s”: write the year with four digits.") % {"value": value})
    if order == DateOrder.AUTO and parts.ambiguous():
        raise ValueError(
            _("“%(value)s” could be read two ways (day/month or month/day): choose the date order in the mapping.")
            % {"value": value}
        )
    if order == DateOrder.MDY:
        return _exact(parts.year, parts.first, parts.second, str(value))
    if order == DateOrder.AUTO and parts.votes() == DateOrder.MDY:
        return _exact(parts.year, parts.first, parts.second, str(value))
    return _exact(parts.year, parts.second, parts.first, str(value))


def column_order(values: Iterable[object], chosen: str) -> str:
    """The day/month order of a date column: the one chosen, else the one its unambiguous dates prove.

    A column whose dates prove both orders keeps ``auto``, so each ambiguous date
    is refused in words rather than read the wrong way; a column of dates that
    are all ambiguous is read day first only if the mapping says so.
    """
    if chosen != DateOrder.AUTO:
        return chosen
    votes = {v for v in (p.votes() for p in map(scan, values) if p) if v}
    return votes.pop() if len(votes) == 1 else DateOrder.AUTO
