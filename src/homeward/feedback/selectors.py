"""Every read of feedback, scoped to the user; and the one lookup the public form makes (a live link by token or code)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.feedback.models import Feedback, FeedbackLink

RELATED = ("case__host_mission", "case__referred_to_mission", "logged_by", "answered_by")


def may_handle(user: Any, case: Case) -> bool:
    """Who reads, logs and answers a case's feedback: whoever changes the case or receives the returnee."""
    return permissions.can_view_case(user, case) and (
        permissions.has_case_perm(user, Perm.CHANGE_CASE, case)
        or permissions.has_case_perm(user, Perm.RECEIVE_RETURNEE, case)
    )


def may_manage_link(user: Any, case: Case) -> bool:
    """Revoking or regenerating the link is for the case's supervisors (host or origin mission)."""
    return permissions.has_case_perm(user, Perm.SUPERVISE, case)


def feedback_of(user: Any, case: Case) -> QuerySet[Feedback]:
    """The case's feedback, newest first; none for a user who does not handle it."""
    if not may_handle(user, case):
        return Feedback.objects.none()
    return Feedback.objects.filter(case=case).select_related(*RELATED)


def feedback_for_user(user: Any, feedback_id: int) -> Feedback:
    """One piece of feedback on a case the user may see, or 404 (the services check who may handle it)."""
    feedback = (
        Feedback.objects.filter(permissions.case_scope(user, prefix="case__"))
        .select_related(*RELATED)
        .filter(pk=feedback_id)
        .first()
    )
    if feedback is None:
        raise Http404
    return feedback


@dataclass(frozen=True)
class Counts:
    new: int
    open_complaints: int
    total: int


def counts_of(user: Any, case: Case) -> Counts | None:
    """The case card's figures, or None for a user who does not handle the case's feedback."""
    if not may_handle(user, case):
        return None
    rows = list(Feedback.objects.filter(case=case).values_list("status", "is_complaint"))
    return Counts(
        new=sum(1 for status, _c in rows if status == Feedback.Status.NEW),
        open_complaints=sum(1 for status, c in rows if c and status != Feedback.Status.ANSWERED),
        total=len(rows),
    )


def live_link(case: Case) -> FeedbackLink | None:
    return FeedbackLink.objects.filter(case=case, revoked_at__isnull=True).first()


def link_by(*, token: str = "", code: str = "") -> FeedbackLink | None:
    """The live link with this token or code, or None: the public form's only read."""
    if not token and not code:
        return None
    match = Q(token=token) if token else Q(code=code)
    return (
        FeedbackLink.objects.filter(match, revoked_at__isnull=True)
        .select_related("case__host_mission", "case__referred_to_mission", "case__counsellor")
        .first()
    )


# ---------------------------------------------------------------- what is printed for the returnee


def returnee_language(case: Case) -> str:
    """The principal applicant's first language if the site speaks it, else English (as the travel letter does)."""
    principal = case_selectors.principal_of(case)
    first = (principal.languages[0] if principal and principal.languages else "").lower()
    return first if first in {code for code, _name in settings.LANGUAGES} else "en"


def public_path(link: FeedbackLink, language: str) -> str:
    """The link's path, carrying the page's language so the page never has to look the case up."""
    return f"{reverse('feedback:public', args=[link.token])}?lang={language}"


def public_base(request: Any = None) -> str:
    """Where the public site is: HOMEWARD_PUBLIC_URL if set, else the request's host, else nothing (relative)."""
    configured = getattr(settings, "HOMEWARD_PUBLIC_URL", "") or ""
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def public_url(link: FeedbackLink, case: Case, base: str = "") -> str:
    return f"{base.rstrip('/')}{public_path(link, returnee_language(case))}"


def code_url(base: str = "") -> str:
    """The page where the short code is typed."""
    return f"{base.rstrip('/')}{reverse('feedback:public_code')}"


def qr_data_uri(url: str) -> str:
    """The URL as a QR code, an SVG data URI (an ``<img>`` both browsers and WeasyPrint show)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)
