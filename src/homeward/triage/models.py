"""Inquiries from the public site: a person asks for help before any case exists.

An inquiry waits in its mission's triage queue until staff assign a counsellor,
reach the person, and either turn it into a case (nothing typed twice) or close
it with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Mission
from homeward.core.audit import register
from homeward.outreach.models import HowHeard

# The acknowledgement code a visitor is shown: no 0/O, 1/I/L to misread on a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        ASSIGNED = "assigned", _("assigned")
        CONTACTED = "contacted", _("contacted")
        CONVERTED = "converted", _("became a case")
        CLOSED = "closed", _("closed")

    class Where(models.TextChoices):
        CITY = "city", _("in a city or town")
        RECEPTION = "reception_facility", _("in a reception facility")
        DETENTION = "detention_facility", _("in a detention facility")

    class Messenger(models.TextChoices):
        NONE = "", _("none")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SIGNAL = "signal", _("Signal")
        BOTH = "both", _("WhatsApp and Signal")

    class CloseReason(models.TextChoices):
        UNREACHABLE = "unreachable", _("could not be reached")
        NOT_INTERESTED = "not_interested", _("no longer interested")
        NOT_ELIGIBLE = "not_eligible", _("clearly not eligible")
        DUPLICATE = "duplicate", _("already known (duplicate)")
        OTHER_MISSION = "other_mission", _("belongs to another mission")
        NOT_GENUINE = "not_genuine", _("not a genuine request")
        OTHER = "other", _("other")

    OPEN = (Status.NEW, Status.ASSIGNED, Status.CONTACTED)

    code = models.CharField(_("acknowledgement code"), max_length=CODE_LENGTH, unique=True, editable=False)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+", verbose_name=_("mission"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    # What the visitor typed, in their words.
    given_names = models.CharField(_("given names"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    messenger = models.CharField(_("messenger"), max_length=10, choices=Messenger.choices, blank=True)
    messenger_number = models.CharField(_("WhatsApp or Signal number"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    nationality = CountryField(_("nationality"))
    destination_country = CountryField(_("country of return"))
    where = models.CharField(_("where the person is"), max_length=20, choices=Where.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    facility = models.CharField(_("facility"), max_length=150, blank=True)
    family_travels = models.BooleanField(_("family travels too"), default=False)
    family_size = models.PositiveSmallIntegerField(_("people travelling, with the person"), null=True, blank=True)
    how_heard = models.CharField(_("heard of the programme through"), max_length=24, choices=HowHeard.choices)
    message = models.TextField(_("message"), blank=True)
    # The consent text exactly as shown, in the visitor's language, and when it was given.
    consent_text = models.TextField(_("consent given"))
    consent_at = models.DateTimeField(_("consent given at"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    # Triage.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("counsellor"),
    )  # fmt: skip
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="inquiry",
        verbose_name=_("case"),
    )  # fmt: skip
    close_reason = models.CharField(_("reason for closing"), max_length=16, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("note on closing"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("closed by"),
    )  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [models.Index(fields=["mission", "status", "submitted_at"])]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id} if self.case_id else {}


register(Inquiry, exclude=("id", "submitted_at", "updated_at", "consent_text"))


class ContactAttempt(models.Model):
    """One try by staff to reach the person behind an inquiry, reached or not."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SIGNAL = "signal", _("Signal")
        EMAIL = "email", _("e-mail")
        IN_PERSON = "in_person", _("in person")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("inquiry"))
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reached = models.BooleanField(_("reached the person"))
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")

    def __str__(self) -> str:
        return f"{self.inquiry_id} {self.at:%Y-%m-%d %H:%M} {self.channel}"


register(ContactAttempt, exclude=("id", "recorded_at"))
