"""The import pages: upload a tracker, map its columns, check it (dry run) and import it.

Thin views: a form parses, a service writes, the import itself runs as a
background job with visible progress. Only users who may register cases in a
mission see these pages (a 403 otherwise); another person's upload is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from homeward.accounts.models import User
from homeward.core.errors import ServiceError
from homeward.imports import checking, mapping, runners, selectors, services
from homeward.imports.forms import MappingForm, UploadForm
from homeward.imports.models import TrackerUpload
from homeward.jobs.services import job_start
from homeward.programmes.models import Programme


def _require_importer(user: User) -> list[object]:
    missions = list(selectors.import_missions(user))
    if not missions:
        raise PermissionDenied(_("Your role does not import cases."))
    return missions


def _upload_form(request: HttpRequest, data: object = None, files: object = None) -> UploadForm:
    missions = _require_importer(request.user)
    return UploadForm(data, files, missions=missions, programmes=list(selectors.import_programmes(request.user)))


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = _upload_form(request, request.POST, request.FILES)
        if form.is_valid():
            mission = selectors.import_missions(request.user).get(pk=form.cleaned_data["mission"])
            programme_id = form.cleaned_data["programme"]
            programme = Programme.objects.filter(pk=programme_id).first() if programme_id else None
            file = form.cleaned_data["file"]
            try:
                upload = services.upload_create(
                    acting_user=request.user, mission=mission, programme=programme,
                    data=services.uploaded_bytes(file), file_name=file.name,
                )  # fmt: skip
            except ServiceError as exc:
                form.add_service_error(exc)
            else:
                return redirect("imports:map", pk=upload.pk)
    else:
        form = _upload_form(request)
    context = {
        "form": form,
        "uploads": selectors.uploads_of(request.user)[:20],
        "mappings": selectors.mappings_for(request.user),
    }
    return render(request, "imports/home.html", context, status=400 if form.errors else 200)


def _initial_columns(request: HttpRequest, upload: TrackerUpload, headers: list[str]) -> tuple[dict[str, str], str]:
    chosen = request.GET.get("mapping", "")
    saved = (
        selectors.mappings_for(request.user, upload.mission).filter(pk=int(chosen)).first()
        if chosen.isdigit()
        else None
    )
    if saved is None:
        return mapping.guess(headers), mapping.DateOrder.AUTO
    return mapping.guess(headers, saved.columns), saved.date_order


@require_http_methods(["GET", "POST"])
def map_columns(request: HttpRequest, pk: int) -> HttpResponse:
    upload = selectors.upload_for(request.user, pk)
    try:
        sheet = services.read_upload(upload)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("imports:home")
    columns, date_order = _initial_columns(request, upload, sheet.headers)
    form = MappingForm(request.POST or None, sheet=sheet, initial_columns=columns, initial={"date_order": date_order})
    context = {
        "upload": upload, "sheet": sheet, "form": form,
        "mappings": selectors.mappings_for(request.user, upload.mission),
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        response = _act(request, upload, form, context)
        if response is not None:
            return response
    return render(request, "imports/map.html", context, status=400 if form.errors else 200)


def _act(
    request: HttpRequest, upload: TrackerUpload, form: MappingForm, context: dict[str, object]
) -> HttpResponse | None:
    """Save the mapping if named, then check inline or start the job; ``None`` shows the page again."""
    d = form.cleaned_data
    options = checking.Options(d["columns"], d["date_order"], d["allow_duplicates"])
    try:
        if d["mapping_name"]:
            services.mapping_save(
                acting_user=request.user, mission=upload.mission, name=d["mapping_name"],
                columns=d["columns"], date_order=d["date_order"],
            )  # fmt: skip
            messages.success(request, _("The mapping “%(name)s” is saved.") % {"name": d["mapping_name"].strip()})
        dry_run = request.POST.get("action") != "import"
        if dry_run and upload.rows <= settings.HOMEWARD_EXPORT_INLINE_ROWS:
            context["outcome"] = services.tracker_run(
                acting_user=request.user, upload=upload, options=options, dry_run=True
            )
            return None
        job = job_start(
            kind=runners.KIND,
            title=runners.job_title(file_name=upload.file_name, dry_run=dry_run),
            acting_user=request.user,
            params=runners.job_params(upload_id=upload.pk, options=options, dry_run=dry_run, language=get_language()),
        )
    except services.ImportRefused as exc:
        context["refused"] = exc
        return None
    except ServiceError as exc:
        form.add_service_error(exc)
        return None
    return redirect("jobs:detail", pk=job.pk)
