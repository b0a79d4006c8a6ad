"""Importing a tracker over JSON: upload it with a saved mapping's name; the import runs as a job.

``POST /api/v1/imports`` (multipart) answers 202 with the job; ``GET /api/v1/jobs/{id}``
follows its progress, and its message lists every row's problem when nothing was imported.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from homeward.accounts.models import Mission
from homeward.cases.schemas import ErrorOut
from homeward.core.errors import ServiceError
from homeward.imports import checking, runners, selectors, services
from homeward.jobs.services import job_start
from homeward.programmes.models import Programme

router = Router(tags=["imports"])


class ImportStartedOut(Schema):
    job_id: int
    upload_id: int
    rows: int
    status_url: str


@router.post(
    "/imports",
    response={202: ImportStartedOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Import a tracker (XLSX or CSV) with a saved mapping, all rows or none, as a background job",
)
def import_start(
    request: HttpRequest,
    file: File[UploadedFile],
    mission: Form[str],
    mapping: Form[str],
    programme: Form[str] = "",
    dry_run: Form[bool] = False,
    allow_duplicates: Form[bool] = False,
) -> Status:
    """``mission`` and ``programme`` are codes, ``mapping`` the name of a mapping saved for the mission."""
    known = Mission.objects.filter(code=mission.upper()).first()
    if known is None:
        raise ServiceError(
            _("Unknown mission."), {"mission": [_("No mission has the code %(code)s.") % {"code": mission}]}
        )
    # Refused as registering a case by hand would be, before any mapping or file is looked at.
    target = selectors.import_missions(request.user).filter(pk=known.pk).first()
    if target is None:
        raise PermissionDenied(_("You may not register cases for %(mission)s.") % {"mission": known.code})
    saved = selectors.mapping_named(request.user, target, mapping)
    if saved is None:
        raise ServiceError(_("No mapping of that name is saved for the mission."), {"mapping": [_("Unknown mapping.")]})
    chosen = None
    if programme:
        chosen = Programme.objects.filter(code=programme).first()
        if chosen is None:
            raise ServiceError(_("Unknown programme."), {"programme": [_("Choose a programme of the mission.")]})
    upload = services.upload_create(
        acting_user=request.user,
        mission=target,
        programme=chosen,
        data=services.uploaded_bytes(file),
        file_name=file.name or "",
    )
    options = checking.Options(saved.columns, saved.date_order, allow_duplicates)
    job = job_start(
        kind=runners.KIND,
        title=runners.job_title(file_name=upload.file_name, dry_run=dry_run),
        acting_user=request.user,
        params=runners.job_params(upload_id=upload.pk, options=options, dry_run=dry_run, language=get_language()),
    )
    status_url = reverse("api:job_get", kwargs={"job_id": job.pk})
    return Status(202, {"job_id": job.pk, "upload_id": upload.pk, "rows": upload.rows, "status_url": status_url})
