"""Pure programme rules: eligibility and entitlements from a rule version and the facts of a case.

No database here: the facts are gathered by the services, the rule version
comes from a programme file (``schema.RuleVersion``). Every outcome carries
the rule that produced it, in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from homeward.programmes.schema import Amount, PerPerson, PreviousAssistanceRule, RuleVersion

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_REVIEW = "needs_review"
_RANK = {ELIGIBLE: 0, NEEDS_REVIEW: 1, NOT_ELIGIBLE: 2}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class EarlierReturn:
    """An assisted return found for a member: on the same record (certain), or on a record that
    matching says is probably the same person (not certain: a supervisor decides)."""

    on: dt.date
    certain: bool
    evidence: str


@dataclass(frozen=True)
class MemberFacts:
    name: str
    age_range: tuple[int, int] | None  # youngest and oldest possible age on the decision date
    nationality: str
    vulnerabilities: frozenset[str]  # typed and derived codes
    previous_assistance_on: dt.date | None = None
    precarious: bool = False
    is_principal: bool = False
    earlier_returns: tuple[EarlierReturn, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    decision_date: dt.date
    destination_country: str
    members: tuple[MemberFacts, ...]
    legal_status: str = ""
    exclusions: frozenset[str] = frozenset()
    authority_approval_on: dt.date | None = None
    place: str = ""
    # Countries where the organisation has an office that can deliver reintegration.
    origin_offices: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleOutcome:
    rule: str
    outcome: str
    explanation: str


@dataclass
class MemberAssessment:
    name: str
    outcome: str
    reintegration: bool
    outcomes: list[RuleOutcome] = field(default_factory=list)


@dataclass
class Assessment:
    outcome: str
    reintegration: bool
    outcomes: list[RuleOutcome]
    members: list[MemberAssessment]


def _worst(outcomes: list[str]) -> str:
    return max(outcomes, key=_RANK.__getitem__, default=ELIGIBLE)


def _years_ago(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def assess(version: RuleVersion, facts: CaseFacts) -> Assessment:
    """Eligibility of the case and of each member, with each rule's outcome in words."""
    rules = version.eligibility
    case: list[RuleOutcome] = []
    reintegration = True

    if rules.legal_status is not None:
        label = rules.legal_status.label or _("accepted legal-status categories")
        if facts.legal_status in rules.legal_status.accepted:
            case.append(RuleOutcome("legal_status", ELIGIBLE, _("%(label)s met.") % {"label": label}))
        elif not facts.legal_status:
            case.append(
                RuleOutcome(
                    "legal_status",
                    NEEDS_REVIEW,
                    _("Legal status not recorded: %(label)s to be checked.") % {"label": label},
                )
            )
        else:
            case.append(
                RuleOutcome("legal_status", NOT_ELIGIBLE, _("Not eligible: %(label)s not met.") % {"label": label})
            )

    if facts.destination_country in rules.excluded_destinations:
        case.append(RuleOutcome("excluded_destinations", NOT_ELIGIBLE,
                                _("Not eligible: the programme does not return to %(country)s at this stage.") % {"country": facts.destination_country}))  # fmt: skip

    case.extend(
        RuleOutcome(
            "exclusions", NOT_ELIGIBLE, _("Not eligible: excluded by the programme (%(reason)s).") % {"reason": code}
        )
        for code in sorted(facts.exclusions & set(rules.exclusions))
    )

    if rules.authority_approval is not None and rules.authority_approval.required:
        authority = rules.authority_approval.authority
        if facts.authority_approval_on is None:
            case.append(RuleOutcome("authority_approval", NEEDS_REVIEW,
                                    _("Approval by %(authority)s is required before travel and not yet recorded.") % {"authority": authority}))  # fmt: skip
        else:
            case.append(
                RuleOutcome("authority_approval", ELIGIBLE, _("Approved by %(authority)s.") % {"authority": authority})
            )

    if rules.reintegration_requires_origin_office:
        if facts.destination_country in facts.origin_offices:
            case.append(
                RuleOutcome(
                    "origin_office",
                    ELIGIBLE,
                    _("Reintegration possible: there is an office in %(country)s.")
                    % {"country": facts.destination_country},
                )
            )
        else:
            reintegration = False
            # Not a refusal of return, only of reintegration assistance.
            case.append(RuleOutcome("origin_office", ELIGIBLE,
                                    _("No reintegration assistance: no office in %(country)s.") % {"country": facts.destination_country}))  # fmt: skip

    members = [_assess_member(version, facts, m) for m in facts.members]
    if rules.vulnerabilities is not None and rules.vulnerabilities.mode == "required":
        # A household qualifies through any vulnerable member.
        if any(set(rules.vulnerabilities.any_of) & m.vulnerabilities for m in facts.members):
            case.append(
                RuleOutcome("vulnerabilities", ELIGIBLE, _("A member has a vulnerability the programme targets."))
            )
        else:
            case.append(
                RuleOutcome(
                    "vulnerabilities",
                    NOT_ELIGIBLE,
                    _("Not eligible: no member has a vulnerability the programme targets."),
                )
            )
    elif rules.vulnerabilities is not None and not any(
        set(rules.vulnerabilities.any_of) & m.vulnerabilities for m in facts.members
    ):
        case.append(
            RuleOutcome("vulnerabilities", NEEDS_REVIEW, _("No member has a priority vulnerability: to be reviewed."))
        )

    outcome = _worst([o.outcome for o in case] + [m.outcome for m in members if m.outcome != NOT_ELIGIBLE])
    if all(m.outcome == NOT_ELIGIBLE for m in members):
        outcome = NOT_ELIGIBLE
    reintegration = reintegration and outcome != NOT_ELIGIBLE and any(m.reintegration for m in members)
    return Assessment(outcome, reintegration, case, members)


