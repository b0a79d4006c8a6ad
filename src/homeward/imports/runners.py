"""The background runner of tracker imports (registered with homeward.jobs)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext as _

from homeward.core.errors import ServiceError
from homeward.imports import checking, selectors, services
from homeward.imports.models import TrackerUpload
from homeward.jobs.registry import Outcome, runner
from homeward.jobs.retention import sweeper

if TYPE_CHECKING:
    from homeward.accounts.models import User
    from homeward.jobs.models import Job
    from homeward.jobs.progress import Progress

KIND = "imports.tracker"


def job_params(*, upload_id: int, options: checking.Options, dry_run: bool, language: str) -> dict[str, Any]:
    """What the job keeps: the upload, the column headers and field codes, never a cell's value."""
    return {
        "upload": upload_id,
        "columns": options.columns,
        "date_order": options.date_order,
        "allow_duplicates": options.allow_duplicates,
        "dry_run": dry_run,
        "language": language,
    }


def job_title(*, file_name: str, dry_run: bool) -> str:
    if dry_run:
        return _("Checking %(file)s") % {"file": file_name}
    return _("Importing %(file)s") % {"file": file_name}


@runner(KIND)
def run(job: Job, progress: Progress) -> Outcome:
    """Check, then import unless a dry run; as the job's owner, whose right to import is checked again now."""
    owner: User = job.owner
    params = job.params
    try:
        upload = selectors.upload_for(owner, int(params["upload"]))
    except Http404:
        raise ServiceError(_("The uploaded file is no longer available to you.")) from None
    options = checking.Options(
        columns=dict(params.get("columns") or {}),
        date_order=str(params.get("date_order") or "auto"),
        allow_duplicates=bool(params.get("allow_duplicates")),
    )
    outcome = services.tracker_run(
        acting_user=owner, upload=upload, options=options, dry_run=bool(params.get("dry_run")), progress=progress
    )
    return Outcome(message=outcome.message)


@sweeper
def expire_uploads(before: dt.datetime) -> int:
    """Uploaded trackers older than the retention period: the upload stays (and its imported cases), the file goes."""
    deleted = 0
    for upload in TrackerUpload.objects.filter(created_at__lt=before).exclude(file=""):
        upload.file.delete(save=False)
        upload.save(update_fields=["file"])
        deleted += 1
    return deleted
