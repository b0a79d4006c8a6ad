"""Writes to accounts: API tokens, two-factor devices and language preference."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import ApiToken, User
from homeward.core.audit import service
from homeward.core.errors import ServiceError

TOKEN_BYTES = 32


log = logging.getLogger("homeward.security")
# A read token may send these; anything else is a write.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@service
def token_create(
    *,
    acting_user: User,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.WRITE,
    days: int = ApiToken.DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """Create a personal API token; returns the token and its secret, shown once.

    Rule: a user creates its own tokens (administrators use the command line); a token
    reads only or reads and writes, and lives between 1 and 365 days.
    """
    if acting_user.pk != user.pk and not acting_user.is_superuser:
        raise PermissionDenied(_("You can only create your own tokens."))
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the token a name."), {"name": [_("This field is required.")]})
    if scope not in ApiToken.Scope.values:
        raise ServiceError(_("Unknown token scope."), {"scope": [_("Choose read only, or read and write.")]})
    if not 1 <= days <= ApiToken.MAX_DAYS:
        message = _("A token lives between 1 and %(max)s days.") % {"max": ApiToken.MAX_DAYS}
        raise ServiceError(message, {"days": [message]})
    if not user.is_active:
        raise ServiceError(_("%(user)s is not an active user.") % {"user": user.username})
    raw = f"hw_{secrets.token_urlsafe(TOKEN_BYTES)}"
    token = ApiToken(
        user=user,
        name=name[:80],
        prefix=raw[3 : 3 + ApiToken.PREFIX_LENGTH],
        digest=ApiToken.digest_of(raw),
        scope=scope,
        expires_at=timezone.now() + dt.timedelta(days=days),
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


class TokenRefused(Exception):
    """A known token that may not be used (expired, revoked, read-only on a write): status and reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def token_check(raw: str, *, method: str = "GET") -> User | None:
    """The active user a token belongs to; None for an unknown token; TokenRefused with the reason
    for one that is revoked, expired, or read-only on a write. Not audited: it writes no personal data."""
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused(401, _("This token was revoked on %(date)s.") % {"date": _when(token.revoked_at)})
    if token.expires_at <= now:
        raise TokenRefused(
            401,
            _("This token expired on %(date)s. Create a new one on your profile page.")
            % {"date": _when(token.expires_at)},
        )
    if token.scope == ApiToken.Scope.READ and method.upper() not in SAFE_METHODS:
        raise TokenRefused(403, _("This token can only read: create a read and write token to make changes."))
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_authenticate(raw: str, *, method: str = "GET") -> User | None:
    """The active user a usable token belongs to, or None (unknown, revoked, expired, or not for ``method``)."""
    try:
        return token_check(raw, method=method)
    except TokenRefused:
        return None


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


# Two-factor authentication. Enrolling, confirming, disabling and each use of a recovery code
# is written to the audit log as a change of the user ("two-factor", "recovery codes"), by the
# user acting: the devices themselves (secret keys) are never in the log.


def _audit_user(user: User, field: str, before: str, after: str) -> None:
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(user, action=LogEntry.Action.UPDATE, changes={field: [before, after]}, force_log=True)
    log.info("user %s: %s %s -> %s", user.pk, field, before, after)


def _new_recovery_codes(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from homeward.accounts import two_factor

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=two_factor.RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@service
def two_factor_begin(*, acting_user: User) -> object:
    """The user's authenticator device waiting for confirmation, made on first call.

    Rule: a device counts only once the user has typed a code from it (``two_factor_confirm``).
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homeward.accounts import two_factor

    if two_factor.enrolled(acting_user):
        raise ServiceError(_("Two-factor authentication is already on."))
    device = two_factor.authenticator_of(acting_user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=acting_user, name=two_factor.TOTP_NAME, confirmed=False)
    return device


@service
def two_factor_confirm(*, acting_user: User, code: str) -> tuple[object, list[str]] | None:
    """Turn two-factor authentication on with a code from the new device; returns it and 10 recovery
    codes, or None when the code is wrong.

    Rule: the codes are shown once; any earlier recovery codes stop working.
    """
    from homeward.accounts import two_factor

    device = two_factor.authenticator_of(acting_user, confirmed=False)
    if device is None:
        raise ServiceError(_("Start setting up two-factor authentication first."))
    if not device.verify_token(two_factor.normalise(code)):
        # Not an exception: the device's count of wrong codes (its throttle) must be kept.
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(acting_user)
    _audit_user(acting_user, "two-factor", "off", "on")
    return device, codes


@service
def recovery_codes_regenerate(*, acting_user: User) -> list[str]:
    """Ten new recovery codes for a user with two-factor on; the old ones stop working."""
    from homeward.accounts import two_factor

    if not two_factor.enrolled(acting_user):
        raise ServiceError(_("Turn two-factor authentication on first."))
    codes = _new_recovery_codes(acting_user)
    _audit_user(acting_user, "recovery codes", "", "regenerated")
    return codes


@service
def two_factor_verify(*, acting_user: User, code: str) -> object | None:
    """The device that accepts ``code`` (the authenticator, else a recovery code, used up), or None.

    A wrong code is not an error here: the device counts it and throttles further attempts,
    and that count must be saved.
    """
    from django_otp.plugins.otp_static.models import StaticDevice

    from homeward.accounts import two_factor

    code = two_factor.normalise(code)
    if not code:
        return None
    device = two_factor.authenticator_of(acting_user)
    # An app's code is 6 digits, a recovery code 8 letters and digits: each goes to its own device,
    # so that a typo counts against one device only.
    if device is not None and code.isdigit() and len(code) == device.digits:
        return device if device.verify_token(code) else None
    recovery = StaticDevice.objects.filter(user=acting_user, confirmed=True).first()
    if recovery is not None and recovery.verify_token(code):
        _audit_user(acting_user, "recovery codes", "", _n_left(recovery))
        return recovery
    return None


def _n_left(device: object) -> str:
    return f"one used, {device.token_set.count()} left"  # type: ignore[attr-defined]


@service
def two_factor_reset(*, acting_user: User, user: User, reason: str) -> None:
    """Remove a user's authenticator and recovery codes when both are lost: at the next sign-in they
    enrol again (and, if their role requires it, cannot do anything else first).

    Rule: an operator on the server (`homeward two_factor_reset`), with a reason, for a user who has
    two-factor authentication on; audited on the user.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homeward.accounts import two_factor

    if not reason.strip():
        raise ServiceError(_("Say why two-factor authentication is reset."), {"reason": [_("This field is required.")]})
    if not two_factor.enrolled(user):
        raise ServiceError(_("%(user)s has no two-factor authentication to reset.") % {"user": user.username})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit_user(user, "two-factor", "on", f"reset: {reason.strip()[:200]}")


@service
def two_factor_disable(*, acting_user: User, code: str) -> bool:
    """Turn two-factor authentication off, with a current code; False when the code is wrong.

    Rule: only for users whose roles do not require it.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from homeward.accounts import two_factor

    if two_factor.required_for(acting_user):
        raise PermissionDenied(_("Your role requires two-factor authentication: it cannot be turned off."))
    if not two_factor.enrolled(acting_user):
        raise ServiceError(_("Two-factor authentication is not on."))
    if two_factor_verify(acting_user=acting_user, code=code) is None:
        return False
    TOTPDevice.objects.filter(user=acting_user).delete()
    StaticDevice.objects.filter(user=acting_user).delete()
    _audit_user(acting_user, "two-factor", "on", "off")
    return True
