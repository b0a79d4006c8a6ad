"""Every write of privacy: consents recorded and withdrawn, and a supervisor's erasure on request.

Anonymisation itself (what is removed and kept) is in ``privacy.erasure``; the
scheduled sweep in ``privacy.tasks`` and ``homeward privacy anonymise`` call it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm, Role
from homeward.cases.models import Case, CaseMember, Referral
from homeward.core.audit import about_case, service
from homeward.core.errors import FieldErrors, ServiceError
from homeward.people.models import Person
from homeward.privacy import selectors
from homeward.privacy.models import Anonymisation, Consent, Export, How, Purpose

NOTE_MAX = 2000
REASON_MIN = 10


def _require_manage(user: Any, case: Case) -> None:
    if not selectors.may_manage_consents(user, case):
        raise PermissionDenied(_("Only a counsellor or supervisor of the host mission records consents."))


def _check_day(day: dt.date | None, field: str, errors: FieldErrors, *, not_before: dt.date | None = None) -> None:
    if day is None:
        errors.setdefault(field, []).append(_("Give the date."))
    elif day > timezone.localdate():
        errors.setdefault(field, []).append(_("The date cannot be in the future."))
    elif not_before is not None and day < not_before:
        errors.setdefault(field, []).append(
            _("The consent was given on %(date)s: it cannot be withdrawn before.") % {"date": not_before.isoformat()}
        )


@service
def consent_record(
    *, acting_user: Any, case: Case, member: CaseMember, purpose: str, how: str, given_on: dt.date
) -> Consent:
    """Record a member's consent to a purpose, given on a form or verbally.

    Rule: a counsellor or supervisor of the host mission records it, for a member of the
    case, on a day not in the future; one standing consent per member and purpose. The
    declaration's ticks arrive through ``consents_from_declaration``, not here.
    """
    _require_manage(acting_user, case)
    errors = FieldErrors()
    if member.case_id != case.pk:
        errors.setdefault("member", []).append(_("Choose a member of this case."))
    if purpose not in Purpose.values:
        errors.setdefault("purpose", []).append(_("Choose a purpose from the list."))
    if how not in (How.FORM, How.VERBAL):
        errors.setdefault("how", []).append(_("A consent is recorded here as given on a form or verbally."))
    _check_day(given_on, "given_on", errors)
    if not errors and Consent.objects.filter(member=member, purpose=purpose, withdrawn_on__isnull=True).exists():
        errors.setdefault("purpose", []).append(
            _("%(name)s already consents to this.") % {"name": member.person.full_name}
        )
    if errors:
        raise ServiceError(_("The consent was not recorded: check the fields marked."), errors)
    with about_case(case.pk):
        return Consent.objects.create(
            case=case, member=member, purpose=purpose, how=how, given_on=given_on, recorded_by=acting_user
        )


@service
def consent_withdraw(*, acting_user: Any, consent: Consent, withdrawn_on: dt.date, note: str = "") -> Consent:
    """Record that a member withdrew a consent.

    Rule: a counsellor or supervisor of the host mission records it, for a standing consent,
    on a day between the consent and today. A withdrawn consent to sharing stops every
    further sharing with the origin mission: a referral awaiting an answer is taken back
    (its package emptied), none can be sent, and if the origin mission already accepted the
    case the host mission's supervisors get a task to settle the hand-over with it.
    """
    case = consent.case
    _require_manage(acting_user, case)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    errors = FieldErrors()
    if consent.withdrawn_on is not None:
        raise ServiceError(
            _("This consent was already withdrawn on %(date)s.") % {"date": consent.withdrawn_on.isoformat()}
        )
    _check_day(withdrawn_on, "withdrawn_on", errors, not_before=consent.given_on)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors.setdefault("note", []).append(_("Keep the note under %(max)s characters.") % {"max": NOTE_MAX})
    if errors:
        raise ServiceError(_("The withdrawal was not recorded: check the fields marked."), errors)
    consent.withdrawn_on, consent.withdrawn_by, consent.withdrawal_note = withdrawn_on, acting_user, note
    with about_case(case.pk):
        consent.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_note"])
        if consent.purpose == Purpose.SHARING_ORIGIN:
            _stop_sharing(case, acting_user)
    return consent


def _stop_sharing(case: Case, user: Any) -> None:
    from homeward.work import services as work
    from homeward.work.models import TaskKind

    reason = _("The migrant withdrew their consent to sharing with the mission in the country of origin.")
    for referral in Referral.objects.select_for_update().filter(case=case, status=Referral.Status.PENDING):
        referral.status, referral.reason = Referral.Status.RETURNED, reason
        referral.answered_by, referral.answered_at = user, timezone.now()
        # What was shared and not yet accepted is taken back: the origin mission keeps only the reference.
        referral.package = {"reference": case.reference, "withdrawn": True}
        referral.save(update_fields=["status", "reason", "answered_by", "answered_at", "package"])
        work.task_done_for(case=case, kind=TaskKind.ANSWER_REFERRAL, by=user, outcome=_("consent withdrawn"))
    if case.referred_to_mission_id:
        work.task_open(
            case=case, kind=TaskKind.FOLLOW_UP_REFERRAL, due_at=timezone.now() + dt.timedelta(days=2),
            mission=case.host_mission, role=Role.CASE_SUPERVISOR, subject_key="consent_withdrawn",
            subject=_("consent to sharing withdrawn: agree with %(mission)s what it keeps")
            % {"mission": case.referred_to_mission.code},
        )  # fmt: skip


def consents_from_declaration(*, acting_user: Any, declaration: Any) -> list[Consent]:
    """The signed declaration's ticks become the consents of every member of its case.

    Called by ``counselling.services.declaration_upload_scan`` inside its transaction. A tick
    gives the purpose to each member without a standing consent to it (dated the day of
    signature); an empty tick on a newer declaration withdraws the standing ones. The
    declaration keeps its booleans: they are what the paper says, the register is what holds.
    """
    case = declaration.case
    signed_on = declaration.signed_on
    changed: list[Consent] = []
    members = list(case.members.all())
    with about_case(case.pk):
        for purpose, ticked in (
            (Purpose.PROCESSING, declaration.consent_processing),
            (Purpose.SHARING_ORIGIN, declaration.consent_sharing),
        ):
            standing = {c.member_id: c for c in Consent.objects.filter(case=case, purpose=purpose, withdrawn_on=None)}
            for member in members:
                current = standing.get(member.pk)
                if ticked and current is None:
                    changed.append(Consent.objects.create(
                        case=case, member=member, purpose=purpose, how=How.DECLARATION, given_on=signed_on,
                        recorded_by=acting_user, declaration=declaration,
                    ))  # fmt: skip
                elif not ticked and current is not None:
                    current.withdrawn_on = max(signed_on, current.given_on)
                    current.withdrawn_by = acting_user
                    current.withdrawal_note = _("A newer signed declaration does not give this consent.")
                    current.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_note"])
                    changed.append(current)
            if not ticked and purpose == Purpose.SHARING_ORIGIN and standing:
                _stop_sharing(case, acting_user)
    return changed


@service
def export_record(*, acting_user: Any, person: Person, format: str, cases: list[Case]) -> Export:
    """Note that ``acting_user`` exported ``person``'s data (the audit log keeps the entry)."""
    return Export.objects.create(person=person, by=acting_user, format=format, cases=[c.reference for c in cases])


