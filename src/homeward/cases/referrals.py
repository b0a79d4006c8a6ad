"""Handing a case to the mission in the country of origin: send, accept or return, escalate.

The host mission sends a referral once the return is declared. Only what the
origin mission needs travels (the package); it sees the case itself only after
accepting. An unanswered referral escalates to the host mission's supervisors.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import ROLE_PERMS, ROLE_SENSITIVITIES, Perm, Role, Sensitivity
from homeward.cases import workflow
from homeward.cases.models import Case, CaseStatus, Referral
from homeward.core.audit import about_case, service
from homeward.core.concurrency import claim_version
from homeward.core.errors import ServiceError
from homeward.privacy.models import Purpose
from homeward.privacy.selectors import shares_with_origin, withdrawn_members
from homeward.work import services as work
from homeward.work.models import Task, TaskKind

S = CaseStatus
ALL_LEVELS = frozenset(Sensitivity.values)
# "When the case is declared": from the decision to return until the case is closed.
REFERABLE = frozenset({S.RETURN_DECLARED, S.TRAVEL_PREPARATION, S.TRAVEL_BOOKED, S.DEPARTED, S.ARRIVED})
# Tasks the host stands in for until an origin mission accepts the case.
ORIGIN_TASKS = (TaskKind.CONFIRM_ARRIVAL, TaskKind.REINTEGRATION_PLAN, TaskKind.DELIVER_REINTEGRATION,
                TaskKind.FIRST_MONITORING_VISIT, TaskKind.MONITORING_VISIT)  # fmt: skip


def answer_days() -> int:
    return settings.HOMEWARD_REFERRAL_ANSWER_DAYS


def missions_for(case: Case) -> QuerySet[Mission]:
    """Where the case can be referred: missions that receive referrals in the destination country."""
    return Mission.objects.filter(
        country=case.destination_country, kind__in=[Mission.Kind.ORIGIN, Mission.Kind.BOTH]
    ).order_by("code")


def package_of(case: Case) -> dict[str, Any]:
    """What the origin mission needs to decide and to receive the returnee, and nothing more.

    Vulnerabilities travel only with the migrant's consent to sharing (the signed
    declaration); documents, legal status, history and notes never do.
    """
    from homeward.reintegration.selectors import plan_summary
    from homeward.travel.selectors import itinerary_view

    consent = shares_with_origin(case) is True
    today = timezone.localdate()
    members = []
    for m in case.members.select_related("person").prefetch_related("person__vulnerabilities__type"):
        dob = m.person.date_of_birth
        vulnerabilities = list(m.person.vulnerabilities.all()) if consent else []
        members.append({
            "name": m.person.full_name,
            "relationship": m.get_relationship_display(),
            "born": dob.display() if dob else "",
            "child": bool(dob and dob.is_possibly_minor(today)),
            "sex": m.person.get_sex_display(),
            "languages": m.person.languages,
            "phone": m.person.phone if m.is_principal else "",
            "vulnerabilities": [str(v.type) for v in vulnerabilities],
            # Each one's sensitivity, in the same order: a reader is shown only those of a level they may see.
            "vulnerability_sensitivities": [v.type.sensitivity for v in vulnerabilities],
        })  # fmt: skip
    itinerary = workflow.confirmed_itinerary(case) or case.itineraries.filter(status="departed").last()
    arrival = None
    if itinerary is not None:
        view = itinerary_view(itinerary, None)
        last = view.segments[-1] if view.segments else None
        if last is not None:
            arrival = {
                "route": " → ".join(view.route),
                "airport": last.segment.destination,
                "arrives": str(last.arrives),
                "flight": f"{last.segment.carrier} {last.segment.number}",
            }
    return {
        "reference": case.reference,
        "host_mission": case.host_mission.name,
        "destination": f"{case.destination_country.name}, {case.destination_place}".strip(", "),
        "members": members,
        "arrival": arrival,
        "consent_to_share_vulnerabilities": consent,
        "plan": plan_summary(case),
    }


@service
def referral_send(*, acting_user: User, case: Case, mission: Mission) -> Referral:
    """Refer the case to an origin mission.

    Rule: a supervisor of the host mission, once the return is declared, to a mission
    receiving referrals in the destination country, with the migrant's consent to
    sharing on the signed declaration; one open referral at a time.
    """
    if not permissions.has_perm_in(acting_user, Perm.ASSIGN_CASE, case.host_mission_id):
        raise PermissionDenied(_("Only a case supervisor of the host mission can refer a case."))
    claim_version(case, None)  # one referral decision at a time per case
    choices = missions_for(case)
    if not choices.exists():
        raise ServiceError(
            _("There is no mission in %(country)s: reintegration cannot be referred there.")
            % {"country": case.destination_country.name}
        )
    if mission not in choices:
        raise ServiceError(
            _("%(mission)s is not a mission in %(country)s that receives referrals.")
            % {"mission": mission.code, "country": case.destination_country.name},
            {"mission": [_("Choose a mission in the destination country.")]},
        )
    if case.status not in REFERABLE:
        raise ServiceError(_("A case is referred once the return is declared."))
    if shares_with_origin(case) is False:
        # The consent register (or, before it, the signed declaration) decides what the origin mission may receive.
        withdrawn = withdrawn_members(case, Purpose.SHARING_ORIGIN)
        if withdrawn:
            raise ServiceError(
                _("%(names)s withdrew consent to sharing with the mission in the country of origin: "
                  "the case cannot be referred.") % {"names": ", ".join(m.person.full_name for m in withdrawn)}
            )  # fmt: skip
        raise ServiceError(
            _("The migrant did not consent to sharing their case with the mission in the country of origin.")
        )
    if case.referrals.filter(status=Referral.Status.PENDING).exists():
        raise ServiceError(_("The case already awaits an answer to its referral."))
    if case.referred_to_mission_id:
        raise ServiceError(
            _("%(mission)s has already accepted this case.") % {"mission": case.referred_to_mission.code}
        )
    due = timezone.now() + dt.timedelta(days=answer_days())
    with about_case(case.pk):
        referral = Referral.objects.create(
            case=case, to_mission=mission, package=package_of(case), sent_by=acting_user, answer_due=due
        )
    work.task_open(case=case, kind=TaskKind.ANSWER_REFERRAL, due_at=due, mission=mission,
                   role=Role.REINTEGRATION_OFFICER, subject=case.reference)  # fmt: skip
    transaction.on_commit(lambda: _schedule_escalation(referral))
    return referral


def _schedule_escalation(referral: Referral) -> None:
    from homeward.work.tasks import escalate_referral

    escalate_referral.using(run_after=referral.answer_due).enqueue(referral.pk)


def _require_receiver(user: User, referral: Referral) -> None:
    if not permissions.has_perm_in(user, Perm.RECEIVE_RETURNEE, referral.to_mission_id):
        raise PermissionDenied(_("Only the mission the case is referred to can answer the referral."))


def _locked_pending(referral: Referral) -> Referral:
    fresh = Referral.objects.select_for_update().get(pk=referral.pk)
    if fresh.status != Referral.Status.PENDING:
        raise ServiceError(
            _("This referral was already answered: %(status)s.") % {"status": fresh.get_status_display()}
        )
    return fresh


@service
def referral_accept(*, acting_user: User, referral: Referral) -> Referral:
    """Accept a referral. Rule: the receiving mission answers; it then works the case, takes over the
    origin-side tasks the host stood in for, and prepares the reception."""
    _require_receiver(acting_user, referral)
    referral = _locked_pending(referral)
    case = referral.case
    claim_version(case, None)
    if workflow.is_exit(case.status):
        raise ServiceError(
            _("The case is %(status)s: it is no longer on its way home.") % {"status": case.get_status_display()}
        )
    referral.status = Referral.Status.ACCEPTED
    referral.answered_by, referral.answered_at = acting_user, timezone.now()
    case.referred_to_mission = referral.to_mission
    with about_case(case.pk):
        referral.save(update_fields=["status", "answered_by", "answered_at"])
        case.save(update_fields=["referred_to_mission", "updated_at"])
        for task in Task.objects.filter(case=case, kind__in=ORIGIN_TASKS, status=Task.Status.OPEN):
            task.mission, task.role, task.assignee = referral.to_mission, Role.REINTEGRATION_OFFICER, None
            task.save(update_fields=["mission", "role", "assignee"])
    work.task_done_for(case=case, kind=TaskKind.ANSWER_REFERRAL, subject_key="", by=acting_user, outcome=_("accepted"))
    if case.status in workflow.BEFORE_DEPARTURE | {S.DEPARTED}:
        due = workflow.final_arrival(case) if case.itineraries.exists() else timezone.now() + dt.timedelta(days=14)
        work.task_open(case=case, kind=TaskKind.PREPARE_RECEPTION, due_at=due, mission=referral.to_mission,
                       role=Role.REINTEGRATION_OFFICER)  # fmt: skip
    return referral


@service
def referral_return(*, acting_user: User, referral: Referral, reason: str) -> Referral:
    """Return a referral. Rule: the receiving mission answers, with a reason the host mission reads."""
    _require_receiver(acting_user, referral)
    if not reason.strip():
        raise ServiceError(_("Say why the referral is returned."), {"reason": [_("This field is required.")]})
    referral = _locked_pending(referral)
    referral.status = Referral.Status.RETURNED
    referral.answered_by, referral.answered_at, referral.reason = acting_user, timezone.now(), reason.strip()
    case = referral.case
    with about_case(case.pk):
        referral.save(update_fields=["status", "answered_by", "answered_at", "reason"])
    work.task_done_for(case=case, kind=TaskKind.ANSWER_REFERRAL, by=acting_user, outcome=_("returned"))
    work.task_open(case=case, kind=TaskKind.FOLLOW_UP_REFERRAL, due_at=timezone.now() + dt.timedelta(days=2),
                   mission=case.host_mission, role=Role.CASE_SUPERVISOR,
                   subject=_("returned by %(mission)s") % {"mission": referral.to_mission.code})  # fmt: skip
    return referral


def referral_escalate(referral_id: int) -> bool:
    """An unanswered referral past its due time goes to the host mission's supervisors (once).

    Run by the worker at the answer's due time; a conditional UPDATE makes a second
    run, or a second worker, a no-op.
    """
    now = timezone.now()
    claimed = Referral.objects.filter(
        pk=referral_id, status=Referral.Status.PENDING, escalated_at__isnull=True, answer_due__lte=now
    ).update(escalated_at=now)
    if not claimed:
        return False
    referral = Referral.objects.select_related("case__host_mission", "to_mission").get(pk=referral_id)
    work.task_open(case=referral.case, kind=TaskKind.FOLLOW_UP_REFERRAL, due_at=now + dt.timedelta(days=1),
                   mission=referral.case.host_mission, role=Role.CASE_SUPERVISOR,
                   subject=_("unanswered by %(mission)s") % {"mission": referral.to_mission.code})  # fmt: skip
    return True


def inbox(user: User) -> QuerySet[Referral]:
    """Referrals awaiting an answer from the user's missions (only their packages are shown)."""
    missions = permissions.mission_ids_with(user, Perm.RECEIVE_RETURNEE)
    return (
        Referral.objects.filter(to_mission_id__in=missions, status=Referral.Status.PENDING)
        .select_related("case", "to_mission", "sent_by", "case__host_mission")
        .order_by("answer_due", "pk")
    )


