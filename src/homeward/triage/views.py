"""Triage pages: the queue of inquiries and one inquiry with what staff can do about it.

Thin views: parse a form, call one service, redirect or show the page again with the
errors. An inquiry of another mission is a 404; a write the role may not make, a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core import languages
from homeward.core.errors import ServiceError
from homeward.core.forms import show_refusal
from homeward.triage import selectors, services
from homeward.triage.forms import AssignForm, CloseForm, ContactForm, ConvertForm, TriageForm
from homeward.triage.models import Inquiry


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    found = selectors.queue(
        request.user, status=request.GET.get("status", "open"), query=request.GET.get("q", "").strip()[:100]
    )
    labels = {
        "open": _("Open"),
        "new": _("New"),
        "mine": _("Assigned to me"),
        "contacted": _("Contacted"),
        "converted": _("Became a case"),
        "closed": _("Closed"),
    }
    tabs = [(key, labels[key], found.counts[key]) for key in selectors.FILTERS]
    return render(request, "triage/queue.html", {"queue": found, "tabs": tabs})


def _book_url(inquiry: Inquiry) -> str:
    # The appointments app may not offer booking yet: the page works without the link.
    try:
        return reverse("appointments:book") + f"?inquiry={inquiry.pk}"
    except NoReverseMatch:
        return ""


def _inquiry_page(request: HttpRequest, inquiry: Inquiry, bound: dict[str, TriageForm] | None = None) -> HttpResponse:
    bound = bound or {}
    user = request.user
    supervisor = permissions.has_perm_in(user, Perm.ASSIGN_CASE, inquiry.mission_id)
    counsellors = list(selectors.counsellors_of(inquiry.mission_id))
    if not supervisor:
        # A counsellor can only take an unassigned inquiry himself.
        counsellors = [u for u in counsellors if u.pk == user.pk and inquiry.assigned_to_id in (None, user.pk)]
    assign_form = bound.get("assign")
    if assign_form is None and counsellors and inquiry.is_open:
        assign_form = AssignForm(
            counsellors=counsellors, prefix="assign", initial={"counsellor": inquiry.assigned_to_id or user.pk}
        )
    context = {
        "inquiry": inquiry,
        "attempts": list(selectors.attempts_of(inquiry)),
        "language_name": languages.name(inquiry.language) if inquiry.language else "",
        "assign_form": assign_form if inquiry.is_open else None,
        "contact_form": bound.get("contact") or (ContactForm(prefix="contact") if inquiry.is_open else None),
        "close_form": bound.get("close") or (CloseForm(prefix="close") if inquiry.is_open else None),
        "may_reopen": inquiry.status == Inquiry.Status.CLOSED
        and permissions.has_perm_in(user, Perm.SUPERVISE, inquiry.mission_id),
        "book_url": _book_url(inquiry) if inquiry.is_open else "",
        "open": next(iter(bound), ""),
    }
    return render(request, "triage/inquiry.html", context, status=400 if bound else 200)


@require_GET
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _inquiry_page(request, selectors.inquiry_for(request.user, pk))


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_for(request.user, pk)
    counsellors = list(selectors.counsellors_of(inquiry.mission_id))
    form = AssignForm(request.POST, counsellors=counsellors, prefix="assign")
    if form.is_valid():
        counsellor = next(u for u in counsellors if u.pk == form.cleaned_data["counsellor"])
        try:
            services.inquiry_assign(acting_user=request.user, inquiry=inquiry, counsellor=counsellor)
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(
                request, _("Inquiry assigned to %(name)s.") % {"name": counsellor.get_full_name() or counsellor}
            )
            return redirect("triage:inquiry", inquiry.pk)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _inquiry_page(request, selectors.inquiry_for(request.user, pk), {"assign": form})


@require_POST
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_for(request.user, pk)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.contact_record(
                acting_user=request.user, inquiry=inquiry, channel=d["channel"], reached=d["reached"],
                at=d["at"], note=d["note"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Contact attempt recorded."))
            return redirect(reverse("triage:inquiry", args=[inquiry.pk]) + "#history")
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _inquiry_page(request, selectors.inquiry_for(request.user, pk), {"contact": form})


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_for(request.user, pk)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            services.inquiry_close(
                acting_user=request.user, inquiry=inquiry, reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Inquiry %(code)s closed.") % {"code": inquiry.code})
            return redirect("triage:inquiry", inquiry.pk)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _inquiry_page(request, selectors.inquiry_for(request.user, pk), {"close": form})


@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = selectors.inquiry_for(request.user, pk)
    try:
        services.inquiry_reopen(acting_user=request.user, inquiry=inquiry)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Inquiry %(code)s reopened.") % {"code": inquiry.code})
    return redirect("triage:inquiry", inquiry.pk)


def _convert_initial(inquiry: Inquiry) -> dict[str, Any]:
    return {
        "given_names": inquiry.given_names,
        "family_name": inquiry.family_name,
        "phone": services.contact_phone(inquiry),
        "destination_country": str(inquiry.destination_country or ""),
    }


@require_http_methods(["GET", "POST"])
def convert(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirm page of "Turn into a case": the case's values, taken from the inquiry, correctable."""
    inquiry = selectors.inquiry_for(request.user, pk)
    if inquiry.case_id:
        messages.info(request, _("This inquiry already became case %(reference)s.") % {"reference": inquiry.case})
        return redirect("cases:detail", inquiry.case.reference)
    if not inquiry.is_open:
        messages.error(request, _("This inquiry is closed: a supervisor can reopen it."))
        return redirect("triage:inquiry", inquiry.pk)
    if request.method == "POST":
        form = ConvertForm(request.POST, prefix="case")
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = services.inquiry_to_case(
                    acting_user=request.user, inquiry=inquiry, given_names=d["given_names"],
                    family_name=d["family_name"], phone=d["phone"], destination_country=d["destination_country"],
                )  # fmt: skip
            except ServiceError as error:
                show_refusal(request, form, error)
            else:
                messages.success(
                    request,
                    _("Case %(reference)s opened from inquiry %(code)s.")
                    % {"reference": case.reference, "code": inquiry.code},
                )
                return redirect("cases:detail", case.reference)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
        inquiry = selectors.inquiry_for(request.user, pk)
    else:
        form = ConvertForm(prefix="case", initial=_convert_initial(inquiry))
    context = {
        "inquiry": inquiry,
        "form": form,
        "language_name": languages.name(inquiry.language) if inquiry.language else "",
        "person_language": services.person_language(inquiry.language),
        "notes": services.case_notes(inquiry),
        "counsellor": inquiry.assigned_to,
    }
    return render(request, "triage/convert.html", context, status=400 if form.is_bound else 200)
