"""Provider pages: thin views that parse a form, call one service or selector, and render or redirect.

A role with no access to providers gets 403 on every page; a provider of a
mission the user does not work for is a 404.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.assistance import selectors, services
from homeward.assistance.forms import ProviderForm, ProviderSearchForm, VettingForm
from homeward.assistance.models import Provider
from homeward.core.errors import ServiceError

HISTORY_SHOWN = 25


def _require_access(request: HttpRequest) -> None:
    if not selectors.may_view_providers(request.user):
        raise PermissionDenied(_("Your role does not give access to service providers."))


def _provider(request: HttpRequest, provider_id: int) -> Provider:
    _require_access(request)
    return selectors.provider_for_user(request.user, provider_id)


def _detail(provider: Provider) -> HttpResponse:
    return redirect(reverse("assistance:provider_detail", args=[provider.pk]))


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    _require_access(request)
    form = ProviderSearchForm(request.GET or None)
    form.is_valid()  # an unknown filter value is shown as an error; the valid ones still apply
    given = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v}
    providers = selectors.provider_list(request.user, selectors.ProviderFilters(**given))
    page = Paginator(providers, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_register": selectors.missions_for_registration(request.user).exists(),
    }
    if request.htmx and request.htmx.target == "provider-results":
        return render(request, "assistance/_provider_results.html", context)
    return render(request, "assistance/provider_list.html", context)


@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    _require_access(request)
    missions = selectors.missions_for_registration(request.user)
    if not missions.exists():
        raise PermissionDenied(_("Your role does not register service providers."))
    bank = any(selectors.can_handle_bank_details(request.user, m.pk) for m in missions)
    initial: dict[str, Any] = {"active": True}
    if len(missions) == 1:
        initial["country"] = missions[0].country.code
    form = ProviderForm(request.POST or None, missions=missions, bank=bank, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                provider = services.provider_create(
                    acting_user=request.user,
                    mission=form.cleaned_data["mission"],
                    data=form.to_input(),  # type: ignore[arg-type]
                    bank=form.to_bank(),
                )
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(name)s registered, not vetted yet.") % {"name": provider.name})
                return _detail(provider)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    return render(request, "assistance/provider_form.html", {"form": form, "title": _("Register a service provider")})


@require_GET
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    user = request.user
    full_history = request.GET.get("history") == "all"
    rows = selectors.provider_history(user, provider, limit=200 if full_history else HISTORY_SHOWN + 1)
    context = {
        "provider": provider,
        "can_edit": selectors.can_edit(user, provider.mission_id),
        "sees_bank": selectors.can_handle_bank_details(user, provider.mission_id),
        "can_vet": selectors.can_edit(user, provider.mission_id) or selectors.can_decide_vetting(user, provider),
        "vetting": selectors.vetting_history(provider),
        "history": rows if full_history else rows[:HISTORY_SHOWN],
        "history_more": not full_history and len(rows) > HISTORY_SHOWN,
    }
    return render(request, "assistance/provider_detail.html", context)


@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    details = selectors.can_edit(request.user, provider.mission_id)
    bank = selectors.can_handle_bank_details(request.user, provider.mission_id)
    if not details and not bank:
        raise PermissionDenied(_("Your role does not change service providers."))
    initial: dict[str, Any] = asdict(services.provider_input_of(provider))
    if bank:
        initial |= asdict(services.bank_details_of(provider))
    form = ProviderForm(request.POST or None, details=details, bank=bank, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.provider_update(
                    acting_user=request.user, provider=provider, data=form.to_input(), bank=form.to_bank()
                )
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(name)s saved.") % {"name": provider.name})
                return _detail(provider)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    title = _("Change %(name)s") % {"name": provider.name}
    return render(request, "assistance/provider_form.html", {"form": form, "title": title, "provider": provider})


def _statuses(request: HttpRequest, provider: Provider) -> list[tuple[str, str]]:
    """The statuses this user may set: decisions only for those who may take them."""
    may_edit = selectors.can_edit(request.user, provider.mission_id)
    may_decide = selectors.can_decide_vetting(request.user, provider)
    return [
        (value, label)
        for value, label in Provider.Vetting.choices
        if (may_decide if value in Provider.DECISIONS else may_edit)
    ]


@require_http_methods(["GET", "POST"])
def provider_vetting(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    statuses = _statuses(request, provider)
    if not statuses:
        raise PermissionDenied(_("Your role does not vet service providers."))
    initial = {"status": provider.vetting_status, "decided_on": provider.vetted_on, "note": provider.vetting_note}
    form = VettingForm(request.POST or None, statuses=statuses, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.provider_vetting_set(acting_user=request.user, provider=provider, **form.cleaned_data)
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(name)s: %(status)s.")
                    % {"name": provider.name, "status": provider.get_vetting_status_display()},
                )
                return _detail(provider)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    context = {
        "form": form,
        "provider": provider,
        "title": _("Vetting of %(name)s") % {"name": provider.name},
        "registrar": provider.created_by_id == request.user.pk,
    }
    return render(request, "assistance/provider_vetting.html", context)
