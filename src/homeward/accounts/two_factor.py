"""Two-factor authentication: who must use it and which devices a user has (reads only).

A user's authenticator app is a confirmed django-otp ``TOTPDevice``; its recovery codes are
the tokens of one ``StaticDevice``, each usable once. The writes are in ``services``.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts.models import User
from homeward.accounts.roles import Role

# Whoever holds one of these roles in any mission can change or pay much: a stolen password alone must not do.
REQUIRED_ROLES = frozenset({Role.ADMINISTRATOR, Role.CASE_SUPERVISOR, Role.FINANCE_OFFICER})
RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def required_for(user: User) -> bool:
    """True when ``user`` must sign in with a second factor (and so may not turn it off)."""
    if not getattr(settings, "HOMEWARD_TWO_FACTOR_REQUIRED", True) or not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role__in=REQUIRED_ROLES).exists()


def authenticator_of(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image request, nothing leaves the server)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def normalise(code: str) -> str:
    """What a person types, as the devices compare it: no spaces or dashes, lower case."""
    return "".join(code.split()).replace("-", "").lower()
