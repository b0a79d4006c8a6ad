"""Privacy pages: a case's consents, a person's data export, a supervisor's erasure on request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.privacy import erasure, export, selectors, services
from homeward.privacy.forms import ConsentForm, EraseForm, WithdrawForm


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def _consents_page(
    request: HttpRequest, case: Case, form: ConsentForm | None = None, status: int = 200
) -> HttpResponse:
    can_manage = selectors.may_manage_consents(request.user, case)
    context = {
        "case": case,
        "register": selectors.register_of(case),
        "can_manage": can_manage,
        "form": form or ConsentForm(case=case, initial={"given_on": timezone.localdate()}),
        "withdraw_form": WithdrawForm(initial={"withdrawn_on": timezone.localdate()}),
        "shares": selectors.shares_with_origin(case),
    }
    return render(request, "privacy/consents.html", context, status=status)


@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest, reference: str) -> HttpResponse:
    """The consents of the case's members; a counsellor or supervisor of the host mission records one here."""
    case = _case(request, reference)
    if request.method == "GET":
        return _consents_page(request, case)
    if not selectors.may_manage_consents(request.user, case):
        raise PermissionDenied(_("Only a counsellor or supervisor of the host mission records consents."))
    form = ConsentForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.consent_record(acting_user=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("privacy:consents", reference=case.reference)
    return _consents_page(request, case, form=form, status=400)


@require_POST
def consent_withdraw(request: HttpRequest, reference: str, consent_id: int) -> HttpResponse:
    case = _case(request, reference)
    consent = selectors.consent_of(case, consent_id)
    if not selectors.may_manage_consents(request.user, case):
        raise PermissionDenied(_("Only a counsellor or supervisor of the host mission records a withdrawal."))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The withdrawal was not recorded: give the date it was withdrawn."))
        return redirect("privacy:consents", reference=case.reference)
    try:
        services.consent_withdraw(acting_user=request.user, consent=consent, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(request, _("Withdrawal recorded."))
    return redirect("privacy:consents", reference=case.reference)


@require_POST
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """Download everything held about the person, in the cases the user may see (JSON or PDF); audited."""
    person = selectors.person_for_user(request.user, person_id)
    fmt = request.POST.get("format", "json")
    if fmt not in ("json", "pdf"):
        fmt = "json"
    cases = list(selectors.cases_of_person_for(request.user, person))
    data = export.person_data(request.user, person, cases)
    services.export_record(acting_user=request.user, person=person, format=fmt, cases=cases)
    if fmt == "pdf":
        response = HttpResponse(export.as_pdf(data), content_type="application/pdf")
    else:
        response = HttpResponse(export.as_json(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(person, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def case_erase(request: HttpRequest, reference: str) -> HttpResponse:
    """A supervisor anonymises a closed case's persons at their request, with a reason."""
    case = _case(request, reference)
    if not permissions.has_perm_in(request.user, Perm.SUPERVISE, case.host_mission_id):
        raise PermissionDenied(_("Only a case supervisor of the host mission anonymises a case's persons."))
    form = EraseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                done = services.person_erase(acting_user=request.user, case=case, **form.cleaned_data)
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(count)s persons anonymised.") % {"count": len(done)})
                return redirect("cases:detail", reference=case.reference)
        status = 400
    context = {"case": case, "form": form, "refusal": erasure.refusal(case)}
    return render(request, "privacy/erase.html", context, status=status)
