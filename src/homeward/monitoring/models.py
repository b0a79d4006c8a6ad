"""Monitoring after a return: the visits the programme schedules, what they found, and the case's closure.

Arrival plans one visit for each month of the programme's schedule
(``programmes/schema.py`` ``monitoring.visits_after_months``); the origin mission
records each as done or missed, with findings per plan component and photos.
Closing the case says why, from a fixed list, with a final summary.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register
from homeward.core.files import case_file_path, private_storage


class Visit(models.Model):
    class Mode(models.TextChoices):
        HOME = "home", _("home visit")
        BUSINESS = "business", _("business visit")
        PHONE = "phone", _("phone")
        VIDEO = "video", _("video")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        MISSED = "missed", _("missed")
        # The case was closed before the visit was due.
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="visits", verbose_name=_("case"))
    # Which visit of the programme's schedule; empty for a visit made outside it.
    months_after = models.PositiveSmallIntegerField(_("months after arrival"), null=True, blank=True)
    scheduled_for = models.DateField(_("scheduled for"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, blank=True)
    met = models.TextField(_("who was met"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    risks = models.TextField(_("risks found"), blank=True)
    follow_up = models.TextField(_("follow-up actions"), blank=True)
    # Why a visit was missed or cancelled.
    note = models.TextField(_("note"), blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", models.F("scheduled_for").asc(nulls_last=True), "visited_on", "pk"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        constraints = [
            # Arriving twice (a case reopened) never plans the same visit of the schedule twice.
            models.UniqueConstraint(
                fields=["case", "months_after"],
                condition=models.Q(months_after__isnull=False) & ~models.Q(status="cancelled"),
                name="one_live_visit_per_schedule_month",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(visited_on__isnull=False),
                name="visit_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        if self.months_after:
            return str(_("visit at %(months)s months") % {"months": self.months_after})
        return str(_("unscheduled visit"))

    @property
    def subject_key(self) -> str:
        """How the visit's task names it."""
        return f"visit:{self.pk}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class VisitFinding(models.Model):
    """What a visit found of one plan component: delivered? in use? the business running?"""

    class Delivered(models.TextChoices):
        YES = "yes", _("yes")
        PARTLY = "partly", _("partly")
        NO = "no", _("no")

    class YesNo(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")

    class Running(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("no")
        NOT_APPLICABLE = "n/a", _("not applicable")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="component_findings")
    component = models.ForeignKey(
        "reintegration.Component", on_delete=models.PROTECT, related_name="visit_findings",
        verbose_name=_("plan component"),
    )  # fmt: skip
    delivered = models.CharField(_("delivered"), max_length=6, choices=Delivered.choices)
    in_use = models.CharField(_("in use"), max_length=3, choices=YesNo.choices, blank=True)
    business_running = models.CharField(
        _("business running"), max_length=3, choices=Running.choices, default=Running.NOT_APPLICABLE
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["visit", "component__created_at", "pk"]
        verbose_name = _("visit finding")
        verbose_name_plural = _("visit findings")
        constraints = [models.UniqueConstraint(fields=["visit", "component"], name="one_finding_per_component")]

    def __str__(self) -> str:
        return f"{self.component}: {self.get_delivered_display()}"

    @property
    def case_id(self) -> int:
        return self.visit.case_id

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), storage=private_storage, upload_to=case_file_path, max_length=200)
    content_type = models.CharField(max_length=60)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visit", "uploaded_at", "pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self) -> str:
        return self.caption or str(_("photo %(id)s") % {"id": self.pk})

    @property
    def case_id(self) -> int:
        """For ``case_file_path``: the photo is stored under its case."""
        return self.visit.case_id

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class Closure(models.Model):
    class Reason(models.TextChoices):
        SUPPORT_ENDED = "support_ended", _("support period ended")
        NO_LONGER_ELIGIBLE = "no_longer_eligible", _("no longer eligible")
        STOPS_PARTICIPATING = "stops_participating", _("returnee stops participating")
        MOVED_AWAY = "moved_away", _("returnee moved away")
        DIED = "died", _("returnee died")
        OTHER = "other", _("other")

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="closure")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    summary = models.TextField(_("final summary"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    closed_on = models.DateField(_("closed on"))

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return str(self.get_reason_display())

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


register(Visit, exclude=("id", "created_at"))
register(VisitFinding, exclude=("id",))
register(VisitPhoto, exclude=("id", "uploaded_at", "content_type"))
register(Closure, exclude=("id",))
