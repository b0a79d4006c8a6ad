"""Every read of privacy: a case's consent register, what it allows, the persons a user may export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases.models import Case, CaseMember
from homeward.people.models import Person
from homeward.privacy.models import Consent, Purpose


def consents_of(case: Case) -> QuerySet[Consent]:
    """The case's consent register, standing and withdrawn, member by member."""
    return Consent.objects.filter(case=case).select_related(
        "member__person", "recorded_by", "withdrawn_by", "declaration"
    )


@dataclass(frozen=True)
class MemberConsents:
    member: CaseMember
    consents: list[Consent]

    def standing(self, purpose: str) -> Consent | None:
        return next((c for c in self.consents if c.purpose == purpose and c.standing), None)

    def latest(self, purpose: str) -> Consent | None:
        return next((c for c in self.consents if c.purpose == purpose), None)


def register_of(case: Case) -> list[MemberConsents]:
    """Each member of the case with their consents, newest first within a purpose."""
    members = case.members.select_related("person").prefetch_related(
        Prefetch("consents", queryset=Consent.objects.select_related("recorded_by", "withdrawn_by"))
    )
    return [MemberConsents(m, list(m.consents.all())) for m in members]


def withdrawn_members(case: Case, purpose: str) -> list[CaseMember]:
    """Members whose last word on ``purpose`` is a withdrawal (a standing consent given since cancels it)."""
    return [
        entry.member
        for entry in register_of(case)
        if (latest := entry.latest(purpose)) is not None and not latest.standing
    ]


def shares_with_origin(case: Case) -> bool | None:
    """Whether the case may be shared with the origin mission: the consent register decides.

    A member's withdrawal blocks sharing for the whole case (the package describes the whole
    household). A case with no sharing record yet (one prepared before the register, or
    recorded on paper only) falls back on the signed declaration's tick; unknown is None.
    """
    from homeward.counselling.models import Declaration

    records = Consent.objects.filter(case=case, purpose=Purpose.SHARING_ORIGIN)
    if records.exists():
        return not withdrawn_members(case, Purpose.SHARING_ORIGIN)
    declaration = Declaration.objects.filter(case=case).order_by("-generated_at", "-pk").first()
    return declaration.consent_sharing if declaration is not None and declaration.is_signed else None


def may_manage_consents(user: Any, case: Case) -> bool:
    """Counsellors and supervisors of the host mission record and withdraw consents."""
    return permissions.has_perm_in(user, Perm.COUNSEL, case.host_mission_id)


def member_of(case: Case, member_id: int) -> CaseMember:
    try:
        return case.members.select_related("person").get(pk=member_id)
    except CaseMember.DoesNotExist:
        raise Http404 from None


def consent_of(case: Case, consent_id: int) -> Consent:
    try:
        return consents_of(case).get(pk=consent_id)
    except Consent.DoesNotExist:
        raise Http404 from None


def cases_of_person_for(user: Any, person: Person) -> QuerySet[Case]:
    """The person's cases ``user`` may see (the export covers these, and only these)."""
    return (
        Case.objects.filter(permissions.case_scope(user), members__person=person)
        .select_related("host_mission", "referred_to_mission", "programme")
        .distinct()
        .order_by("created_at", "pk")
    )


def person_for_user(user: Any, person_id: int) -> Person:
    """A person in at least one case ``user`` may see; any other is 404 (even its existence is private)."""
    person = Person.objects.filter(pk=person_id, merged_into__isnull=True).first()
    if person is None or not cases_of_person_for(user, person).exists():
        raise Http404
    return person