def _assess_member(version: RuleVersion, facts: CaseFacts, member: MemberFacts) -> MemberAssessment:
    rules = version.eligibility
    out: list[RuleOutcome] = []
    reintegration = True
    if rules.nationalities is not None:
        nat = rules.nationalities
        if member.nationality and member.nationality in nat.excluded:
            out.append(
                RuleOutcome(
                    "nationalities",
                    NOT_ELIGIBLE,
                    _("Not eligible: nationality %(code)s is excluded.") % {"code": member.nationality},
                )
            )
        elif nat.allowed and member.nationality not in nat.allowed:
            outcome = NEEDS_REVIEW if not member.nationality else NOT_ELIGIBLE
            out.append(
                RuleOutcome(
                    "nationalities",
                    outcome,
                    _("Nationality %(code)s is not among those the programme serves.")
                    % {"code": member.nationality or "?"},
                )
            )
    if rules.age is not None and member.age_range is None:
        out.append(RuleOutcome("age", NEEDS_REVIEW, _("Date of birth not recorded: the age limits cannot be checked.")))
    if rules.age is not None and member.age_range is not None:
        youngest, oldest = member.age_range
        if (rules.age.min is not None and oldest < rules.age.min) or (
            rules.age.max is not None and youngest > rules.age.max
        ):
            out.append(RuleOutcome("age", NOT_ELIGIBLE, _("Not eligible: outside the programme's age limits.")))
        elif (rules.age.min is not None and youngest < rules.age.min) or (
            rules.age.max is not None and oldest > rules.age.max
        ):
            out.append(
                RuleOutcome("age", NEEDS_REVIEW, _("The date of birth is too imprecise to check the age limits."))
            )
    previous = rules.previous_assistance
    if previous is not None:
        reintegration = _previous_assistance(previous, facts.decision_date, member, out) and reintegration
    outcome = _worst([o.outcome for o in out])
    return MemberAssessment(member.name, outcome, reintegration and outcome != NOT_ELIGIBLE, out)


