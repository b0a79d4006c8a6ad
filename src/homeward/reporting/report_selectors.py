"""Reads of donor reports: who may read and write them, and the document each reader sees.

Rules (written here, applied by the pages, the API and the services):
- Reading figures needs ``Perm.VIEW_AGGREGATES`` at a mission implementing the programme
  (``selectors.report_programmes``); a saved report is read only by someone who sees the
  figures of every mission it counts, otherwise it is a 404 as if it did not exist.
- Writing (starting a report, its narrative, submitting it) is for the M&E officers, case
  supervisors and administrators of a mission implementing the programme. A programme
  viewer only reads, and only submitted reports: a draft is work in progress.
- A submitted report shows its frozen document; a reader who may not open every case it
  counts reads it with small counts suppressed, like every other figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from homeward.accounts.models import Mission
from homeward.accounts.permissions import roles_by_mission
from homeward.accounts.roles import Role
from homeward.programmes.models import Programme
from homeward.reporting import selectors
from homeward.reporting.figures import Doc, suppress_doc
from homeward.reporting.models import DonorReport
from homeward.reporting.periods import Period

WRITER_ROLES = frozenset({Role.ME_OFFICER, Role.CASE_SUPERVISOR, Role.ADMINISTRATOR})


def writer_missions(user: Any) -> set[int]:
    return {mission for mission, role in roles_by_mission(user).items() if role in WRITER_ROLES}


def may_write(user: Any, programme: Programme) -> bool:
    """True when ``user`` writes donor reports of ``programme`` (a writer role at one of its missions)."""
    mine = writer_missions(user)
    return bool(mine) and programme.missions.filter(pk__in=mine).exists()


def reports_of(user: Any, programme: Programme) -> QuerySet[DonorReport]:
    """The saved reports of ``programme`` the user may read, newest period first."""
    allowed = selectors.aggregate_missions(user)
    reports = (
        DonorReport.objects.filter(programme=programme)
        .exclude(missions__in=Mission.objects.exclude(pk__in=allowed))
        .select_related("created_by", "submitted_by")
    )
    if not may_write(user, programme):
        reports = reports.filter(status=DonorReport.Status.SUBMITTED)
    return reports.order_by("-period_start", "-period_end", "-created_at")


def report_for_user(user: Any, pk: int) -> DonorReport:
    """One saved report the user may read; 404 otherwise."""
    report = DonorReport.objects.filter(pk=pk).select_related("programme").first()
    if report is None or not selectors.report_programmes(user).filter(pk=report.programme_id).exists():
        raise Http404
    if not reports_of(user, report.programme).filter(pk=pk).exists():
        raise Http404
    return report


def mission_ids(report: DonorReport) -> list[int]:
    return sorted(report.missions.values_list("pk", flat=True))


def live_document(user: Any, programme: Programme, period: Period, missions: Iterable[int] | None = None) -> Doc:
    """Today's figures for the user's scope, with the breakdowns the donor asks for."""
    doc = selectors.report_for(user, programme, period, missions)
    return {**doc, "report_disaggregations": list(programme.report_disaggregations or [])}


def document(user: Any, report: DonorReport) -> Doc:
    """What ``user`` reads of ``report``: the frozen copy once submitted, today's figures while a draft."""
    if report.frozen is None:
        return live_document(user, report.programme, report.period, mission_ids(report))
    missions = mission_ids(report)
    if report.frozen.get("suppression", {}).get("applied"):
        return report.frozen
    if selectors.sees_persons(user, missions):
        # An M&E officer reading a supervisor's frozen copy: no small count of what it may not see on a person.
        hidden = selectors.hidden_sensitivities(user, missions)
        return selectors.suppress_sensitive(report.frozen, hidden, selectors.threshold())
    return suppress_doc(report.frozen, selectors.threshold())


def today_document(user: Any, report: DonorReport) -> Doc:
    """The same report's figures computed now, for the difference with the frozen copy."""
    return live_document(user, report.programme, report.period, mission_ids(report))


def missions_by_code(codes: Iterable[str]) -> dict[str, Mission]:
    return {m.code: m for m in Mission.objects.filter(code__in=[c.strip().upper() for c in codes if c.strip()])}
