"""Every write of donor reports: start one, write its narrative, submit it (which freezes its figures).

Who writes is decided in ``report_selectors`` (M&E officers, case supervisors and
administrators of a mission implementing the programme). A submitted report is
final: its narrative and its figures never change again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.core.audit import service
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reporting import report_selectors, selectors
from homeward.reporting.models import DonorReport
from homeward.reporting.periods import Period

TITLE_MAX = DonorReport._meta.get_field("title").max_length or 200


def _require_writer(user: Any, programme: Programme) -> None:
    if not report_selectors.may_write(user, programme):
        raise PermissionDenied(
            _("Your role does not write donor reports of %(programme)s.") % {"programme": programme.code}
        )


def _title(title: str, programme: Programme, period: Period) -> str:
    title = " ".join(title.split())
    if len(title) > TITLE_MAX:
        message = _("Keep the title under %(max)s characters.") % {"max": TITLE_MAX}
        raise ServiceError(message, {"title": [message]})
    return title or _("%(programme)s: %(period)s") % {"programme": programme.code, "period": str(period)}


def _lock_draft(report: DonorReport) -> DonorReport:
    """Re-read under a row lock: an edit racing a submission waits, then sees it submitted."""
    locked = DonorReport.objects.select_for_update().select_related("programme").get(pk=report.pk)
    if not locked.is_draft:
        raise ServiceError(
            _("This report was submitted on %(date)s: it can no longer change.")
            % {"date": timezone.localtime(locked.submitted_at).strftime("%Y-%m-%d %H:%M")}
        )
    return locked


@service
def report_create(
    *,
    acting_user: Any,
    programme: Programme,
    period: Period,
    missions: Iterable[int] | None = None,
    title: str = "",
) -> DonorReport:
    """Start a draft donor report of ``programme`` for ``period``.

    Rules: the acting user writes reports of the programme; the missions counted are
    those asked for, or every mission whose figures the user sees, and fixed now, so
    that everyone reading the report reads the same scope.
    """
    _require_writer(acting_user, programme)
    scope = selectors.scope_for(acting_user, programme, period, missions)  # refuses a mission not the user's
    report = DonorReport.objects.create(
        programme=programme,
        period_start=period.start,
        period_end=period.end,
        title=_title(title, programme, period),
        created_by=acting_user,
    )
    report.missions.set(sorted(scope.missions))
    return report


@service
def report_update_narrative(*, acting_user: Any, report: DonorReport, data: dict[str, str]) -> DonorReport:
    """Save the title and the narrative sections (context, challenges, partnerships) of a draft.

    Rule: only a draft changes; only a writer of the programme's reports changes it.
    Keys not given are left as they are.
    """
    _require_writer(acting_user, report.programme)
    report = _lock_draft(report)
    changed = []
    if "title" in data:
        report.title = _title(data["title"], report.programme, report.period)
        changed.append("title")
    for name in ("context", "challenges", "partnerships"):
        if name in data:
            setattr(report, name, (data[name] or "").strip())
            changed.append(name)
    if changed:
        report.save(update_fields=[*changed, "updated_at"])
    return report


@service
def report_submit(*, acting_user: Any, report: DonorReport) -> DonorReport:
    """Submit a draft: its figures are computed now, for the submitting user's scope, and frozen.

    Rules: only a draft is submitted, by a writer of the programme's reports, who sees
    the figures of every mission the report counts. The frozen document is the one the
    report shows, prints and exports from then on, whatever happens to the data.
    """
    _require_writer(acting_user, report.programme)
    report = _lock_draft(report)
    missions = report_selectors.mission_ids(report)
    now = timezone.now()
    document = report_selectors.live_document(acting_user, report.programme, report.period, missions)
    report.frozen = {**document, "generated_at": now.isoformat(timespec="seconds")}
    report.frozen_at = now
    report.status = DonorReport.Status.SUBMITTED
    report.submitted_by = acting_user
    report.submitted_at = now
    report.save(update_fields=["frozen", "frozen_at", "status", "submitted_by", "submitted_at", "updated_at"])
    return report
