"""Eligibility and entitlements of a case under its programme's rules.

The facts are gathered here from the case; the rules are applied by the pure
engine (programmes/rules.py); each assessment is stored with a copy of the
rules it was made under, so a later rule version never changes it silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, replace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.cases.models import Assessment, Case, CaseMember
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.people.models import VulnerabilityType
from homeward.programmes import rules
from homeward.programmes.models import Programme, RuleVersion
from homeward.programmes.schema import RuleVersion as RuleVersionSchema
from homeward.programmes.services import convert


def case_facts(case: Case, on: dt.date) -> rules.CaseFacts:
    """What the rules look at, read from the case and its members on ``on``."""
    members = []
    for member in case.members.select_related("person").prefetch_related("person__vulnerabilities__type"):
        person = member.person
        dob = person.date_of_birth
        typed = {v.type.code for v in person.vulnerabilities.all()}
        members.append(
            rules.MemberFacts(
                name=person.full_name,
                age_range=dob.age_range(on) if dob else None,
                nationality=person.nationality.code or "",
                vulnerabilities=frozenset(typed | set(person.derived_vulnerability_codes(on))),
                previous_assistance_on=person.previous_assistance_on,
                precarious=member.precarious,
                is_principal=member.is_principal,
                earlier_returns=earlier_returns(person.pk, case),
            )
        )
    offices = Mission.objects.filter(kind__in=[Mission.Kind.ORIGIN, Mission.Kind.BOTH]).values_list(
        "country", flat=True
    )
    return rules.CaseFacts(
        decision_date=on,
        destination_country=case.destination_country.code,
        members=tuple(members),
        legal_status=case.legal_status,
        exclusions=frozenset(case.exclusions),
        authority_approval_on=case.authority_approval_on,
        place=case.place,
        origin_offices=frozenset(offices),
    )


def earlier_returns(person_id: int, case: Case) -> tuple[rules.EarlierReturn, ...]:
    """Assisted returns of this person before ``case``: other cases of the same record (certain),
    and cases of records matching says are probably this person (for a supervisor to decide).

    The evidence is kept with the assessment and read by whoever sees this case: it names a case
    of the same host mission, and of another mission only that mission.
    """
    from homeward.matching import selectors as matching

    def where(other: Case) -> str:
        if other.host_mission_id == case.host_mission_id:
            return _("case %(reference)s") % {"reference": other.reference}
        return _("a case of %(mission)s") % {"mission": other.host_mission.code}

    own = [m.case for m in CaseMember.objects.filter(person_id=person_id).exclude(case=case)
           .select_related("case__host_mission")]  # fmt: skip
    matches = {m.person_id: m for m in matching.find_for_person(person_id)}
    theirs = (
        CaseMember.objects.filter(person_id__in=list(matches)).exclude(case=case).select_related("case__host_mission")
    )
    returned = matching.returns_of([*(c.pk for c in own), *(m.case_id for m in theirs)])
    found = [rules.EarlierReturn(returned[c.pk], True, where(c)) for c in own if c.pk in returned]
    found += [
        rules.EarlierReturn(
            returned[m.case_id],
            False,
            _("a likely match (%(probability)s %%) returned with assistance in %(where)s")
            % {"probability": round(matches[m.person_id].probability * 100), "where": where(m.case)},
        )
        for m in theirs
        if m.case_id in returned
    ]
    return tuple(found)


def _version(programme: Programme, on: dt.date) -> RuleVersion:
    version = programme.version_on(on)
    if version is None:
        raise ServiceError(
            _("%(programme)s has no rules in force on %(date)s.")
            % {"programme": programme.code, "date": on.isoformat()}
        )
    return version


def _result(assessment: rules.Assessment) -> dict[str, object]:
    return {
        "outcomes": [asdict(o) for o in assessment.outcomes],
        "members": [{**asdict(m), "outcomes": [asdict(o) for o in m.outcomes]} for m in assessment.members],
    }


@service
def case_assess(*, acting_user: User, case: Case, programme: Programme | None = None) -> Assessment:
    """Assess the case under ``programme`` (or its current one) as of today.

    Rule: the host mission's caseworkers assess; the programme must be one the
    host mission implements; the rule version in force today applies.
    """
    if not permissions.can_change_case(acting_user, case):
        raise PermissionDenied(_("You may not change this case."))
    programme = programme or case.programme
    if programme is None:
        raise ServiceError(
            _("Choose the programme the case is assessed under."), {"programme": [_("This field is required.")]}
        )
    if not programme.missions.filter(pk=case.host_mission_id).exists():
        raise ServiceError(
            _("%(mission)s does not implement %(programme)s.")
            % {"mission": case.host_mission.code, "programme": programme.code},
            {"programme": [_("Choose a programme of the host mission.")]},
        )
    if case.programme_id != programme.pk:
        case.programme = programme
        case.save(update_fields=["programme", "updated_at"])
    return _assess(case, programme, acting_user)


def _assess(case: Case, programme: Programme, acting_user: User) -> Assessment:
    today = timezone.localdate()
    version = _version(programme, today)
    result = rules.assess(version.parsed, case_facts(case, today))
    assessment = Assessment(
        case=case,
        programme=programme,
        rule_version=version,
        rules=version.rules,
        decision_date=today,
        outcome=result.outcome,
        reintegration=result.reintegration,
        result=_result(result),
        assessed_by=acting_user,
    )
    with about_case(case.pk):
        assessment.save()
    return assessment


def reassess_if_assessed(case: Case, acting_user: User) -> None:
    """Re-run the assessment after a change to the facts, if the case has a programme.

    Never blocks the change itself: without rules in force today the last
    assessment simply stays.
    """
    if case.programme_id is None:
        return
    try:
        with transaction.atomic():
            _assess(case, case.programme, acting_user)
    except ServiceError:
        return


@service
def assessment_override(*, acting_user: User, assessment: Assessment, outcome: str, reason: str) -> Assessment:
    """A supervisor overrides an assessment. Rule: only a case supervisor of the host mission,
    with a written reason; the original outcome is kept beside the override."""
    case = assessment.case
    if not permissions.has_perm_in(acting_user, Perm.ASSIGN_CASE, case.host_mission_id):
        raise PermissionDenied(_("Only a case supervisor can override an assessment."))
    errors: dict[str, list[str]] = {}
    if outcome not in Assessment.Outcome.values:
        errors["outcome"] = [_("Choose an outcome from the list.")]
    if len(reason.strip()) < 10:
        errors["reason"] = [_("Write the reason for the override (at least 10 characters).")]
    if errors:
        raise ServiceError(_("The override was not saved."), errors)
    if assessment.pk != latest_assessment(case).pk:  # type: ignore[union-attr]
        raise ServiceError(_("Only the latest assessment can be overridden."))
    assessment.override_outcome = outcome
    assessment.override_reason = reason.strip()
    assessment.overridden_by = acting_user
    with about_case(case.pk):
        assessment.save(update_fields=["override_outcome", "override_reason", "overridden_by"])
    return assessment


def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.select_related("programme", "rule_version", "assessed_by", "overridden_by").first()


def entitlements_of(assessment: Assessment) -> rules.Entitlements:
    """The entitlements under the rules the assessment was made under, and its final outcome.

    A later correction of the rules reaches the case only through a new,
    recorded assessment (the pages say when the rules have changed since).
    """
    version = RuleVersionSchema.model_validate(assessment.rules)
    facts = case_facts(assessment.case, assessment.decision_date)
    result = rules.assess(version, facts)
    if assessment.override_outcome:
        result.outcome = assessment.override_outcome
    return rules.entitlements(version, facts, result)


def totals_in_programme_currency(assessment: Assessment, result: rules.Entitlements) -> list[dict[str, object]]:
    """Each total, and its value in the programme's currency with the rate and date used.

    A missing rate is said in words, not guessed: someone must enter it first.
    """
    target = assessment.programme.currency
    rows = []
    for (benefit, currency), amount in sorted(result.totals().items()):
        row: dict[str, object] = {"benefit": benefit, "currency": currency, "amount": amount}
        if currency != target:
            try:
                converted, rate = convert(amount, currency, target, assessment.decision_date)
            except ServiceError as error:
                row["conversion_error"] = error.message
            else:
                row.update(converted=converted, converted_currency=target, rate=rate)
        rows.append(row)
    return rows


def _visible_codes(user: User, case: Case) -> Callable[[frozenset[str]], bool]:
    levels = permissions.visible_sensitivities(user, case)
    types = dict(VulnerabilityType.objects.values_list("code", "sensitivity"))
    return lambda codes: all(types.get(code) in levels for code in codes)


def for_reader(user: User, case: Case, result: rules.Entitlements) -> tuple[list[rules.Line], list[str]]:
    """The lines and escorts a reader may see: a top-up for a fact the reader may not
    see is shown for the household, with no name; an escort, not at all."""
    visible = _visible_codes(user, case)
    lines = [
        line if visible(line.reasons) else replace(line, member="", rule=_("vulnerability top-up"), reasons=frozenset())
        for line in result.lines
    ]
    escorts = [name for name, codes in result.escorts.items() if visible(codes)]
    return lines, escorts
