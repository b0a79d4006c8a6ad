"""Every read of counselling, for a case already fetched for the user (``cases.selectors.case_for_user``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from homeward.cases.models import Case, CaseMember
from homeward.core import languages
from homeward.counselling.models import Declaration, Mode, Outcome, Session

# The stricter rule for counselling in detention (``workflow.voluntary_in_detention``).
DETENTION_MIN_SESSIONS = 2


def _members() -> Prefetch:
    return Prefetch("attendees", queryset=CaseMember.objects.select_related("person"))


def sessions_of(case: Case) -> QuerySet[Session]:
    """The case's sessions, oldest first, with who held, attended and signed off each."""
    return (
        Session.objects.filter(case=case)
        .select_related("counsellor", "signed_off_by")
        .prefetch_related(_members())
        .order_by("held_on", "pk")
    )


def session_of(case: Case, session_id: int) -> Session:
    try:
        return Session.objects.select_related("case", "counsellor", "signed_off_by").get(case=case, pk=session_id)
    except Session.DoesNotExist:
        raise Http404 from None


def declarations_of(case: Case) -> QuerySet[Declaration]:
    """The case's declarations, newest first: the newest is the one the workflow reads."""
    return (
        Declaration.objects.filter(case=case)
        .select_related("generated_by", "scan_uploaded_by")
        .prefetch_related(Prefetch("signatories", queryset=CaseMember.objects.select_related("person")))
        .order_by("-generated_at", "-pk")
    )


def latest_declaration(case: Case) -> Declaration | None:
    """The declaration that counts: the newest prepared (the workflow, referrals and uploads read it)."""
    return Declaration.objects.filter(case=case).order_by("-generated_at", "-pk").first()


def shares_with_origin(case: Case) -> bool | None:
    """The migrant's word on sharing with the origin mission: on the signed declaration, else unknown (None)."""
    declaration = latest_declaration(case)
    return declaration.consent_sharing if declaration is not None and declaration.is_signed else None


def declaration_of(case: Case, declaration_id: int) -> Declaration:
    try:
        return declarations_of(case).select_related("case").get(pk=declaration_id)
    except Declaration.DoesNotExist:
        raise Http404 from None


def language_name(code: str) -> str:
    """The language's name in the current language, without ISO 639's dating ("Modern Greek (1453-)")."""
    return re.sub(r"\s*\([^)]*\d[^)]*\)$", "", languages.name(code))


def decision_session(sessions: list[Session]) -> Session | None:
    """The session whose outcome stands (the latest that is not "continue"), if it records an
    informed decision to return: the same reading as ``workflow.informed_decision``."""
    decided = [s for s in sessions if s.outcome != Outcome.CONTINUE]
    if not decided:
        return None
    last = max(decided, key=lambda s: (s.held_on, s.pk))
    return last if last.outcome == Outcome.WANTS_TO_RETURN and last.informed_decision else None


@dataclass(frozen=True)
class CounsellingState:
    """What the counselling page and the case page's panel say about a case."""

    sessions: list[Session]
    decision: Session | None
    in_detention: bool
    declarations: list[Declaration]

    @property
    def count(self) -> int:
        return len(self.sessions)

    @property
    def latest_declaration(self) -> Declaration | None:
        return self.declarations[0] if self.declarations else None

    @property
    def needs_more_sessions(self) -> bool:
        return self.in_detention and self.count < DETENTION_MIN_SESSIONS

    @property
    def needs_sign_off(self) -> bool:
        return self.in_detention and self.decision is not None and self.decision.signed_off_by_id is None

    @property
    def min_sessions(self) -> int:
        return DETENTION_MIN_SESSIONS


def counselling_state(case: Case) -> CounsellingState:
    sessions = list(sessions_of(case))
    return CounsellingState(
        sessions=sessions,
        decision=decision_session(sessions),
        in_detention=any(s.mode == Mode.DETENTION for s in sessions),
        declarations=list(declarations_of(case)),
    )


def unsigned_adults(declaration: Declaration, adults: list[CaseMember]) -> list[CaseMember]:
    """The adult members who are not among the declaration's signatories."""
    signed = {m.pk for m in declaration.signatories.all()}
    return [m for m in adults if m.pk not in signed]