@service
def person_erase(*, acting_user: Any, case: Case, reason: str) -> list[Anonymisation]:
    """Anonymise the persons of a closed case at their request (the right to erasure).

    Rule: a case supervisor of the host mission, with a reason of at least ten characters;
    refused while the case is open or money is still pending on it (a grant or invoice
    not yet paid, settled or cancelled). A member who is also in another case still open
    is left as they are, and the answer says so.
    """
    from homeward.privacy import erasure

    if not permissions.has_perm_in(acting_user, Perm.SUPERVISE, case.host_mission_id):
        raise PermissionDenied(_("Only a case supervisor of the host mission anonymises a case's persons."))
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ServiceError(
            _("Say why the persons are anonymised (at least %(min)s characters).") % {"min": REASON_MIN},
            {"reason": [_("Give the reason, e.g. the person's written request and its date.")]},
        )
    case = Case.objects.select_for_update().get(pk=case.pk)
    problem = erasure.refusal(case)
    if problem:
        raise ServiceError(problem)
    persons = [m.person for m in case.members.select_related("person")]
    blocked = [p for p in persons if erasure.open_cases_of(p).exclude(pk=case.pk).exists()]
    if blocked and len(blocked) == len(persons):
        raise ServiceError(_("Every person of this case is in another case still open: nobody was anonymised."))
    done = [
        erasure.anonymise(person, kind=Anonymisation.Kind.REQUEST, by=acting_user, reason=reason)
        for person in persons
        if person not in blocked and not hasattr(person, "anonymisation")
    ]
    return done
