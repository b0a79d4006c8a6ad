"""Counselling sessions and the declaration of voluntary return."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register
from homeward.core.files import case_file_path, private_storage


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")
    DETENTION = "detention", _("in a detention facility")
    RECEPTION = "reception", _("in a reception facility")


class Topic(models.TextChoices):
    RETURN_PROCESS = "return_process", _("the return process")
    REINTEGRATION = "reintegration", _("reintegration options")
    RIGHTS = "rights", _("rights and alternatives")
    HEALTH = "health", _("health")
    FAMILY = "family", _("family")
    DOCUMENTS = "documents", _("travel documents")
    CASH = "cash", _("cash assistance")
    OTHER = "other", _("other")


class Interpretation(models.TextChoices):
    NONE = "", _("none")
    INTERPRETER = "interpreter", _("interpreter")
    CULTURAL_MEDIATOR = "cultural_mediator", _("cultural mediator")


class Outcome(models.TextChoices):
    CONTINUE = "continue", _("counselling continues")
    WANTS_TO_RETURN = "wants_to_return", _("decided to return")
    DOES_NOT_WANT_TO_RETURN = "does_not_want_to_return", _("decided not to return")


class Session(models.Model):
    """One counselling session with the migrant (and family members present)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("case"))
    held_on = models.DateField(_("date"))
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("counsellor")
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    language = models.CharField(_("language"), max_length=8)
    interpretation = models.CharField(
        _("interpreter or mediator"), max_length=20, choices=Interpretation.choices, blank=True
    )
    interpreter_name = models.CharField(_("interpreter's name"), max_length=120, blank=True)
    attendees = models.ManyToManyField("cases.CaseMember", related_name="sessions", verbose_name=_("present"))
    topics = models.JSONField(_("topics covered"), default=list)
    questions = models.TextField(_("the migrant's questions"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    # Recorded explicitly: the migrant understood the options and decided freely.
    informed_decision = models.BooleanField(_("informed and voluntary decision recorded"), default=False)
    next_steps = models.TextField(_("next steps"), blank=True)
    # Counselling in detention needs a supervisor to confirm the decision was voluntary.
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voluntariness signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("counselling session")
        verbose_name_plural = _("counselling sessions")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.held_on}"

    @property
    def in_detention(self) -> bool:
        return self.mode == Mode.DETENTION

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class Declaration(models.Model):
    """The declaration of voluntary return: generated as a PDF, signed, and the scan kept."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="declarations", verbose_name=_("case")
    )
    language = models.CharField(_("language"), max_length=8)
    consent_processing = models.BooleanField(_("consents to the processing of personal data"), default=False)
    consent_sharing = models.BooleanField(
        _("consents to sharing with the mission in the country of origin"), default=False
    )
    generated_at = models.DateTimeField(_("generated at"), auto_now_add=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatories = models.ManyToManyField(
        "cases.CaseMember", related_name="declarations_signed", blank=True, verbose_name=_("signed by")
    )
    scan = models.FileField(
        _("signed scan"), storage=private_storage, upload_to=case_file_path, max_length=200, blank=True
    )
    scan_content_type = models.CharField(max_length=60, blank=True)
    scan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scan_uploaded_at = models.DateTimeField(_("scan uploaded at"), null=True, blank=True)

    class Meta:
        ordering = ["generated_at", "pk"]
        verbose_name = _("declaration of voluntary return")
        verbose_name_plural = _("declarations of voluntary return")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.generated_at:%Y-%m-%d}"

    @property
    def is_signed(self) -> bool:
        return bool(self.scan) and self.signed_on is not None

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


register(Session, exclude=("id", "created_at"), m2m_fields={"attendees"})
register(Declaration, exclude=("id", "generated_at", "scan_content_type"), m2m_fields={"signatories"})
