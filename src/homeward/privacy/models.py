"""Consent given by (or withdrawn by) the people in a case, and the mark left by anonymisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.core.audit import register


class Purpose(models.TextChoices):
    """What a person consents to: the two ticks of the declaration of voluntary return."""

    PROCESSING = "processing", _("processing of personal data")
    SHARING_ORIGIN = "sharing_origin", _("sharing with the mission in the country of origin")


class How(models.TextChoices):
    DECLARATION = "declaration", _("signed declaration")
    FORM = "form", _("signed consent form")
    VERBAL = "verbal", _("verbally, witnessed by staff")


class Consent(models.Model):
    """One consent of one case member to one purpose: given on a day, and perhaps withdrawn later.

    A withdrawal never deletes the record: that the person consented, and until when,
    is itself the proof that what was done before was lawful.
    """

    member = models.ForeignKey(
        "cases.CaseMember", on_delete=models.CASCADE, related_name="consents", verbose_name=_("case member")
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents", verbose_name=_("case"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    how = models.CharField(_("how it was given"), max_length=12, choices=How.choices)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    declaration = models.ForeignKey(
        "counselling.Declaration", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("declaration"),
    )  # fmt: skip
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )  # fmt: skip
    withdrawal_note = models.TextField(_("withdrawal note"), blank=True)

    class Meta:
        ordering = ["case", "member", "purpose", "-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = pgettext_lazy("records", "consents")
        constraints = [
            # One standing consent per member and purpose; withdrawn ones stay as history.
            models.UniqueConstraint(
                fields=["member", "purpose"], condition=models.Q(withdrawn_on__isnull=True), name="one_standing_consent"
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.purpose}"

    @property
    def standing(self) -> bool:
        return self.withdrawn_on is None

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id, "person_id": self.member.person_id}


class Anonymisation(models.Model):
    """The mark on a person whose identifying data was removed: when, why, by whom (None: the schedule)."""

    class Kind(models.TextChoices):
        RETENTION = "retention", _("retention period expired")
        REQUEST = "request", _("erasure requested by the person")

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="anonymisation", verbose_name=_("person")
    )
    kind = models.CharField(_("why"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("anonymised at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)
    # What was removed, by model (counts only): the audit entry says it without repeating any of it.
    removed = models.JSONField(_("removed"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind}"

    def get_additional_data(self) -> dict[str, object]:
        return {"person_id": self.person_id}


class Export(models.Model):
    """Who exported whose data, when, in which format (the export itself is not kept)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    format = models.CharField(_("format"), max_length=4)
    cases = models.JSONField(_("cases included"), default=list)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"{self.person_id} by {self.by_id} ({self.format})"

    def get_additional_data(self) -> dict[str, object]:
        return {"person_id": self.person_id}


register(Consent, exclude=("id", "recorded_at"))
register(Anonymisation, exclude=("id", "at"))
register(Export, exclude=("id", "at"))
