"""Survey pages: a case's surveys (record the RSS and satisfaction questionnaires), the instruments
(XLSForm download, loading a weight table) and the Kobo/ODK import (upload, preview, confirm).

Thin views: parse a form, call one service, redirect or show the page again with the
errors. A case the user may not see is a 404; an action the role may not take, a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.surveys import kobo, policy, selectors, services
from homeward.surveys.forms import KoboUploadForm, ResponseForm, SatisfactionForm, WeightTableForm
from homeward.surveys.models import Instrument, Status

IMPORT_SALT = "homeward.surveys.kobo-import"


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def _upload(form: Any) -> bytes:
    return form.cleaned_data["file"].read()


# ---------------------------------------------------------------- a case's surveys


def _page(
    request: HttpRequest,
    case: Case,
    *,
    rss_form: ResponseForm | None = None,
    satisfaction_form: SatisfactionForm | None = None,
    code: str = "",
) -> HttpResponse:
    user = request.user
    instrument = services.current_instrument()
    questionnaires = list(selectors.questionnaires())
    chosen = next((q for q in questionnaires if q.code == (code or request.GET.get("questionnaire"))), None)
    chosen = chosen or (questionnaires[0] if questionnaires else None)
    if rss_form is None and instrument is not None and policy.may_record(user, case):
        rss_form = ResponseForm(instrument=instrument)
    if satisfaction_form is None and chosen is not None and policy.may_record_satisfaction(user, case):
        satisfaction_form = SatisfactionForm(questionnaire=chosen)
    responses = selectors.responses_of(user, case)
    context = {
        "case": case,
        "instrument": instrument,
        "responses": responses,
        "latest_first": list(reversed(responses)),
        "satisfaction": list(selectors.satisfaction_of(user, case)),
        "questionnaires": questionnaires,
        "chosen": chosen,
        "rss_form": rss_form,
        "satisfaction_form": satisfaction_form,
    }
    bound = (rss_form is not None and rss_form.is_bound) or (
        satisfaction_form is not None and satisfaction_form.is_bound
    )
    return render(request, "surveys/case_surveys.html", context, status=400 if bound else 200)


@require_GET
def case_surveys(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _case(request, reference))


@require_POST
def rss_record(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not policy.may_record(request.user, case):
        raise PermissionDenied(_("Your role may not record surveys for this case."))
    instrument = services.current_instrument()
    if instrument is None:
        raise Http404
    form = ResponseForm(request.POST, instrument=instrument)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.response_record(acting_user=request.user, case=case, instrument=instrument,
                                     answers=form.answers(), taken_on=d["taken_on"], kind=d["kind"])  # fmt: skip
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Survey recorded and scored."))
            return redirect(reverse("surveys:case_surveys", args=[case.reference]) + "#responses")
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _page(request, case, rss_form=form)


@require_POST
def satisfaction_record(request: HttpRequest, reference: str, code: str) -> HttpResponse:
    case = _case(request, reference)
    if not policy.may_record_satisfaction(request.user, case):
        raise PermissionDenied(_("Your role may not record satisfaction surveys for this case."))
    services.shipped_ensure()
    questionnaire = selectors.questionnaire(code)
    form = SatisfactionForm(request.POST, questionnaire=questionnaire)
    if form.is_valid():
        try:
            services.satisfaction_record(acting_user=request.user, case=case, questionnaire=questionnaire,
                                         answers=form.answers(), taken_on=form.cleaned_data["taken_on"])  # fmt: skip
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Satisfaction survey recorded."))
            return redirect(reverse("surveys:case_surveys", args=[case.reference]) + "#satisfaction")
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _page(request, case, satisfaction_form=form, code=code)


# ---------------------------------------------------------------- instruments


def _instruments_page(request: HttpRequest, form: WeightTableForm | None = None) -> HttpResponse:
    services.shipped_ensure()
    may_manage = policy.may_manage(request.user)
    context = {
        "instruments": list(selectors.instruments()),
        "questionnaires": list(selectors.questionnaires()),
        "may_manage": may_manage,
        "form": form or (WeightTableForm() if may_manage else None),
    }
    return render(request, "surveys/instruments.html", context, status=400 if form is not None else 200)


@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    return _instruments_page(request)


@require_GET
def instrument_xlsform(request: HttpRequest, instrument_id: int) -> HttpResponse:
    instrument = selectors.instrument_for(instrument_id)
    response = HttpResponse(
        kobo.xlsform(instrument), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{kobo.form_id(instrument)}.xlsx"'
    return response


@require_POST
def weight_table_load(request: HttpRequest) -> HttpResponse:
    if not policy.may_manage(request.user):
        raise PermissionDenied(_("Only an administrator loads weight tables."))
    form = WeightTableForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = services.parse_text(_upload(form))
            if not isinstance(data, dict) or "weight_table" not in data:
                raise ServiceError(
                    _("The file holds no weight_table."), {"file": [_("The file holds no weight_table.")]}
                )
            loaded = services.survey_load(acting_user=request.user, data={"weight_table": data["weight_table"]})
        except ServiceError as error:
            form.add_service_error(error)
            for place, problems in error.fields.items():
                if place != "file":
                    form.add_error("file", f"{place}: {'; '.join(problems)}")
            messages.error(request, error.message)
        else:
            messages.success(request, _("Loaded: %(what)s.") % {"what": loaded})
            return redirect("surveys:instruments")
    return _instruments_page(request, form)


@require_POST
def instrument_status(request: HttpRequest, instrument_id: int) -> HttpResponse:
    instrument = selectors.instrument_for(instrument_id)
    if not policy.may_manage(request.user):
        raise PermissionDenied(_("Only an administrator retires survey instruments."))
    status = Status.RETIRED if request.POST.get("status") == Status.RETIRED else Status.ACTIVE
    services.instrument_set_status(acting_user=request.user, instrument=instrument, status=status)
    messages.success(request, _("%(instrument)s is now %(status)s.") % {"instrument": instrument,
                                                                         "status": Status(status).label})  # fmt: skip
    return redirect("surveys:instruments")


# ---------------------------------------------------------------- Kobo / ODK import


def _active_instruments() -> list[Instrument]:
    services.shipped_ensure()
    return list(selectors.instruments().filter(status=Status.ACTIVE))


@require_http_methods(["GET", "POST"])
def kobo_upload(request: HttpRequest) -> HttpResponse:
    """Upload an export and see each row, matched to a case, with what stops it being imported."""
    if not policy.may_import(request.user):
        raise PermissionDenied(_("Your role may not import surveys."))
    instruments = _active_instruments()
    if request.method == "GET":
        return render(request, "surveys/import.html", {"form": KoboUploadForm(instruments=instruments)})
    form = KoboUploadForm(request.POST, request.FILES, instruments=instruments)
    if not form.is_valid():
        return render(request, "surveys/import.html", {"form": form}, status=400)
    instrument = next(i for i in instruments if i.pk == form.cleaned_data["instrument"])
    try:
        submissions = kobo.read_submissions(_upload(form))
    except ServiceError as error:
        form.add_service_error(error)
        return render(request, "surveys/import.html", {"form": form}, status=400)
    rows = kobo.preview(request.user, instrument, submissions)
    token = signing.dumps({"instrument": instrument.pk, "rows": kobo.as_data(rows)}, salt=IMPORT_SALT, compress=True)
    context = {
        "form": form,
        "instrument": instrument,
        "rows": rows,
        "errors": sum(1 for r in rows if r.errors),
        "token": token,
    }
    return render(request, "surveys/import.html", context)


@require_POST
def kobo_confirm(request: HttpRequest) -> HttpResponse:
    """Import what the preview showed: all rows, or none if any has an error now."""
    if not policy.may_import(request.user):
        raise PermissionDenied(_("Your role may not import surveys."))
    try:
        payload = signing.loads(request.POST.get("token", ""), salt=IMPORT_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was altered: upload the file again."))
        return redirect("surveys:import")
    instrument = selectors.instrument_for(payload["instrument"])
    try:
        imported = services.kobo_import(
            acting_user=request.user, instrument=instrument, submissions=kobo.from_data(payload["rows"])
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("surveys:import")
    messages.success(request, _("%(count)s survey responses imported and scored.") % {"count": len(imported)})
    return redirect("surveys:import")
