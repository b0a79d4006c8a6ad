from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_GET, require_POST

from homeward.accounts import permissions, services
from homeward.accounts.roles import Perm
from homeward.core.errors import ServiceError


def _profile_context(request: HttpRequest) -> dict[str, object]:
    return {
        "memberships": request.user.memberships.select_related("mission"),
        "tokens": request.user.api_tokens.all(),
    }


class LoginView(auth_views.LoginView):
    """Log in, then switch to the language the user chose last time."""

    template_name = "accounts/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered on the user's profile."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(acting_user=request.user, language=language)
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Caseworkers start at their cases, those who see only figures at the reports, others at their profile."""
    if permissions.has_perm_anywhere(request.user, Perm.VIEW_CASE):
        return redirect("cases:list")
    if permissions.has_perm_anywhere(request.user, Perm.VIEW_AGGREGATES):
        return redirect("reporting:home")
    return redirect("accounts:profile")


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _profile_context(request))


@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    try:
        token, raw = services.token_create(
            acting_user=request.user, user=request.user, name=request.POST.get("name", "")
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("accounts:profile")
    # The secret is shown on this one response and never again.
    return render(
        request, "accounts/profile.html", {**_profile_context(request), "new_token": raw, "new_token_name": token.name}
    )


@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens.all(), pk=token_id)
    services.token_revoke(acting_user=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:profile")