def _previous_assistance(
    previous: PreviousAssistanceRule, decision_date: dt.date, member: MemberFacts, out: list[RuleOutcome]
) -> bool:
    """The "not previously assisted" rule; False when it takes away reintegration.

    Certain returns (typed on the record, or a departure of another case of the same record) apply
    the rule; a return of a record that is only probably this person marks the member for review.
    """
    returns = list(member.earlier_returns)
    if member.previous_assistance_on is not None:
        returns.append(EarlierReturn(member.previous_assistance_on, True, ""))
    since = None if previous.within_years is None else _years_ago(decision_date, previous.within_years)
    recent = [r for r in returns if since is None or r.on >= since]
    certain = [r for r in recent if r.certain]
    if certain:
        latest = max(certain, key=lambda r: r.on)
        assisted = latest.on.isoformat() + (f" — {latest.evidence}" if latest.evidence else "")
        if previous.within_years is None:
            when = _("already assisted to return once (%(date)s)") % {"date": assisted}
        else:
            when = _("assisted to return within the last %(years)s years (%(date)s)") % {
                "years": previous.within_years,
                "date": assisted,
            }
        if previous.excludes == "all":
            out.append(RuleOutcome("previous_assistance", NOT_ELIGIBLE, _("Not eligible: %(when)s.") % {"when": when}))
            return True
        out.append(
            RuleOutcome("previous_assistance", ELIGIBLE, _("No reintegration assistance: %(when)s.") % {"when": when})
        )
        return False
    doubtful = [r for r in recent if not r.certain]
    if doubtful:
        evidence = "; ".join(f"{r.evidence} ({r.on.isoformat()})" for r in doubtful)
        out.append(
            RuleOutcome(
                "previous_assistance",
                NEEDS_REVIEW,
                _("Possibly assisted to return before: %(evidence)s. A supervisor decides: merge the records if they "
                  "are one person, or mark them as different people.") % {"evidence": evidence},
            )
        )  # fmt: skip
    return True


# --- Entitlements ------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    benefit: str  # pre_departure_cash, per_diem, arrival_grant or reintegration
    rule: str
    amount: Decimal
    currency: str
    member: str = ""  # empty for a line of the whole household
    confirmed: bool = True
    # The vulnerabilities a line depends on (top-ups): readers who may not see them see no name.
    reasons: frozenset[str] = frozenset()


@dataclass
class Entitlements:
    lines: list[Line]
    notes: list[str]
    outcome: str = ELIGIBLE
    # Who needs an escort, and for which vulnerabilities: shown only to readers who may see them.
    escorts: dict[str, frozenset[str]] = field(default_factory=dict)

    def totals(self) -> dict[tuple[str, str], Decimal]:
        """Sum per (benefit, currency)."""
        sums: dict[tuple[str, str], Decimal] = {}
        for line in self.lines:
            key = (line.benefit, line.currency)
            sums[key] = sums.get(key, Decimal(0)) + line.amount
        return sums

    @property
    def payable(self) -> bool:
        """Paid only to an eligible case, and never against an amount nobody has confirmed."""
        return self.outcome == ELIGIBLE and bool(self.lines) and all(line.confirmed for line in self.lines)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _band(rate: PerPerson, member: MemberFacts) -> tuple[Amount, str]:
    # A person is paid as a minor only if certainly under the age limit.
    if member.age_range is not None and member.age_range[1] < rate.minor_below:
        return rate.minor, _("minor (under %(age)s)") % {"age": rate.minor_below}
    return rate.adult, _("adult")


