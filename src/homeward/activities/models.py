"""Pre-departure activities: a course or workshop a mission runs or arranges before the return
(e.g. a vocational course in Romania), who is enrolled, and who came on which day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register


class Activity(models.Model):
    class Kind(models.TextChoices):
        VOCATIONAL = "vocational", _("vocational course")
        LANGUAGE = "language", _("language course")
        WORKSHOP = "workshop", _("workshop")
        OTHER = "other", _("other")

    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="activities", verbose_name=_("mission")
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("programme"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    provider = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("provider"),
    )  # fmt: skip
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, help_text=_("Empty: no limit."))
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        COMPLETED = "completed", _("completed")
        DROPPED_OUT = "dropped_out", _("dropped out")

    # Who takes a place: the enrolled and those who completed, not those who dropped out.
    TAKING_PLACE = (Status.ENROLLED, Status.COMPLETED)

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("activity")
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    # PROTECT: a course taken is part of the case's record; removing the member must not erase it.
    member = models.ForeignKey("cases.CaseMember", on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate_note = models.CharField(_("certificate"), max_length=250, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("enrolled by")
    )

    class Meta:
        ordering = ["activity", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="enrolled_once_per_activity")]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.member_id} ({self.status})"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("enrolment")
    )
    on = models.DateField(_("date"))
    present = models.BooleanField(_("present"))
    note = models.CharField(_("note"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["on", "enrolment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["enrolment", "on"], name="attendance_once_a_day")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.on}: {self.present}"


register(Activity, exclude=("id", "created_at"))
register(Enrolment)
register(Attendance, exclude=("id", "recorded_at"))
