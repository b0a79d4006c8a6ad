"""The programme rule format: what a programme file (YAML or JSON) may say.

Every key is known: an unknown key, a negative amount, an end before a start,
an unknown country, currency or vulnerability is an error that names its place
(``rules[1].benefits.pre_departure_cash.family_cap.value``). The format is
documented for programme officers in ``docs/rules-format.md``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Annotated, Any, Literal

import pycountry
from django_countries import countries
from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from homeward.people.taxonomy import NAMES as VULNERABILITIES


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _country(code: str) -> str:
    code = code.strip().upper()
    if code not in countries:
        raise ValueError(f"unknown country code {code!r} (use ISO 3166 alpha-2, e.g. PK)")
    return code


def _currency(code: str) -> str:
    code = code.strip().upper()
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValueError(f"unknown currency {code!r} (use ISO 4217, e.g. EUR)")
    return code


def _vulnerability(code: str) -> str:
    if code not in VULNERABILITIES:
        raise ValueError(f"unknown vulnerability {code!r} (one of: {', '.join(VULNERABILITIES)})")
    return code


Country = Annotated[str, Field(min_length=2, max_length=2)]
Currency = Annotated[str, Field(min_length=3, max_length=3)]


class Amount(Strict):
    """A sum of money. ``confirmed: false`` marks a placeholder nobody may pay against yet."""

    value: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    confirmed: bool = True
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _plain_number(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("an amount is a number, not true or false")
        if isinstance(data, int | float | str | Decimal):
            try:
                return {"value": Decimal(str(data))}
            except InvalidOperation:
                raise ValueError(f"{data!r} is not an amount") from None
        return data


class PerPerson(Strict):
    """An amount per person by age band: ``minor`` applies below ``minor_below`` years."""

    adult: Amount
    minor: Amount
    minor_below: int = Field(default=18, ge=1, le=25)


class LargeFamilyBonus(Strict):
    from_members: int = Field(ge=2)
    amount: Amount


class PreDepartureCash(Strict):
    currency: Currency
    per_person: PerPerson
    # Where a programme pays differently by place, e.g. {"islands": {...}}; the case's place picks one.
    by_place: dict[str, PerPerson] = {}
    family_cap: Amount | None = None

    # Cases store their place in lower case.
    _places = field_validator("by_place")(lambda places: {key.strip().lower(): rate for key, rate in places.items()})
    large_family_bonus: LargeFamilyBonus | None = None

    _currency = field_validator("currency")(_currency)


class ArrivalGrant(Strict):
    """A reception grant paid to each person on arrival in the country of origin."""

    currency: Currency
    per_person: PerPerson

    _currency = field_validator("currency")(_currency)


class PerDiem(Strict):
    currency: Currency
    per_day: Amount
    max_days: int = Field(ge=1, le=365)
    only_precarious: bool = True

    _currency = field_validator("currency")(_currency)


class Travel(Strict):
    ticket_from: str = Field(min_length=2, description="departure airport or city, e.g. Bucharest (OTP)")
    escort_for: list[str] = []

    _escort = field_validator("escort_for")(lambda codes: [_vulnerability(c) for c in codes])


class VulnerabilityTopUp(Strict):
    amount: Amount
    for_vulnerabilities: list[str] = Field(min_length=1)
    components: list[str] = []

    _codes = field_validator("for_vulnerabilities")(lambda codes: [_vulnerability(c) for c in codes])


class Reintegration(Strict):
    """A ceiling per individual and per family, or per member with a family cap."""

    currency: Currency
    per_individual: Amount | None = None
    per_family: Amount | None = None
    per_member: Amount | None = None
    family_cap: Amount | None = None
    vulnerability_top_up: VulnerabilityTopUp | None = None
    payment: Literal["in_kind", "cash", "mixed"] = "in_kind"
    cash_share_max: Decimal | None = Field(default=None, ge=0, le=1)
    use_within_months: int | None = Field(default=None, ge=1, le=60)

    _currency = field_validator("currency")(_currency)

    @model_validator(mode="after")
    def _one_way_of_counting(self) -> Reintegration:
        per_case = self.per_individual is not None or self.per_family is not None
        if per_case == (self.per_member is not None):
            raise ValueError("give either per_individual and per_family, or per_member (with an optional family_cap)")
        if per_case and (self.per_individual is None or self.per_family is None):
            raise ValueError("per_individual and per_family go together")
        if self.family_cap is not None and self.per_member is None:
            raise ValueError("family_cap applies to per_member amounts")
        if (self.payment == "mixed") != (self.cash_share_max is not None):
            raise ValueError("cash_share_max is required with payment: mixed, and only then")
        return self


class Benefits(Strict):
    pre_departure_cash: PreDepartureCash | None = None
    per_diem: PerDiem | None = None
    arrival_grant: ArrivalGrant | None = None
    travel: Travel | None = None
    reintegration: Reintegration | None = None


LegalStatus = Literal[
    "protection_rejected",  # Romania (a): a request for protection irrevocably rejected
    "asylum_withdrawn",  # Romania (b): withdrew from the procedure, or renounced protection
    "return_decision",  # Romania (c): must leave by an administrative decision, or meets its conditions
    "irregular_stay",
    "asylum_seeker",
    "protection_holder",
    "regular_stay",
]


Exclusion = Literal["criminal_offence", "fraud", "security_concern"]


class LegalStatusRule(Strict):
    accepted: list[LegalStatus] = Field(min_length=1)
    label: str = ""  # how the programme names the categories, e.g. "Romania category (a)–(c)"


class VulnerabilityRule(Strict):
    any_of: list[str] = Field(min_length=1)
    # required: no listed vulnerability, not eligible; priority: eligible, but reviewed without one.
    mode: Literal["required", "priority"] = "required"

    _codes = field_validator("any_of")(lambda codes: [_vulnerability(c) for c in codes])


class NationalityRule(Strict):
    allowed: list[Country] = []
    excluded: list[Country] = []

    _codes = field_validator("allowed", "excluded")(lambda codes: [_country(c) for c in codes])


class PreviousAssistanceRule(Strict):
    within_years: int | None = Field(default=None, ge=1, le=50)  # none: ever
    excludes: Literal["reintegration", "all"] = "all"


class ApprovalRule(Strict):
    authority: str = Field(min_length=2)
    required: bool = True


class AgeRule(Strict):
    min: int | None = Field(default=None, ge=0, le=120)
    max: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _ordered(self) -> AgeRule:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        return self


class Eligibility(Strict):
    legal_status: LegalStatusRule | None = None
    vulnerabilities: VulnerabilityRule | None = None
    nationalities: NationalityRule | None = None
    reintegration_requires_origin_office: bool = False
    previous_assistance: PreviousAssistanceRule | None = None
    exclusions: list[Exclusion] = []  # case flags that exclude, e.g. criminal_offence
    excluded_destinations: list[Country] = []
    authority_approval: ApprovalRule | None = None
    age: AgeRule | None = None

    _destinations = field_validator("excluded_destinations")(lambda codes: [_country(c) for c in codes])


MAX_MONITORING_MONTHS = 36


class Monitoring(Strict):
    """When the origin mission visits after arrival: months after the arrival date, e.g. ``[3, 6, 12]``."""

    visits_after_months: list[StrictInt] = Field(min_length=1, max_length=12)

    @field_validator("visits_after_months")
    @classmethod
    def _increasing(cls, months: list[int]) -> list[int]:
        if any(m < 1 for m in months):
            raise ValueError("months after arrival are positive, e.g. [3, 6, 12]")
        if any(later <= earlier for earlier, later in pairwise(months)):
            raise ValueError("the months go up: each visit comes after the one before")
        if months[-1] > MAX_MONITORING_MONTHS:
            raise ValueError(f"the last visit is at most {MAX_MONITORING_MONTHS} months after arrival")
        return months


class RuleVersion(Strict):
    effective_from: dt.date
    note: str = Field(default="", max_length=250)
    eligibility: Eligibility = Eligibility()
    benefits: Benefits = Benefits()
    # Absent: the programme schedules no monitoring visits.
    monitoring: Monitoring | None = None


BudgetCategory = Literal["travel", "cash_grants", "reintegration", "staff", "outreach", "office", "other"]


class Target(Strict):
    """A target: an indicator code (``reporting.indicators``), a value, and the period it covers."""

    kind: str = Field(min_length=2, max_length=40)
    value: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    note: str = Field(default="", max_length=250)
    # life: the whole programme; year and quarter start on ``starts_on`` and last a year or three months.
    period: Literal["life", "year", "quarter"] = "life"
    starts_on: dt.date | None = None

    @field_validator("kind")
    @classmethod
    def _known(cls, kind: str) -> str:
        from homeward.reporting.indicators import REGISTRY  # a pure module: codes and words, no models

        if kind not in REGISTRY:
            raise ValueError(f"unknown indicator {kind!r}; the codes are on the indicator definitions page")
        return kind

    @model_validator(mode="after")
    def _dated(self) -> Target:
        if (self.period == "life") != (self.starts_on is None):
            raise ValueError("a yearly or quarterly target needs starts_on; a life-of-programme target has none")
        return self

    def ends_on(self) -> dt.date | None:
        if self.starts_on is None:
            return None
        return _add_months(self.starts_on, 12 if self.period == "year" else 3) - dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    target = dt.date(day.year + year, month + 1, 1)
    last = (dt.date(target.year + (target.month == 12), target.month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return target.replace(day=min(day.day, last))


class Reporting(Strict):
    """How the donor wants the report: its age groups (lower bounds in years) and disaggregations."""

    age_groups: list[int] = Field(default_factory=lambda: [0, 5, 12, 18, 60], min_length=1, max_length=12)
    disaggregations: list[str] = Field(
        default_factory=lambda: ["sex_age", "age_group", "nationality", "destination_country", "case_type"]
    )

    @model_validator(mode="after")
    def _valid(self) -> Reporting:
        from homeward.reporting.indicators import DIMENSIONS

        if self.age_groups[0] != 0 or sorted(set(self.age_groups)) != self.age_groups:
            raise ValueError("age_groups are increasing lower bounds in years, starting at 0")
        unknown = [d for d in self.disaggregations if d not in DIMENSIONS]
        if unknown:
            raise ValueError(f"unknown disaggregations: {', '.join(unknown)}")
        return self


class BudgetLine(Strict):
    category: BudgetCategory
    amount: Amount
    currency: Currency
    note: str = Field(default="", max_length=250)

    _currency = field_validator("currency")(_currency)


class Phase(Strict):
    name: str = Field(min_length=1, max_length=120)
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        if self.end < self.start:
            raise ValueError("the end date is before the start date")
        return self


class ProgrammeInfo(Strict):
    code: str = Field(min_length=2, max_length=40)
    name: str = Field(min_length=3, max_length=250)
    donor: str = Field(min_length=2, max_length=250)
    fund: str = Field(default="", max_length=250)
    missions: list[str] = Field(min_length=1)
    partners: list[str] = []
    currency: Currency
    start: dt.date
    end: dt.date
    phases: list[Phase] = []
    status: Literal["draft", "active", "closed"] = "active"
    source: str = Field(default="", max_length=250)  # where the rules come from (a seed, a donor agreement)
    description: str = ""

    _currency = field_validator("currency")(_currency)

    @model_validator(mode="after")
    def _ordered(self) -> ProgrammeInfo:
        if self.end < self.start:
            raise ValueError("the end date is before the start date")
        for phase in self.phases:
            if phase.start < self.start or phase.end > self.end:
                raise ValueError(f"phase {phase.name!r} lies outside the programme's dates")
        return self


class ProgrammeFile(Strict):
    programme: ProgrammeInfo
    targets: list[Target] = []
    reporting: Reporting = Field(default_factory=Reporting)
    budget: list[BudgetLine] = []
    rules: list[RuleVersion] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct_versions(self) -> ProgrammeFile:
        dates = [r.effective_from for r in self.rules]
        if len(set(dates)) != len(dates):
            raise ValueError("two rule versions take effect on the same date")
        kinds = [(t.kind, t.period, t.starts_on) for t in self.targets]
        if len(set(kinds)) != len(kinds):
            raise ValueError("a target is given twice for the same indicator and period")
        return self