def package_for(user: User, referral: Referral) -> tuple[dict[str, Any], set[str]]:
    """The referral's package as ``user`` may read it, and the sensitivities of what it shows them.

    A vulnerability of a level the user may not see (a finance officer and trafficking) is left
    out. Who answers for the receiving mission reads at their role's level there, the case not
    being theirs yet. A package from before levels were kept shows its vulnerabilities only to
    who may see every level, and counts them as protection facts.
    """
    levels = set(permissions.visible_sensitivities(user, referral.case))
    role = permissions.roles_by_mission(user).get(referral.to_mission_id)
    if role is not None and Perm.RECEIVE_RETURNEE in ROLE_PERMS[role]:
        levels |= ROLE_SENSITIVITIES[role]
    package = copy.deepcopy(referral.package)
    shown: set[str] = set()
    for member in package.get("members", []):
        names = member.get("vulnerabilities", [])
        of_each = member.pop("vulnerability_sensitivities", None)
        if of_each is None:  # an older package: all or nothing
            of_each = [Sensitivity.PROTECTION.value if levels >= ALL_LEVELS else ""] * len(names)
        member["vulnerabilities"] = [name for name, level in zip(names, of_each, strict=True) if level in levels]
        shown |= {level for level in of_each if level in levels}
    return package, shown


def packages_shown(request: Any, referrals: Iterable[Referral], *, via: str) -> list[tuple[Referral, dict[str, Any]]]:
    """Each referral with its package as the request's user may read it; the sensitive levels shown are audited."""
    from homeward.core import reads

    out = []
    for referral in referrals:
        package, shown = package_for(request.user, referral)
        reads.record_request_reads(request, [(referral, level) for level in shown], case_id=referral.case_id, via=via)
        out.append((referral, package))
    return out


def referral_for_receiver(user: User, pk: int) -> Referral:
    from django.http import Http404

    referral = (
        Referral.objects.select_related("case", "to_mission", "sent_by", "answered_by", "case__host_mission")
        .filter(pk=pk, to_mission_id__in=permissions.mission_ids_with(user, Perm.RECEIVE_RETURNEE))
        .first()
    )
    if referral is None:
        raise Http404
    return referral
