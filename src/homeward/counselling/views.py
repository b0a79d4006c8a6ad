"""Counselling pages: sessions, the supervisor's sign-off, the declaration, its PDF and its signed scan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.cases import workflow
from homeward.cases.models import Case
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.counselling import pdf, selectors, services
from homeward.counselling.forms import DeclarationForm, ScanForm, SessionForm
from homeward.counselling.models import Declaration, Topic


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def _can_counsel(request: HttpRequest, case: Case) -> bool:
    return permissions.has_perm_in(request.user, Perm.COUNSEL, case.host_mission_id)


@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's counselling sessions and, for a counsellor, the form to record one."""
    case = _case(request, reference)
    can_counsel = _can_counsel(request, case)
    if request.method == "POST" and not can_counsel:
        raise PermissionDenied(_("Only a counsellor of the host mission can record a session."))
    form = SessionForm(request.POST or None, case=case) if can_counsel else None
    if form is not None and request.method == "POST":
        if form.is_valid():
            try:
                services.session_record(acting_user=request.user, case=case, **form.values())
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(request, _("Counselling session recorded."))
                return redirect("counselling:sessions", reference=case.reference)
        else:
            messages.error(request, _("The session was not saved: check the fields marked."))
    state = selectors.counselling_state(case)
    topics = dict(Topic.choices)
    return render(
        request,
        "counselling/sessions.html",
        {
            "case": case,
            "state": state,
            "form": form,
            "can_sign_off": permissions.has_perm_in(request.user, Perm.SUPERVISE, case.host_mission_id),
            "rows": [
                {
                    "session": s,
                    "language": selectors.language_name(s.language),
                    "topics": [topics.get(t, t) for t in s.topics],
                }
                for s in state.sessions
            ],
        },
    )


@require_POST
def session_sign_off(request: HttpRequest, reference: str, session_id: int) -> HttpResponse:
    case = _case(request, reference)
    session = selectors.session_of(case, session_id)
    try:
        services.session_sign_off(acting_user=request.user, session=session)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Voluntariness signed off."))
    return redirect("counselling:sessions", reference=case.reference)


def _declarations_page(
    request: HttpRequest,
    case: Case,
    *,
    form: DeclarationForm | None = None,
    scan_form: ScanForm | None = None,
    scan_for: Declaration | None = None,
    status: int = 200,
) -> HttpResponse:
    can_counsel = _can_counsel(request, case)
    declarations = list(selectors.declarations_of(case))
    adults = workflow.adults(case)
    rows = [
        {
            "declaration": d,
            "language": selectors.language_name(d.language),
            "parts": [selectors.language_name(code) for code in pdf.part_languages(d.language)],
            "unsigned": selectors.unsigned_adults(d, adults) if d.is_signed else [],
            "scan_form": (scan_form if scan_for is not None and scan_for.pk == d.pk else ScanForm(case=case))
            if can_counsel
            else None,
        }
        for d in declarations
    ]
    return render(
        request,
        "counselling/declarations.html",
        {
            "case": case,
            "rows": rows,
            "form": form or (DeclarationForm(case=case) if can_counsel else None),
            "can_counsel": can_counsel,
            "adults": adults,
            "blocked_by": [
                r
                for g in (workflow.informed_decision, workflow.voluntary_in_detention)
                if (r := g(case, workflow.Attempt(request.user)))
            ],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def declarations(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's declarations of voluntary return; a counsellor prepares a new one here."""
    case = _case(request, reference)
    if request.method == "GET":
        return _declarations_page(request, case)
    if not _can_counsel(request, case):
        raise PermissionDenied(_("Only a counsellor of the host mission can prepare the declaration."))
    form = DeclarationForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.declaration_generate(acting_user=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Declaration prepared: print it, have it signed, and upload the scan."))
            return redirect("counselling:declarations", reference=case.reference)
    return _declarations_page(request, case, form=form)


@require_GET
def declaration_pdf(request: HttpRequest, reference: str, declaration_id: int) -> HttpResponse:
    case = _case(request, reference)
    declaration = selectors.declaration_of(case, declaration_id)
    response = HttpResponse(pdf.declaration_pdf(declaration), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="declaration-{case.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def declaration_upload(request: HttpRequest, reference: str, declaration_id: int) -> HttpResponse:
    case = _case(request, reference)
    declaration = selectors.declaration_of(case, declaration_id)
    if not _can_counsel(request, case):
        raise PermissionDenied(_("Only a counsellor of the host mission can upload the signed declaration."))
    form = ScanForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        try:
            services.declaration_upload_scan(acting_user=request.user, declaration=declaration, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Signed declaration uploaded."))
            return redirect("counselling:declarations", reference=case.reference)
    else:
        messages.error(request, _("The scan was not saved: check the fields marked."))
    return _declarations_page(request, case, scan_form=form, scan_for=declaration)


@require_GET
def declaration_scan(request: HttpRequest, reference: str, declaration_id: int) -> Any:
    """The signed scan, only to users who can see the case (``case_for_user`` 404s otherwise)."""
    case = _case(request, reference)
    declaration = selectors.declaration_of(case, declaration_id)
    extension = files.ALLOWED_TYPES.get(declaration.scan_content_type, "")
    return files.serve_private(
        declaration.scan, declaration.scan_content_type, f"declaration-{case.reference}-signed{extension}"
    )
