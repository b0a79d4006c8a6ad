"""Writes to accounts: API tokens and language preference."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import ApiToken, User
from homeward.core.audit import service
from homeward.core.errors import ServiceError

TOKEN_BYTES = 32


@service
def token_create(*, acting_user: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the token and its secret, shown once.

    Rule: a user creates its own tokens (administrators use the command line).
    """
    if acting_user.pk != user.pk and not acting_user.is_superuser:
        raise PermissionDenied(_("You can only create your own tokens."))
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the token a name."), {"name": [_("This field is required.")]})
    if not user.is_active:
        raise ServiceError(_("%(user)s is not an active user.") % {"user": user.username})
    raw = f"hw_{secrets.token_urlsafe(TOKEN_BYTES)}"
    token = ApiToken(
        user=user, name=name[:80], prefix=raw[3 : 3 + ApiToken.PREFIX_LENGTH], digest=ApiToken.digest_of(raw)
    )
    token.save()
    return token, raw


@service
def token_revoke(*, acting_user: User, token: ApiToken) -> ApiToken:
    if acting_user.pk != token.user_id and not acting_user.is_superuser:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user a token belongs to, or None. Not audited: it writes no personal data."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@service
def user_set_language(*, acting_user: User, language: str) -> User:
    """Remember the interface language a user chose, for the next login."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ServiceError(_("Unknown language."), {"language": [_("Choose a language from the list.")]})
    if acting_user.language != language:
        acting_user.language = language
        acting_user.save(update_fields=["language"])
    return acting_user
