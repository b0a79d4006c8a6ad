from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from homeward.accounts import services
from homeward.accounts.models import Mission
from homeward.core.errors import ServiceError


def _profile_context(request: HttpRequest) -> dict[str, object]:
    return {
        "memberships": request.user.memberships.select_related("mission"),
        "tokens": request.user.api_tokens.all(),
        "missions": Mission.objects.filter(memberships__user=request.user),
    }


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
