from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

# The API authenticates by token itself; static files and language switching are public.
# "/f/": the returnee's feedback form, which needs no account and reveals nothing; "/site/": the
# public information site and its self-referral form (its editor lives elsewhere, behind login).
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/api/", "/i18n/", "/admin/", "/f/", "/site/")


class LoginRequiredMiddleware:
    """Every page needs a signed-in user unless it is listed as public above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


# Background requests (an HTMX poll of a job's progress) send this header: they are not a person at work.
BACKGROUND_HEADER = "X-Homeward-Background"
LAST_SEEN_KEY = "homeward_last_seen"


class IdleTimeoutMiddleware:
    """Sign out a user who sent no request for HOMEWARD_IDLE_MINUTES (the 8-hour session limit stays).

    The time of the last request is kept in the session, to the minute, so that the session is
    not written on every request. Polls marked with BACKGROUND_HEADER do not count as activity.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle_seconds = settings.HOMEWARD_IDLE_MINUTES * 60
        if idle_seconds <= 0:
            return self.get_response(request)
        now = int(time.time())
        if not request.user.is_authenticated:
            return self.get_response(request)  # signing in starts the idle clock (signed_in below)
        last = request.session.get(LAST_SEEN_KEY)
        if last is not None and now - last > idle_seconds:
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)s minutes without activity.")
                % {"minutes": settings.HOMEWARD_IDLE_MINUTES},
            )
            if request.path.startswith("/api/"):
                return self.get_response(request)  # now anonymous: the API answers 401 itself
            login_url = redirect_to_login(request.get_full_path(), settings.LOGIN_URL).url
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = login_url
                return response
            return HttpResponseRedirect(login_url)
        if last is None or (not request.headers.get(BACKGROUND_HEADER) and now - last >= 60):
            request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


@receiver(user_logged_in)
def signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """The idle time counts from signing in; stored with the new session, not on the next request."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


# Reachable without a second factor: the pages that let one set it up or give it, and signing out.
TWO_FACTOR_EXEMPT = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/setup/",
    "/static/",
    "/i18n/",
    "/api/",  # the API's session authentication refuses with a 403 itself; a token is unaffected
)


class TwoFactorRequiredMiddleware:
    """Send a user whose role requires two-factor authentication and who has not given a code in
    this session to set it up (or to give the code) before any other page. After OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from homeward.accounts import two_factor

        user = request.user
        if (
            settings.HOMEWARD_TWO_FACTOR_REQUIRED
            and user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
            and not user.is_verified()
            and two_factor.required_for(user)
        ):
            target = reverse("accounts:login_code" if two_factor.enrolled(user) else "accounts:two_factor_setup")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        return self.get_response(request)
