"""The mission's partners: who they are, how to reach them, and the role they play in a return."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Mission
from homeward.core.audit import register


class Partner(models.Model):
    """An organisation a mission works with. ``country`` is the country an embassy or consulate
    represents, or where an international organisation's office is; for the rest, where it is."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("embassy")
        CONSULATE = "consulate", _("consulate")
        AUTHORITY = "authority", _("national authority")
        NGO = "ngo", _("NGO")
        RECEPTION_FACILITY = "reception_facility", _("reception facility")
        DETENTION_FACILITY = "detention_facility", _("detention facility")
        IO_OFFICE = "io_office", _("international organisation office")
        HEALTH = "health", _("health service")
        TRAINING = "training", _("training provider")
        SHELTER = "shelter", _("shelter or accommodation")
        OTHER = "other", _("other")

    # Where a travel document is asked for.
    ISSUERS = (Kind.EMBASSY, Kind.CONSULATE)

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="partners", verbose_name=_("mission"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    role = models.TextField(_("role in returns"), blank=True, help_text=_("What this partner does for returnees."))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "pk"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["mission", "kind", "country"])]

    def __str__(self) -> str:
        return self.name


class PartnerContact(models.Model):
    """A named person at a partner: who to call about a travel document or a referral."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title or role"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["partner", "name", "pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self) -> str:
        return self.name


class IncomingReferral(models.Model):
    """A case referred to the mission by a partner (an NGO, a reception facility, an authority…)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="incoming_referrals", verbose_name=_("case")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="incoming_referrals", verbose_name=_("referred by")
    )
    referred_on = models.DateField(_("referred on"))
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "referred_on", "pk"]
        verbose_name = _("incoming referral")
        verbose_name_plural = _("incoming referrals")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.partner_id} ({self.referred_on.isoformat()})"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


register(Partner, exclude=("id", "created_at"))
register(PartnerContact, exclude=("id", "created_at"))
register(IncomingReferral, exclude=("id", "created_at"))