def entitlements(version: RuleVersion, facts: CaseFacts, assessment: Assessment) -> Entitlements:
    """Every amount the case is entitled to, the rule that produced it and its currency."""
    benefits = version.benefits
    lines: list[Line] = []
    notes: list[str] = []
    escorts: dict[str, frozenset[str]] = {}
    eligible = [(m, a) for m, a in zip(facts.members, assessment.members, strict=True) if a.outcome != NOT_ELIGIBLE]
    if assessment.outcome == NOT_ELIGIBLE:
        return Entitlements([], [_("Not eligible: no entitlement.")], NOT_ELIGIBLE)

    cash = benefits.pre_departure_cash
    if cash is not None:
        rate = cash.by_place.get(facts.place, cash.per_person)
        where = _(" (%(place)s)") % {"place": facts.place} if facts.place in cash.by_place else ""
        person_lines = []
        for member, _a in eligible:
            amount, band = _band(rate, member)
            person_lines.append(Line("pre_departure_cash", _("per person, %(band)s%(where)s") % {"band": band, "where": where},
                                     _money(amount.value), cash.currency, member.name, amount.confirmed))  # fmt: skip
        lines += person_lines
        if cash.large_family_bonus is not None and len(eligible) >= cash.large_family_bonus.from_members:
            bonus = cash.large_family_bonus.amount
            lines.append(Line("pre_departure_cash", _("large-family bonus (%(n)s members or more)") % {"n": cash.large_family_bonus.from_members},
                              _money(bonus.value), cash.currency, "", bonus.confirmed))  # fmt: skip
        if cash.family_cap is not None:
            total = sum((line.amount for line in lines if line.benefit == "pre_departure_cash"), Decimal(0))
            if total > cash.family_cap.value:
                lines.append(Line("pre_departure_cash", _("family cap of %(cap)s") % {"cap": _money(cash.family_cap.value)},
                                  _money(cash.family_cap.value - total), cash.currency, "", cash.family_cap.confirmed))  # fmt: skip

    per_diem = benefits.per_diem
    if per_diem is not None:
        for member, _a in eligible:
            if per_diem.only_precarious and not member.precarious:
                continue
            lines.append(Line("per_diem", _("%(days)s days at %(rate)s a day, precarious financial situation") % {"days": per_diem.max_days, "rate": _money(per_diem.per_day.value)},
                              _money(per_diem.per_day.value * per_diem.max_days), per_diem.currency, member.name, per_diem.per_day.confirmed))  # fmt: skip

    arrival = benefits.arrival_grant
    if arrival is not None:
        for member, _a in eligible:
            amount, band = _band(arrival.per_person, member)
            lines.append(Line("arrival_grant", _("on arrival, per person, %(band)s") % {"band": band},
                              _money(amount.value), arrival.currency, member.name, amount.confirmed))  # fmt: skip

    if benefits.travel is not None:
        needs = set(benefits.travel.escort_for)
        escorts = {m.name: frozenset(m.vulnerabilities & needs) for m, _a in eligible if m.vulnerabilities & needs}
        notes.append(
            _("Travel: ticket from %(origin)s to %(destination)s.")
            % {"origin": benefits.travel.ticket_from, "destination": facts.destination_country}
        )

    reint = benefits.reintegration
    receiving = [(m, a) for m, a in eligible if a.reintegration]
    if reint is not None and assessment.reintegration and receiving:
        if reint.per_member is not None:
            for member, _a in receiving:
                lines.append(
                    Line(
                        "reintegration",
                        _("ceiling per member"),
                        _money(reint.per_member.value),
                        reint.currency,
                        member.name,
                        reint.per_member.confirmed,
                    )
                )
            if reint.family_cap is not None:
                total = _money(reint.per_member.value) * len(receiving)
                if total > reint.family_cap.value:
                    lines.append(Line("reintegration", _("family cap of %(cap)s") % {"cap": _money(reint.family_cap.value)},
                                      _money(reint.family_cap.value - total), reint.currency, "", reint.family_cap.confirmed))  # fmt: skip
        else:
            # The schema requires per_individual and per_family together.
            ceiling = (reint.per_family if len(receiving) > 1 else reint.per_individual) or Amount(value=Decimal(0))
            label = _("ceiling per family") if len(receiving) > 1 else _("ceiling per individual")
            lines.append(Line("reintegration", label, _money(ceiling.value), reint.currency, "", ceiling.confirmed))
        top = reint.vulnerability_top_up
        if top is not None:
            for member, _a in receiving:
                # Top-ups come on top of the ceilings and any family cap (the issue: "plus top-ups").
                if reasons := member.vulnerabilities & set(top.for_vulnerabilities):
                    lines.append(Line("reintegration", _("vulnerability top-up (%(components)s)") % {"components": ", ".join(top.components) or _("priority needs")},
                                      _money(top.amount.value), reint.currency, member.name, top.amount.confirmed, frozenset(reasons)))  # fmt: skip
        payment = {"in_kind": _("in kind only, paid to service providers"), "cash": _("in cash"),
                   "mixed": _("in kind, up to %(share)s%% in cash") % {"share": int((reint.cash_share_max or 0) * 100)}}[reint.payment]  # fmt: skip
        notes.append(_("Reintegration assistance is paid %(how)s.") % {"how": payment})
        if reint.use_within_months:
            notes.append(_("It must be used within %(months)s months of return.") % {"months": reint.use_within_months})
    if not lines and not notes:
        notes.append(_("The programme's rules give no entitlement to this case."))
    return Entitlements(lines, notes, assessment.outcome, escorts)
