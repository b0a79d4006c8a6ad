"""Partners pages: the directory, a partner's page and its contacts, and the referrals in on a case.

Thin views: parse a form, call one service, redirect or show the page again with the
errors. A partner of another mission is a 404; a write the role may not make, a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import Mission
from homeward.cases import selectors as case_selectors
from homeward.core.errors import ServiceError
from homeward.core.forms import show_refusal
from homeward.partners import selectors, services
from homeward.partners.forms import ContactForm, IncomingReferralForm, PartnerForm, PartnerSearchForm
from homeward.partners.models import Partner

_NOT_A_WRITER = gettext_lazy(
    "Only the mission's case supervisors, movement officers and administrators keep its partners directory."
)


def _require_writer(request: HttpRequest, partner: Partner) -> None:
    if not selectors.may_write(request.user, partner.mission_id):
        raise PermissionDenied(_NOT_A_WRITER)


# ---------------------------------------------------------------- the directory


@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    if not selectors.read_missions(request.user):
        raise PermissionDenied(_("Your role does not show the partners directory."))
    form = PartnerSearchForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    filters = selectors.PartnerFilters(
        kind=d.get("kind", ""), country=d.get("country", ""), q=d.get("q", ""), inactive=d.get("inactive", False)
    )
    partners = list(selectors.partners_for(request.user, filters))
    figures = selectors.turnaround(p.pk for p in partners if p.kind in Partner.ISSUERS)
    groups = []
    for kind, label in Partner.Kind.choices:
        rows = [(p, figures.get(p.pk)) for p in partners if p.kind == kind]
        if rows:
            groups.append({"kind": kind, "label": label, "rows": rows, "issuers": kind in Partner.ISSUERS})
    context = {
        "form": form,
        "groups": groups,
        # Providers are not partners of a kind: a kind chosen leaves them out.
        "providers": [] if filters.kind else list(selectors.providers_for(request.user, filters)),
        "can_create": bool(selectors.write_missions(request.user)),
        "several_missions": len(selectors.read_missions(request.user)) > 1,
    }
    return render(request, "partners/partner_list.html", context)


def _detail_page(request: HttpRequest, partner: Partner, contact_form: ContactForm | None = None) -> HttpResponse:
    writer = selectors.may_write(request.user, partner.mission_id)
    context = {
        "partner": partner,
        "contacts": list(partner.contacts.all()),
        "turnaround": selectors.turnaround([partner.pk]).get(partner.pk),
        "issuer": partner.kind in Partner.ISSUERS,
        "can_write": writer,
        "contact_form": contact_form or (ContactForm(prefix="contact") if writer else None),
    }
    return render(request, "partners/partner_detail.html", context, status=400 if contact_form else 200)


@require_GET
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.partner_for(request.user, pk))


def _input(d: dict[str, Any]) -> services.PartnerInput:
    names = ("kind", "name", "country", "city", "address", "phone", "email", "website", "role")
    return services.PartnerInput(**{name: d[name] for name in names})


def _form_page(request: HttpRequest, form: PartnerForm, title: str, partner: Partner | None = None) -> HttpResponse:
    context = {"form": form, "title": title, "partner": partner}
    return render(request, "partners/partner_form.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    missions = list(Mission.objects.filter(pk__in=selectors.write_missions(request.user)).order_by("code"))
    if not missions:
        raise PermissionDenied(_NOT_A_WRITER)
    initial = {"kind": request.GET.get("kind", ""), "country": request.GET.get("country", "")}
    form = PartnerForm(request.POST or None, missions=missions, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                partner = services.partner_create(
                    acting_user=request.user, mission=form.cleaned_data["mission"], data=_input(form.cleaned_data)
                )
            except ServiceError as error:
                show_refusal(request, form, error)
            else:
                messages.success(request, _("%(name)s added to the directory.") % {"name": partner.name})
                return redirect("partners:detail", partner.pk)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    return _form_page(request, form, _("Add a partner"))


@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_for(request.user, pk)
    _require_writer(request, partner)
    names = ("kind", "name", "country", "city", "address", "phone", "email", "website", "role")
    initial = {"mission": partner.mission_id, **{name: getattr(partner, name) for name in names}}
    initial["country"] = str(partner.country)
    form = PartnerForm(request.POST or None, missions=[partner.mission], initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.partner_update(acting_user=request.user, partner=partner, data=_input(form.cleaned_data))
            except ServiceError as error:
                show_refusal(request, form, error)
            else:
                messages.success(request, _("Partner saved."))
                return redirect("partners:detail", partner.pk)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    return _form_page(request, form, _("Edit %(name)s") % {"name": partner.name}, partner)


@require_POST
def partner_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    partner = selectors.partner_for(request.user, pk)
    services.partner_set_active(acting_user=request.user, partner=partner, active=active)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": partner.name})
    else:
        messages.success(request, _("%(name)s is deactivated: its history stays.") % {"name": partner.name})
    return redirect("partners:detail", partner.pk)


@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    partner = selectors.partner_for(request.user, pk)
    _require_writer(request, partner)
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            services.contact_add(acting_user=request.user, partner=partner, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Contact added."))
            return redirect(reverse("partners:detail", args=[partner.pk]) + "#contacts")
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _detail_page(request, partner, form)


@require_POST
def contact_remove(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    partner = selectors.partner_for(request.user, pk)
    contact = get_object_or_404(partner.contacts, pk=contact_id)
    services.contact_remove(acting_user=request.user, contact=contact)
    messages.success(request, _("Contact removed."))
    return redirect(reverse("partners:detail", args=[partner.pk]) + "#contacts")


# ---------------------------------------------------------------- referrals in, on a case


def _case_back(case: Any) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.reference]) + "#partners-panel")


@require_POST
def referral_record(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_for_user(request.user, reference=reference)
    form = IncomingReferralForm(request.POST, prefix="referral", partners=list(selectors.referring_partners(case)))
    if form.is_valid():
        try:
            services.incoming_referral_record(acting_user=request.user, case=case, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Referral recorded."))
    else:
        labels = {name: field.label for name, field in form.fields.items()}
        errors = "; ".join(f"{labels.get(name, '')}: {' '.join(msgs)}" for name, msgs in form.errors.items())
        messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": errors})
    return _case_back(case)


@require_POST
def referral_remove(request: HttpRequest, reference: str, referral_id: int) -> HttpResponse:
    case = case_selectors.case_for_user(request.user, reference=reference)
    referral = get_object_or_404(selectors.referrals_of(case), pk=referral_id)
    services.incoming_referral_remove(acting_user=request.user, referral=referral)
    messages.success(request, _("Referral removed."))
    return _case_back(case)
