"""The donor report: a programme's figures for a period, with what an officer writes about them.

A draft shows today's figures. Submitting it freezes them: the document
(``reporting.figures``) computed at that moment is kept as it was, so a later
change to the data never alters what was sent to the donor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register
from homeward.programmes.models import Programme
from homeward.reporting.periods import Period


class DonorReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="donor_reports")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    # The missions whose cases the figures count, fixed when the report is started, so that
    # everyone reading it reads the same scope.
    missions = models.ManyToManyField(Mission, related_name="+", verbose_name=_("missions"))
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    partnerships = models.TextField(_("partnerships"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The report document as it was at submission (reporting.figures), never recomputed.
    frozen = models.JSONField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "-period_start", "-created_at"]
        verbose_name = _("donor report")
        verbose_name_plural = _("donor reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="donor_report_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", frozen__isnull=True, submitted_at__isnull=True)
                | models.Q(status="submitted", frozen__isnull=False, submitted_at__isnull=False,
                           frozen_at__isnull=False),
                name="donor_report_frozen_when_submitted",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def narrative(self) -> dict[str, str]:
        return {"context": self.context, "challenges": self.challenges, "partnerships": self.partnerships}


# The frozen document is computed, not typed: the audit keeps who submitted and when, not the copy.
register(DonorReport, exclude=("id", "updated_at", "frozen"), m2m_fields={"missions"})
