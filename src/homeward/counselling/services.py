"""Every write of counselling: sessions, the supervisor's sign-off, the declaration and its signed scan.

Each service checks the acting user's permission in the case's host mission,
validates, writes in one transaction tagged with the case, and closes the
task the work answers (``work.services.task_done_for``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember
from homeward.core import files
from homeward.core import languages as language_codes
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.counselling import selectors
from homeward.counselling.models import Declaration, Interpretation, Mode, Outcome, Session, Topic
from homeward.work import services as work
from homeward.work.models import TaskKind


def _require_counsel(user: User, case: Case) -> None:
    if not permissions.has_perm_in(user, Perm.COUNSEL, case.host_mission_id):
        raise PermissionDenied(_("Only a counsellor of the host mission can do this."))


def _require_before_departure(case: Case) -> None:
    if case.status not in workflow.BEFORE_DEPARTURE:
        raise ServiceError(
            _("Counselling and the declaration belong before departure; this case is %(status)s.")
            % {"status": case.get_status_display()}
        )


def _members_of(case: Case, members: Iterable[CaseMember]) -> tuple[list[CaseMember], list[str]]:
    """The members given, each checked to belong to ``case``, and the errors if not."""
    chosen = list(dict.fromkeys(members))
    if any(m.case_id != case.pk for m in chosen):
        return chosen, [_("Choose members of this case only.")]
    return chosen, []


def _check_language(code: str) -> tuple[str, list[str]]:
    code = (code or "").strip().lower()
    if not code:
        return code, [_("Give the language.")]
    if not language_codes.is_known(code):
        return code, [_("%(code)s is not an ISO 639 language code.") % {"code": code}]
    return code, []


@service
def session_record(
    *,
    acting_user: User,
    case: Case,
    held_on: dt.date,
    mode: str,
    language: str,
    interpretation: str = "",
    interpreter_name: str = "",
    attendees: Iterable[CaseMember],
    topics: Iterable[str],
    questions: str = "",
    outcome: str,
    informed_decision: bool = False,
    next_steps: str = "",
) -> Session:
    """Record a counselling session held by the acting user.

    Rules: a counsellor of the host mission records it, before departure; the
    date is not in the future; the language is an ISO 639 code; those present
    are members of the case; at least one topic was covered; an informed
    decision can only go with the outcome "decided to return". Closes the
    case's open "hold a counselling session" task.
    """
    _require_counsel(acting_user, case)
    _require_before_departure(case)
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("Give the date of the session.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("The session cannot be in the future.")]
    if mode not in Mode.values:
        errors["mode"] = [_("Choose how the session was held from the list.")]
    language, problems = _check_language(language)
    if problems:
        errors["language"] = problems
    interpretation = interpretation or ""
    interpreter_name = (interpreter_name or "").strip()
    if interpretation not in Interpretation.values:
        errors["interpretation"] = [_("Choose an interpreter or a cultural mediator from the list.")]
    elif interpreter_name and not interpretation:
        errors["interpretation"] = [_("Say whether the person named was an interpreter or a cultural mediator.")]
    present, problems = _members_of(case, attendees)
    if problems:
        errors["attendees"] = problems
    elif not present:
        errors["attendees"] = [_("Say who was present.")]
    covered = list(dict.fromkeys(topics))
    unknown = [t for t in covered if t not in Topic.values]
    if unknown:
        errors["topics"] = [_("Unknown topic: %(topics)s.") % {"topics": ", ".join(map(str, unknown))}]
    elif not covered:
        errors["topics"] = [_("Tick at least one topic covered.")]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome from the list.")]
    elif informed_decision and outcome != Outcome.WANTS_TO_RETURN:
        errors["informed_decision"] = [_("An informed decision is recorded only when the migrant decided to return.")]
    if errors:
        raise ServiceError(_("The session was not saved: check the fields marked."), errors)
    session = Session(
        case=case,
        held_on=held_on,
        counsellor=acting_user,
        mode=mode,
        language=language,
        interpretation=interpretation,
        interpreter_name=interpreter_name,
        topics=[t for t in Topic.values if t in covered],
        questions=(questions or "").strip(),
        outcome=outcome,
        informed_decision=bool(informed_decision),
        next_steps=(next_steps or "").strip(),
    )
    with about_case(case.pk):
        session.save()
        session.attendees.set(present)
        work.task_done_for(case=case, kind=TaskKind.COUNSEL, by=acting_user)
    return session


@service
def session_sign_off(*, acting_user: User, session: Session) -> Session:
    """A case supervisor confirms the decision recorded in ``session`` was voluntary.

    Rules: a supervisor of the host mission signs off, never the counsellor
    who held the session (four eyes); only the session whose informed
    decision to return stands (the latest decision) can be signed off, once. Counselling in
    detention needs this before the return is declared
    (``workflow.voluntary_in_detention``).
    """
    case = session.case
    if not permissions.has_perm_in(acting_user, Perm.SUPERVISE, case.host_mission_id):
        raise PermissionDenied(_("Only a case supervisor of the host mission can sign off voluntariness."))
    if session.counsellor_id == acting_user.pk:
        raise ServiceError(_("You held this session: another supervisor must sign it off."))
    if session.signed_off_by_id is not None:
        raise ServiceError(_("This session was already signed off by %(name)s.") % {"name": session.signed_off_by})
    if session.outcome != Outcome.WANTS_TO_RETURN or not session.informed_decision:
        raise ServiceError(_("Only a session that records an informed decision to return can be signed off."))
    standing = selectors.decision_session(list(selectors.sessions_of(case)))
    if standing is None or standing.pk != session.pk:
        raise ServiceError(_("A later session records the decision that stands: sign off that one."))
    _require_before_departure(case)
    session.signed_off_by = acting_user
    session.signed_off_at = timezone.now()
    with about_case(case.pk):
        session.save(update_fields=["signed_off_by", "signed_off_at"])
    return session


@service
def declaration_generate(
    *, acting_user: User, case: Case, language: str, consent_processing: bool, consent_sharing: bool
) -> Declaration:
    """Prepare the declaration of voluntary return to print and sign.

    Rules: a counsellor of the host mission prepares it, before departure and
    only once counselling has recorded an informed decision to return (with a
    supervisor's sign-off when counselled in detention); the language is an
    ISO 639 code (the PDF is in that language where Homeward has it, and in
    English). What the migrant consents to is recorded as they said it.
    """
    _require_counsel(acting_user, case)
    _require_before_departure(case)
    language, problems = _check_language(language)
    if problems:
        raise ServiceError(_("The declaration was not prepared: check the fields marked."), {"language": problems})
    attempt = workflow.Attempt(acting_user)
    reasons = [r for g in (workflow.informed_decision, workflow.voluntary_in_detention) if (r := g(case, attempt))]
    if reasons:
        raise ServiceError(
            _("The declaration cannot be prepared yet: %(reasons)s") % {"reasons": " ".join(reasons)},
            {"__all__": reasons},
        )
    declaration = Declaration(
        case=case,
        language=language,
        consent_processing=bool(consent_processing),
        consent_sharing=bool(consent_sharing),
        generated_by=acting_user,
    )
    with about_case(case.pk):
        declaration.save()
    return declaration


@service
def declaration_upload_scan(
    *,
    acting_user: User,
    declaration: Declaration,
    file: Any,
    signed_on: dt.date,
    signatories: Iterable[CaseMember],
) -> Declaration:
    """Keep the signed declaration's scan with the case, with who signed it and when.

    Rules: a counsellor of the host mission uploads it; the file is a PDF,
    JPEG or PNG within the size limit (``core.files.check_upload``); it was
    signed by members of the case, on a day neither in the future nor before
    the declaration was prepared; only the newest declaration is signed. A new
    scan replaces the previous one.
    Closes the case's open "have the declaration signed" task.
    """
    case = declaration.case
    _require_counsel(acting_user, case)
    _require_before_departure(case)
    latest = selectors.latest_declaration(case)
    if latest is not None and latest.pk != declaration.pk:
        raise ServiceError(_("A newer declaration was prepared since: print and upload that one."))
    errors: dict[str, list[str]] = {}
    prepared_on = timezone.localdate(declaration.generated_at)
    if signed_on is None:
        errors["signed_on"] = [_("Give the date it was signed.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("The date of signature cannot be in the future.")]
    elif signed_on < prepared_on:
        errors["signed_on"] = [
            _("The declaration was prepared on %(date)s: it cannot have been signed before.")
            % {"date": prepared_on.isoformat()}
        ]
    signed_by, problems = _members_of(case, signatories)
    if problems:
        errors["signatories"] = problems
    elif not signed_by:
        errors["signatories"] = [_("Say who signed.")]
    content_type = ""
    if file is None:
        errors["file"] = [_("Choose the scan of the signed declaration.")]
    else:
        try:
            content_type = files.check_upload(file)
        except ServiceError as error:
            errors.update(error.fields)
    if errors:
        raise ServiceError(_("The scan was not saved: check the fields marked."), errors)
    previous = declaration.scan.name if declaration.scan else ""
    with about_case(case.pk):
        declaration.scan.save(files.stored_name("declaration", content_type), file, save=False)
        declaration.scan_content_type = content_type
        declaration.scan_uploaded_by = acting_user
        declaration.scan_uploaded_at = timezone.now()
        declaration.signed_on = signed_on
        declaration.save(
            update_fields=["scan", "scan_content_type", "scan_uploaded_by", "scan_uploaded_at", "signed_on"]
        )
        declaration.signatories.set(signed_by)
        work.task_done_for(case=case, kind=TaskKind.SIGN_DECLARATION, by=acting_user)
    # Signed, its consent ticks become the members' consents in the register (privacy.services).
    from homeward.privacy.services import consents_from_declaration

    consents_from_declaration(acting_user=acting_user, declaration=declaration)
    if previous:
        storage = declaration.scan.storage
        # The replaced scan goes only once the new one is committed.
        transaction.on_commit(lambda: storage.delete(previous))
    return declaration
