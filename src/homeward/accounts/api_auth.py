"""How the API knows who calls: a personal token, or the browser's session.

A token is its own credential (scoped, expiring, revocable): it is not asked for a second
factor. A session is: someone whose role requires two-factor authentication and who has
not given a code in this session gets a 403 saying so.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from homeward.accounts import two_factor
from homeward.accounts.services import TokenRefused, token_check


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal token (profile page or ``homeward token create``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user = token_check(token, method=request.method or "GET")
        except TokenRefused as refused:
            if refused.status == 403:
                raise PermissionDenied(refused.message) from None
            raise HttpError(refused.status, refused.message) from None
        if user is not None:
            request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    """Django's session, as django-ninja's ``django_auth``, plus the two-factor requirement."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and not is_verified() and two_factor.required_for(user):
            raise PermissionDenied(
                _(
                    "Your role requires two-factor authentication: sign in with your code on the site "
                    "first, or use an API token."
                )
            )
        return user


session_auth = VerifiedSessionAuth()
