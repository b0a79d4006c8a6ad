"""Every write of feedback: the case's link and code, feedback from the public form and by phone, reading and answering.

The public form is the one write without a signed-in user: it stores feedback
only for a live link and says nothing either way, and it is rate-limited per
address (``attempt_allowed``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.cases.workflow import BEFORE_DEPARTURE
from homeward.core import throttle
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.feedback import selectors
from homeward.feedback.models import CODE_ALPHABET, CODE_LENGTH, TEXT_MAX, Feedback, FeedbackLink
from homeward.work import services as work
from homeward.work.models import Task, TaskKind

log = logging.getLogger("homeward.feedback")
S = Feedback.Status
READ_WITHIN = dt.timedelta(days=5)
REVIEW_WITHIN = dt.timedelta(days=3)
READ_KEY = "feedback"
THROTTLE_FORM = "feedback"


def per_hour() -> int:
    return int(getattr(settings, "HOMEWARD_FEEDBACK_PER_HOUR", 5))


# ---------------------------------------------------------------- the link and code


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def _create_link(case: Case, by: Any) -> FeedbackLink:
    # A clash of codes (1 in 2^40 per pair) or a second letter printed at the same
    # moment: the savepoint lets us read the other one's link or draw again.
    for _attempt in range(5):
        try:
            with transaction.atomic(), about_case(case.pk):
                return FeedbackLink.objects.create(
                    case=case, token=secrets.token_urlsafe(24), code=new_code(), created_by=by
                )
        except IntegrityError:
            live = selectors.live_link(case)
            if live is not None:
                return live
    raise RuntimeError("could not draw a unique feedback code")


def feedback_link_for(case: Case, *, acting_user: Any = None) -> FeedbackLink:
    """The case's live feedback link, made on first need (printing the letter, opening the link card).

    Rule: a case has at most one live link; it lasts until a supervisor revokes or regenerates it.
    """
    live = selectors.live_link(case)
    return live if live is not None else _create_link(case, acting_user)


def _may_manage_link(user: Any, case: Case) -> None:
    if not selectors.may_manage_link(user, case):
        raise PermissionDenied(_("Only a supervisor of the case may revoke or regenerate its feedback link."))


@service
def feedback_link_revoke(*, acting_user: Any, case: Case) -> FeedbackLink | None:
    """Stop the case's link and code working (lost letter, misuse); a new one is made on next need.

    Rule: a case supervisor of the host or origin mission.
    """
    _may_manage_link(acting_user, case)
    live = FeedbackLink.objects.select_for_update().filter(case=case, revoked_at__isnull=True).first()
    if live is None:
        return None
    live.revoked_at = timezone.now()
    live.revoked_by = acting_user
    with about_case(case.pk):
        live.save(update_fields=["revoked_at", "revoked_by"])
    return live


@service
def feedback_link_regenerate(*, acting_user: Any, case: Case) -> FeedbackLink:
    """Revoke the case's link and code and issue new ones (the letter must then be printed again).

    Rule: a case supervisor of the host or origin mission.
    """
    feedback_link_revoke(acting_user=acting_user, case=case)
    return _create_link(case, acting_user)


# ---------------------------------------------------------------- the public form


def ip_hash(ip: str) -> str:
    """A keyed hash of the client address: enough to count, never the address (``core.throttle``)."""
    return throttle.ip_hash(ip)


def attempt_allowed(*, ip: str) -> bool:
    """Count one submission from ``ip``; False once it has sent more than HOMEWARD_FEEDBACK_PER_HOUR this hour.

    Rule: every submission counts, whatever its code, so a flood of guesses is
    stopped like a flood of feedback, and a refusal does not tell a live code from a dead one.
    """
    return throttle.attempt_allowed(form=THROTTLE_FORM, ip=ip, per_hour=per_hour(), log=log)


@dataclass(frozen=True)
class FeedbackInput:
    text: str = ""
    rating: int | None = None
    is_complaint: bool = False
    contact_ok: bool = False
    contact: str = ""
    language: str = ""


def normalise_code(raw: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def _check(data: FeedbackInput) -> FeedbackInput:
    errors: dict[str, list[str]] = {}
    text = (data.text or "").strip()
    if len(text) > TEXT_MAX:
        errors["text"] = [_("Write at most %(max)s characters.") % {"max": TEXT_MAX}]
    if data.rating is not None and not 1 <= data.rating <= 5:
        errors["rating"] = [_("Choose a rating from 1 to 5.")]
    if not text and data.rating is None:
        errors["text"] = [_("Write your feedback or choose a rating.")]
    contact = (data.contact or "").strip()
    if len(contact) > 200:
        errors["contact"] = [_("Write at most %(max)s characters.") % {"max": 200}]
    if errors:
        raise ServiceError(_("Nothing was saved: check the fields marked."), errors)
    return FeedbackInput(
        text=text,
        rating=data.rating,
        is_complaint=bool(data.is_complaint),
        contact_ok=bool(data.contact_ok),
        contact=contact if data.contact_ok else "",
        language=(data.language or "")[:12],
    )


def feedback_receive(*, token: str = "", code: str = "", data: FeedbackInput) -> None:
    """Store feedback sent through the public form, if the token or code is a live link; return nothing.

    Rules: the form writes only feedback to that case and reads nothing back; an
    unknown or revoked token or code stores nothing and answers exactly like a live
    one. New feedback opens the owner's task; a complaint the supervisors' (``_opened``).
    """
    data = _check(data)
    with transaction.atomic():
        link = selectors.link_by(token=token, code=normalise_code(code))
        if link is None:
            return
        case = link.case
        with about_case(case.pk):
            feedback = Feedback.objects.create(
                case=case, link=link, channel=Feedback.Channel.WEB, language=data.language, rating=data.rating,
                text=data.text, is_complaint=data.is_complaint, contact_ok=data.contact_ok, contact=data.contact,
            )  # fmt: skip
        _opened(feedback)


# ---------------------------------------------------------------- staff


def _may_handle(user: Any, case: Case) -> None:
    if not selectors.may_handle(user, case):
        raise PermissionDenied(_("Your role may not handle this case's feedback."))


@service
def feedback_log_phone(
    *, acting_user: Any, case: Case, data: FeedbackInput, received_at: dt.datetime | None = None
) -> Feedback:
    """Record feedback a returnee gave by phone, the same way as the online form.

    Rules: whoever works the case (changes it in its missions, or receives the
    returnee); not in the future; it opens the same tasks as online feedback.
    """
    _may_handle(acting_user, case)
    data = _check(data)
    when = received_at or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now() + dt.timedelta(minutes=5):
        message = _("The call cannot be in the future.")
        raise ServiceError(message, {"received_at": [message]})
    with about_case(case.pk):
        feedback = Feedback.objects.create(
            case=case, channel=Feedback.Channel.PHONE, language=data.language, rating=data.rating, text=data.text,
            is_complaint=data.is_complaint, contact_ok=data.contact_ok, contact=data.contact, received_at=when,
            logged_by=acting_user,
        )  # fmt: skip
    _opened(feedback)
    return feedback


def _lock(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update(of=("self",)).select_related("case").get(pk=feedback.pk)


def _save(feedback: Feedback, fields: list[str]) -> Feedback:
    with about_case(feedback.case_id):
        feedback.save(update_fields=fields)
    return feedback


@service
def feedback_mark_read(*, acting_user: Any, feedback: Feedback) -> Feedback:
    """Mark new feedback read; when none of the case's feedback is new any more, the owner's task is done.

    Rule: whoever handles the case's feedback; reading answered feedback changes nothing.
    """
    feedback = _lock(feedback)
    _may_handle(acting_user, feedback.case)
    if feedback.status == S.NEW:
        feedback.status = S.READ
        _save(feedback, ["status"])
    _settle(feedback.case, acting_user)
    return feedback


@service
def feedback_answer(*, acting_user: Any, feedback: Feedback, note: str) -> Feedback:
    """Record how the feedback was answered (called back, explained, acted on).

    Rule: whoever handles the case's feedback, saying what was done; answering a
    complaint closes the supervisors' review once every complaint of the case is answered.
    """
    feedback = _lock(feedback)
    _may_handle(acting_user, feedback.case)
    note = (note or "").strip()
    if not note:
        message = _("Say how it was answered.")
        raise ServiceError(message, {"note": [message]})
    if feedback.status == S.ANSWERED:
        raise ServiceError(_("This feedback has been answered already."))
    feedback.status = S.ANSWERED
    feedback.answered_by = acting_user
    feedback.answered_at = timezone.now()
    feedback.answer_note = note
    _save(feedback, ["status", "answered_by", "answered_at", "answer_note"])
    _settle(feedback.case, acting_user)
    return feedback


@service
def feedback_mark_complaint(*, acting_user: Any, feedback: Feedback) -> Feedback:
    """Flag feedback as a complaint the returnee did not tick as one: the supervisors review it.

    Rule: whoever handles the case's feedback; answered feedback is not re-opened.
    """
    feedback = _lock(feedback)
    _may_handle(acting_user, feedback.case)
    if feedback.is_complaint:
        return feedback
    if feedback.status == S.ANSWERED:
        raise ServiceError(_("This feedback has been answered already: it is not reviewed as a complaint now."))
    feedback.is_complaint = True
    _save(feedback, ["is_complaint"])
    _complaint_tasks(feedback.case)
    return feedback


# ---------------------------------------------------------------- tasks


def _owner(case: Case) -> tuple[Any, str, Any]:
    """Who reads a case's feedback: its counsellor before departure, the origin mission's reintegration officers after.

    Like the workflow's origin-side work (``cases.journey._who``), the host counsellor
    stands in while the case has not been referred.
    """
    if case.referred_to_mission_id and case.status not in BEFORE_DEPARTURE:
        return case.referred_to_mission, Role.REINTEGRATION_OFFICER, None
    return case.host_mission, Role.COUNSELLOR, case.counsellor


def _opened(feedback: Feedback) -> None:
    case = feedback.case
    mission, role, assignee = _owner(case)
    work.task_open(
        case=case, kind=TaskKind.READ_FEEDBACK, due_at=timezone.now() + READ_WITHIN, mission=mission, role=role,
        assignee=assignee, subject_key=READ_KEY,
    )  # fmt: skip
    if feedback.is_complaint:
        _complaint_tasks(case)


def _complaint_tasks(case: Case) -> None:
    """A review for the supervisors of the host mission, and of the origin mission once the case is referred."""
    for mission in (case.host_mission, case.referred_to_mission):
        if mission is None:
            continue
        work.task_open(
            case=case, kind=TaskKind.REVIEW_COMPLAINT, due_at=timezone.now() + REVIEW_WITHIN, mission=mission,
            role=Role.CASE_SUPERVISOR, subject_key=f"complaint:{mission.pk}",
        )  # fmt: skip


def _settle(case: Case, by: Any) -> None:
    pending = Feedback.objects.filter(case=case)
    if not pending.filter(status=S.NEW).exists():
        work.task_done_for(case=case, kind=TaskKind.READ_FEEDBACK, subject_key=READ_KEY, by=by)
    if not pending.filter(is_complaint=True).exclude(status=S.ANSWERED).exists():
        work.tasks_settle(case=case, kinds={TaskKind.REVIEW_COMPLAINT}, status=Task.Status.DONE, by=by)
