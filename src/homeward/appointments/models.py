"""Offices with their opening hours and time zone, and counselling appointments in them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.core.audit import register


class Office(models.Model):
    """A place a mission receives people: the public site lists it with its hours."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="offices", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=150)
    address = models.TextField(_("address"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Appointments are kept in UTC and judged against the hours in the office's own time zone.
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Athens")
    # ISO 639 codes (core/languages.py) of the languages counselling is offered in here.
    languages = models.JSONField(_("languages of service"), default=list, blank=True)
    public = models.BooleanField(_("shown on the public site"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["mission", "name", "pk"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class OfficeHours(models.Model):
    """One opening of an office on a weekday (Monday is 0); a day may have two (a lunch break)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="hours", verbose_name=_("office"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["office", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="office_closes_after_opening")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


register(Office)
register(OfficeHours)


class Appointment(models.Model):
    """A counselling appointment for one inquiry, hotline call or case, with a counsellor, at or from an office.

    Times are stored in UTC; the office's hours and time zone judge them (services.py).
    """

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person at the office")
        PHONE = "phone", _("by phone")
        VIDEO = "video", _("by video call")

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        ATTENDED = "attended", _("attended")
        NO_SHOW = "no_show", _("did not come")
        CANCELLED = "cancelled", _("cancelled")

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("office"))
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("counsellor")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    phone = models.CharField(_("phone number to call"), max_length=32, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter = models.CharField(_("interpreter (name or note)"), max_length=200, blank=True)
    # What it is for: exactly one of the three (a constraint below).
    inquiry = models.ForeignKey(
        "triage.Inquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="appointments",
        verbose_name=_("inquiry"),
    )  # fmt: skip
    call = models.ForeignKey(
        "outreach.HotlineCall", on_delete=models.PROTECT, null=True, blank=True, related_name="appointments",
        verbose_name=_("hotline call"),
    )  # fmt: skip
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="appointments",
        verbose_name=_("case"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    booked_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("status set by"),
    )  # fmt: skip
    marked_at = models.DateTimeField(_("status set at"), null=True, blank=True)
    # Claimed by the reminder sweep before sending (a conditional UPDATE), so two workers never send twice.
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(fields=["counsellor", "starts_at"]),
            models.Index(fields=["office", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(inquiry__isnull=False, call__isnull=True, case__isnull=True)
                    | models.Q(inquiry__isnull=True, call__isnull=False, case__isnull=True)
                    | models.Q(inquiry__isnull=True, call__isnull=True, case__isnull=False)
                ),
                name="appointment_for_exactly_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC {self.office}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.office.time_zone)

    @property
    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def source_kind(self) -> str:
        return "inquiry" if self.inquiry_id else "call" if self.call_id else "case"

    @property
    def person_name(self) -> str:
        """Who the appointment is for, as its source names them."""
        if self.inquiry_id:
            return self.inquiry.name
        if self.call_id:
            return self.call.caller_name or str(_("hotline caller"))
        from homeward.cases.selectors import principal_of

        principal = principal_of(self.case)
        return principal.full_name if principal else self.case.reference

    def get_additional_data(self) -> dict[str, object]:
        case_id = (
            self.case_id
            or (self.inquiry.case_id if self.inquiry_id else None)
            or (self.call.case_id if self.call_id else None)
        )
        # Notes, numbers and links of counselling arrangements are for those who counsel: the case history
        # shows them only to roles that see protection facts (counsellors, supervisors), as the pages do.
        return {"case_id": case_id, "sensitivity": "protection"} if case_id else {}


class ReminderLog(models.Model):
    """Each attempt to remind someone of an appointment, sent or not, and why not."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("appointment")
    )
    channel = models.CharField(_("channel"), max_length=100)
    to = models.CharField(_("sent to"), max_length=254, blank=True)
    sent_at = models.DateTimeField(_("attempted at"))
    ok = models.BooleanField(_("sent"), default=False)
    error = models.TextField(_("why not sent"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("appointment reminder")
        verbose_name_plural = _("appointment reminders")

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.sent_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"


register(Appointment, exclude=("id", "booked_at", "reminded_at"))
register(ReminderLog, mask=("to",))
