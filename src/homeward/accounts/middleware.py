from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

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
