"""Returnee feedback: a link and short code per case, the feedback itself, and the attempts that rate-limit the form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register

# No 0/O, 1/I: a code read over the phone or typed from paper must not be misread.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
TEXT_MAX = 4000


class FeedbackLink(models.Model):
    """What a returnee uses to reach the feedback form: an unguessable token (the URL) and a short code (typed)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="feedback_links", verbose_name=_("case")
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback link")
        verbose_name_plural = _("feedback links")
        constraints = [
            # One live link per case: what is printed on the letter is the one that works.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(revoked_at__isnull=True), name="one_live_feedback_link_per_case"
            )
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class Feedback(models.Model):
    """What a returnee told us, through the public form or by phone to a member of staff."""

    class Channel(models.TextChoices):
        WEB = "web", _("online form")
        PHONE = "phone", _("phone")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        READ = "read", _("read")
        ANSWERED = "answered", _("answered")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="feedback", verbose_name=_("case"))
    link = models.ForeignKey(
        FeedbackLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("link")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=12, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("feedback"), blank=True)
    is_complaint = models.BooleanField(_("complaint"), default=False)
    contact_ok = models.BooleanField(_("may be contacted"), default=False)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("logged by"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["case", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_at:%Y-%m-%d}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


# The token and code are secrets: the history says a link was made or revoked, never what it was.
register(FeedbackLink, exclude=("id", "token", "code"))
register(Feedback)
