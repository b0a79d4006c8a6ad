from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.roles import Role
from homeward.core.audit import register


class Mission(models.Model):
    """An IOM country office: a host mission registers cases, an origin mission receives them."""

    class Kind(models.TextChoices):
        HOST = "host", _("host")
        ORIGIN = "origin", _("origin")
        BOTH = "both", _("host and origin")

    code = models.CharField(
        _("code"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Use 2 to 8 capital letters, e.g. GR."))],
    )
    name = models.CharField(_("name"), max_length=120)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def receives_referrals(self) -> bool:
        return self.kind in {self.Kind.ORIGIN, self.Kind.BOTH}

    @property
    def registers_cases(self) -> bool:
        return self.kind in {self.Kind.HOST, self.Kind.BOTH}


class User(AbstractUser):
    language = models.CharField(_("preferred language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in one mission; access is always through a membership."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("mission")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "mission"], name="one_role_per_mission")]
        ordering = ["mission__code"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.mission.code}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is kept; the token is shown once.

    A token is scoped (a read token may only GET), expires (90 days unless chosen, a year
    at most) and can be revoked; an expired or revoked one is refused with the reason.
    """

    PREFIX_LENGTH = 8
    DEFAULT_DAYS = 90
    MAX_DAYS = 365

    class Scope(models.TextChoices):
        READ = "read", _("read only")
        WRITE = "write", _("read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.WRITE)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


register(User, exclude=("id", "password", "last_login"))
register(Membership, exclude=("id",))
register(ApiToken, exclude=("id", "digest", "last_used_at"))
