"""Every read of health records, and who may read and write them.

Health records are medical facts: a user reads them only where they may see
medical facts on the case (``permissions.visible_sensitivities``). Others learn
at most that health records exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm, Sensitivity
from homeward.health.models import FitToTravelExam, HealthCost, MedicalAppointment, MedicalReferral, Medicine

RECORD_MODELS = (MedicalAppointment, MedicalReferral, Medicine, FitToTravelExam, HealthCost)


def may_read(user: Any, case: Any) -> bool:
    return Sensitivity.MEDICAL in permissions.visible_sensitivities(user, case)


def may_write(user: Any, case: Any) -> bool:
    """Who may record health care: a counsellor, supervisor or movement officer of the host mission
    who may see medical facts (the same people who record the safeguarding checklist it feeds)."""
    host = case.host_mission_id
    staff = permissions.has_perm_in(user, Perm.COUNSEL, host) or permissions.has_perm_in(
        user, Perm.ARRANGE_TRAVEL, host
    )
    return staff and may_read(user, case)


def require_read(user: Any, case: Any) -> None:
    """A case the user sees (fetched with ``case_for_user``) whose medical facts they may not: 403."""
    if not may_read(user, case):
        raise PermissionDenied(_("Your role does not show health records."))


def has_records(case: Any) -> bool:
    return any(model.objects.filter(case=case).exists() for model in RECORD_MODELS)


@dataclass
class MemberFitness:
    member: Any
    latest: FitToTravelExam | None


@dataclass
class CaseHealth:
    appointments: list[MedicalAppointment] = field(default_factory=list)
    referrals: list[MedicalReferral] = field(default_factory=list)
    medicines: list[Medicine] = field(default_factory=list)
    exams: list[FitToTravelExam] = field(default_factory=list)
    costs: list[HealthCost] = field(default_factory=list)
    fitness: list[MemberFitness] = field(default_factory=list)

    def shown(self) -> list[tuple[Any, str]]:
        """Every record, with its sensitivity, for ``core.reads``: a cost too tells of a treatment."""
        records = [*self.appointments, *self.referrals, *self.medicines, *self.exams, *self.costs]
        return [(r, Sensitivity.MEDICAL.value) for r in records]


def case_health(user: Any, case: Any) -> CaseHealth:
    """Every health record of a case, for a user who may read them (403 otherwise)."""
    require_read(user, case)
    members = list(case.members.select_related("person"))
    exams = list(FitToTravelExam.objects.filter(case=case).select_related("member__person", "recorded_by"))
    return CaseHealth(
        appointments=list(
            MedicalAppointment.objects.filter(case=case).select_related("member__person", "provider", "recorded_by")
        ),
        referrals=list(MedicalReferral.objects.filter(case=case).select_related("member__person", "recorded_by")),
        medicines=list(Medicine.objects.filter(case=case).select_related("member__person", "recorded_by")),
        exams=exams,
        costs=list(
            HealthCost.objects.filter(case=case).select_related(
                "member__person", "budget_line", "commitment", "payment", "recorded_by"
            )
        ),
        fitness=[MemberFitness(m, _latest([e for e in exams if e.member_id == m.pk])) for m in members],
    )


def _latest(exams: list[FitToTravelExam]) -> FitToTravelExam | None:
    return max(exams, key=lambda e: (e.examined_on, e.pk), default=None)


def latest_exams(case: Any) -> dict[int, FitToTravelExam]:
    """The latest fit-to-travel examination of each member who had one: ``{member_id: exam}``."""
    latest: dict[int, FitToTravelExam] = {}
    for exam in (
        FitToTravelExam.objects.filter(case=case).select_related("member__person").order_by("examined_on", "pk")
    ):
        latest[exam.member_id] = exam
    return latest


def counts_on(exam: FitToTravelExam, travel_date: dt.date) -> bool:
    """A "fit" examination counts for a journey only while it is valid on the travel date."""
    return exam.is_fit and (exam.valid_until is None or exam.valid_until >= travel_date)


@dataclass(frozen=True)
class Unfit:
    member: Any
    exam: FitToTravelExam
    expired: bool  # fit, but no longer valid on the travel date


def unfit_travellers(case: Any, travel_date: dt.date) -> list[Unfit]:
    """Members whose latest examination says unfit, or says fit only until before the travel date."""
    found = []
    for exam in latest_exams(case).values():
        if not exam.is_fit:
            found.append(Unfit(exam.member, exam, expired=False))
        elif not counts_on(exam, travel_date):
            found.append(Unfit(exam.member, exam, expired=True))
    return found


def costs_to_pay(user: Any) -> QuerySet[HealthCost]:
    """Committed, unpaid health costs a finance officer pays: of the missions where they hold PAY.

    Only what the payment needs (case, amount, date, budget line): never what the care was.
    """
    missions = permissions.mission_ids_with(user, Perm.PAY)
    if not missions:
        return HealthCost.objects.none()
    return (
        HealthCost.objects.filter(Q(case__host_mission_id__in=missions) | Q(case__referred_to_mission_id__in=missions))
        .filter(commitment__isnull=False, payment__isnull=True)
        .select_related("case", "budget_line__programme")
        .order_by("incurred_on", "pk")
    )


def cost_to_pay(user: Any, cost_id: int) -> HealthCost:
    try:
        return costs_to_pay(user).get(pk=cost_id)
    except HealthCost.DoesNotExist:
        raise Http404 from None


def record_of(model: type[Any], case: Any, record_id: int) -> Any:
    try:
        return model.objects.select_related("member__person").get(case=case, pk=record_id)
    except model.DoesNotExist:
        raise Http404 from None
