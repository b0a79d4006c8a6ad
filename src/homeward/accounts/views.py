from __future__ import annotations

import datetime as dt
import time
from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions, services, two_factor
from homeward.accounts.models import ApiToken, User
from homeward.accounts.roles import Perm
from homeward.core.errors import ServiceError

# Between the password and the code, the session holds who is signing in, for this long.
PENDING_KEY = "homeward_2fa_pending"
PENDING_SECONDS = 300


def _profile_context(request: HttpRequest) -> dict[str, object]:
    return {
        "memberships": request.user.memberships.select_related("mission"),
        "tokens": request.user.api_tokens.all(),
        "token_scopes": ApiToken.Scope.choices,
        "token_default_days": ApiToken.DEFAULT_DAYS,
        "token_max_days": ApiToken.MAX_DAYS,
        "now": timezone.now(),
        "two_factor_on": two_factor.enrolled(request.user),
    }


def _remember_language(response: HttpResponse, user: User) -> HttpResponse:
    if user.language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Log in with the password; a user with two-factor on then gives a code (``login_code``).
    Afterwards the interface switches to the language the user chose last time."""

    template_name = "accounts/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.enrolled(user):
            # Not signed in yet: the password is right, the code is still to come.
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_redirect_url(),
            }
            return redirect("accounts:login_code")
        return _remember_language(super().form_valid(form), user)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


def _lockout_response(request: HttpRequest, username: str) -> HttpResponse | None:
    """Axes's lockout page when ``username`` from this address is locked out (axes on), else None."""
    if not settings.AXES_ENABLED:
        return None
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {"username": username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    return locked_out(request, None, credentials)


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code (used up).

    Also where a signed-in user whose role requires two-factor authentication, and who has it
    on but has not given a code in this session, is sent. A wrong code counts as a failed
    login for the lockout (django-axes), and the device itself slows down repeated tries.
    """
    signed_in = request.user.is_authenticated
    if signed_in:
        if request.user.is_verified() or not two_factor.enrolled(request.user):
            return redirect(settings.LOGIN_REDIRECT_URL)
        user, pending = request.user, {"next": request.GET.get("next", "")}
    else:
        found = _pending_user(request)
        if found is None:
            request.session.pop(PENDING_KEY, None)
            messages.info(request, _("Sign in again: the time for typing the code ran out."))
            return redirect(settings.LOGIN_URL)
        user, pending = found
    error = ""
    if request.method == "POST":
        locked = _lockout_response(request, user.username)
        if locked is not None:
            return locked
        device = services.two_factor_verify(acting_user=user, code=request.POST.get("code", ""))
        if device is not None:
            if not signed_in:
                request.session.pop(PENDING_KEY, None)
                auth_login(request, user, backend=pending["backend"])
            django_otp.login(request, device)
            if device.persistent_id.startswith("otp_static"):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You used a recovery code: %(count)s left. Make new ones on your two-factor page.")
                    % {"count": left},
                )
            return _remember_language(redirect(_safe_next(request, pending.get("next", ""))), user)
        # The lockout counts this wrong code as a failed login of this user from this address.
        user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request, None, {"username": user.username})
        error = _("That code is not right. Type the 6 digits your app shows now, or one of your recovery codes.")
        authenticator = two_factor.authenticator_of(user)
        if authenticator is not None:
            allowed, info = authenticator.verify_is_allowed()
            # The device waits longer after each wrong code (1 s, 2 s, 4 s, …): say so once it matters.
            if not allowed and info and info.get("failure_count", 0) >= 3 and info.get("locked_until"):
                error = _("Too many wrong codes: wait until %(time)s before trying again.") % {
                    "time": timezone.localtime(info["locked_until"]).strftime("%H:%M:%S")
                }
    return render(request, "accounts/login_code.html", {"error": error, "signed_in": signed_in}, status=200)


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None) -> HttpResponse:
    """The page for a locked-out sign-in (django-axes's AXES_LOCKOUT_CALLABLE): when to try again, and who can unlock."""
    request.session.pop(PENDING_KEY, None)
    cool_off = settings.AXES_COOLOFF_TIME
    until = timezone.localtime(timezone.now() + cool_off) if isinstance(cool_off, dt.timedelta) else None
    return render(
        request,
        "accounts/locked_out.html",
        {
            "until": until,
            "attempts": settings.AXES_FAILURE_LIMIT,
            "username": (credentials or {}).get("username", ""),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF_FAILURE_VIEW: a form sent with a missing or wrong security token."""
    return render(request, "accounts/csrf_failure.html", {}, status=403)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@require_GET
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Whether two-factor authentication is on, and what the user can do about it."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enrolled": two_factor.enrolled(request.user),
            "required": two_factor.required_for(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol: scan the QR code (or type the key), then confirm with a code; shows the recovery codes once."""
    if two_factor.enrolled(request.user):
        return redirect("accounts:two_factor")
    error = ""
    if request.method == "POST":
        confirmed = services.two_factor_confirm(acting_user=request.user, code=request.POST.get("code", ""))
        if confirmed is not None:
            device, codes = confirmed
            django_otp.login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": True})
        error = _("That code is not right: type the 6 digits your app shows now.")
    # Made on the first visit and reused until confirmed: the key shown stays the same.
    device = services.two_factor_begin(acting_user=request.user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "qr": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "error": error,
            "required": two_factor.required_for(request.user),
        },
    )


@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(acting_user=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("accounts:two_factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": False})


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    try:
        done = services.two_factor_disable(acting_user=request.user, code=request.POST.get("code", ""))
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("accounts:two_factor")
    if not done:
        messages.error(request, _("That code is not right: type the 6 digits your app shows now, or a recovery code."))
    else:
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("accounts:two_factor")


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
        days = int(request.POST.get("days") or ApiToken.DEFAULT_DAYS)
    except ValueError:
        messages.error(request, _("Valid for: give a number of days."))
        return redirect("accounts:profile")
    try:
        token, raw = services.token_create(
            acting_user=request.user,
            user=request.user,
            name=request.POST.get("name", ""),
            scope=request.POST.get("scope") or ApiToken.Scope.WRITE,
            days=days,
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
