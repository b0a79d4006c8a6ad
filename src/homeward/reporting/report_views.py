"""Donor report pages: the programmes to report on, a programme's figures for a period, saved reports
(narrative, submission, the frozen copy and its differences with today), their PDF and XLSX, and the
indicator definitions.

Thin: the period is read by ``forms.ReportQueryForm``, reads go through ``report_selectors``,
writes through ``services``. A programme or report the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reporting import figures, report_layout, report_pdf, report_selectors, report_xlsx, selectors, services
from homeward.reporting.forms import NarrativeForm, NewReportForm, ReportQueryForm
from homeward.reporting.indicators import DIMENSIONS, INDICATORS
from homeward.reporting.models import DonorReport

PDF_TYPE = "application/pdf"


def _require_figures(request: HttpRequest) -> None:
    if not selectors.may_report(request.user):
        raise PermissionDenied(_("Your role does not see programme figures."))


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(doc: figures.Doc, extension: str, report: DonorReport | None = None) -> str:
    period = doc["period"]
    suffix = f"-{report.pk}" if report else ""
    return f"report-{slugify(doc['programme']['code'])}-{period['from']}-{period['to']}{suffix}.{extension}"


def _query(request: HttpRequest, programme: Programme) -> ReportQueryForm:
    """The period asked for; without one, the life of the programme (shown in the fields)."""
    data = request.GET.copy()
    if not data.get("from") and not data.get("to"):
        data["from"], data["to"] = programme.start.isoformat(), programme.end.isoformat()
    return ReportQueryForm(data, user=request.user, programme=programme)


def _query_string(form: ReportQueryForm) -> str:
    period = form.cleaned_data["period"]
    pairs = [("from", period.start.isoformat()), ("to", period.end.isoformat())]
    pairs += [("mission", code) for code in form.cleaned_data.get("mission") or []]
    return urlencode(pairs)


# ---------------------------------------------------------------- home and definitions


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _require_figures(request)
    rows = [
        {
            "programme": p,
            "reports": list(report_selectors.reports_of(request.user, p)),
            "may_write": report_selectors.may_write(request.user, p),
        }
        for p in selectors.report_programmes(request.user).prefetch_related("missions")
    ]
    return render(request, "reporting/reports_home.html", {"rows": rows})


@require_GET
def definitions(request: HttpRequest) -> HttpResponse:
    """Every indicator in words, grouped by section, so a donor can read what a number means."""
    _require_figures(request)
    groups: dict[str, list[dict[str, Any]]] = {}
    for indicator in INDICATORS:
        groups.setdefault(str(indicator.section), []).append({
            "indicator": indicator,
            "unit": report_layout.UNIT_NAMES.get(indicator.unit, indicator.unit),
            "disaggregations": [str(DIMENSIONS[d].name) for d in indicator.disaggregations],
        })  # fmt: skip
    return render(request, "reporting/definitions.html", {"groups": groups})


# ---------------------------------------------------------------- a programme's figures for a period


def _report_context(request: HttpRequest, doc: figures.Doc) -> dict[str, Any]:
    return {
        "doc": doc,
        "sections": report_layout.sections(doc),
        "suppressed": doc.get("suppression", {}).get("applied"),
        "generated_at": report_layout.generated_at(doc),
        "narrative_titles": report_layout.narrative_titles(),
    }


@require_GET
def programme_report(request: HttpRequest, programme_id: int) -> HttpResponse:
    _require_figures(request)
    programme = selectors.report_programme_for(request.user, programme_id)
    form = _query(request, programme)
    context: dict[str, Any] = {
        "programme": programme,
        "form": form,
        "quick": report_layout.quick_periods(programme),
        "missions_shown": len(form.fields["mission"].choices) > 1,
        "may_write": report_selectors.may_write(request.user, programme),
        "saved": list(report_selectors.reports_of(request.user, programme)[:20]),
    }
    if not form.is_valid():
        context["error"] = form.message()
        return render(request, "reporting/report_programme.html", context, status=400)
    try:
        doc = report_selectors.live_document(
            request.user, programme, form.cleaned_data["period"], form.cleaned_data["missions"]
        )
    except ServiceError as error:
        context["error"] = error.message
        return render(request, "reporting/report_programme.html", context, status=400)
    query = _query_string(form)
    context.update(_report_context(request, doc))
    context.update({"query": query, "new_form": NewReportForm(), "mission_codes": form.cleaned_data.get("mission")})
    return render(request, "reporting/report_programme.html", context)


def _live_document(request: HttpRequest, programme_id: int) -> tuple[figures.Doc | None, str]:
    programme = selectors.report_programme_for(request.user, programme_id)
    form = _query(request, programme)
    if not form.is_valid():
        return None, form.message()
    try:
        return (
            report_selectors.live_document(
                request.user, programme, form.cleaned_data["period"], form.cleaned_data["missions"]
            ),
            "",
        )
    except ServiceError as error:
        return None, error.message


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reporting/report_error.html", {"message": message}, status=400)


@require_GET
def programme_report_pdf(request: HttpRequest, programme_id: int) -> HttpResponse:
    _require_figures(request)
    doc, message = _live_document(request, programme_id)
    if doc is None:
        return _bad_request(request, message)
    return _download(report_pdf.report_pdf(doc), PDF_TYPE, _file_name(doc, "pdf"))


@require_GET
def programme_report_xlsx(request: HttpRequest, programme_id: int) -> HttpResponse:
    _require_figures(request)
    doc, message = _live_document(request, programme_id)
    if doc is None:
        return _bad_request(request, message)
    return _download(report_xlsx.report_xlsx(doc), report_xlsx.XLSX_TYPE, _file_name(doc, "xlsx"))


@require_POST
def report_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Start a draft for the period and missions of the page it was started from."""
    _require_figures(request)
    programme = selectors.report_programme_for(request.user, programme_id)
    form = ReportQueryForm(request.POST, user=request.user, programme=programme)
    title = NewReportForm(request.POST)
    back = reverse("reporting:programme_report", args=[programme.pk])
    if not form.is_valid() or not title.is_valid():
        messages.error(request, form.message() or _("Nothing was saved: check the title."))
        return redirect(back)
    try:
        report = services.report_create(
            acting_user=request.user,
            programme=programme,
            period=form.cleaned_data["period"],
            missions=form.cleaned_data["missions"],
            title=title.cleaned_data["title"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(f"{back}?{_query_string(form)}")
    messages.success(request, _("Draft report started: write its narrative, then submit it."))
    return redirect("reporting:saved_report", report_id=report.pk)


# ---------------------------------------------------------------- saved reports


def _saved_context(request: HttpRequest, report: DonorReport, form: NarrativeForm | None = None) -> dict[str, Any]:
    doc = report_selectors.document(request.user, report)
    may_write = report_selectors.may_write(request.user, report.programme)
    context = {
        "report": report,
        "programme": report.programme,
        "may_edit": may_write and report.is_draft,
        "form": form or NarrativeForm(initial={"title": report.title, **report.narrative()}),
        "narrative": [(name, title, getattr(report, name)) for name, title in report_layout.narrative_titles().items()],
        **_report_context(request, doc),
    }
    if not report.is_draft:
        try:
            today = report_selectors.today_document(request.user, report)
        except ServiceError as error:  # e.g. one mission's figures, which a viewer of several sees only together
            context["differences_refused"] = error.message
        else:
            context["differences"] = report_layout.difference_rows(figures.differences(doc, today), doc)
            context["today_generated_at"] = report_layout.generated_at(today)
    return context


@require_GET
def saved_report(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_figures(request)
    report = report_selectors.report_for_user(request.user, report_id)
    return render(request, "reporting/report_saved.html", _saved_context(request, report))


@require_POST
def report_narrative(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_figures(request)
    report = report_selectors.report_for_user(request.user, report_id)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.report_update_narrative(acting_user=request.user, report=report, data=form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("The narrative is saved."))
            return redirect("reporting:saved_report", report_id=report.pk)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    report.refresh_from_db()
    return render(request, "reporting/report_saved.html", _saved_context(request, report, form), status=400)


@require_POST
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_figures(request)
    report = report_selectors.report_for_user(request.user, report_id)
    try:
        services.report_submit(acting_user=request.user, report=report)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The report is submitted: its figures are frozen as they are now."))
    return redirect("reporting:saved_report", report_id=report.pk)


def _saved_download(request: HttpRequest, report_id: int) -> tuple[DonorReport, figures.Doc]:
    _require_figures(request)
    report = report_selectors.report_for_user(request.user, report_id)
    return report, report_selectors.document(request.user, report)


@require_GET
def saved_report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report, doc = _saved_download(request, report_id)
    return _download(report_pdf.report_pdf(doc, report), PDF_TYPE, _file_name(doc, "pdf", report))


@require_GET
def saved_report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    report, doc = _saved_download(request, report_id)
    return _download(report_xlsx.report_xlsx(doc, report), report_xlsx.XLSX_TYPE, _file_name(doc, "xlsx", report))
