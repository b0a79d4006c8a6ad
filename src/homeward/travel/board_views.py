"""The movement officer's pages across cases: the day board and the arrival manifest."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_countries import countries

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.travel import board, manifest
from homeward.travel.forms import ManifestForm


@require_GET
def day_board(request: HttpRequest) -> HttpResponse:
    if not permissions.has_perm_anywhere(request.user, Perm.ARRANGE_TRAVEL):
        raise PermissionDenied(_("The day board is for those who arrange travel."))
    rows = board.day_board(request.user)
    return render(
        request,
        "travel/board.html",
        {
            "today": [r for r in rows if r.day == 0],
            "tomorrow": [r for r in rows if r.day == 1],
            "overdue": board.overdue_document_requests(request.user),
        },
    )


@require_GET
def arrival_manifest(request: HttpRequest) -> HttpResponse:
    if not manifest.may_see_manifests(request.user):
        raise PermissionDenied(_("Arrival manifests are for those who arrange travel or receive returnees."))
    form = ManifestForm(request.GET or None, initial={"date": timezone.localdate()})
    rows = None
    if form.is_valid():
        rows = manifest.arrival_manifest(
            request.user, on=form.cleaned_data["date"], country=form.cleaned_data["country"]
        )
    country = form.cleaned_data.get("country", "") if form.is_bound and form.is_valid() else ""
    return render(
        request,
        "travel/manifest.html",
        {"form": form, "rows": rows, "country_name": dict(countries).get(country, country)},
    )
