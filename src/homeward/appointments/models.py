"""Offices with their opening hours and time zone, and counselling appointments in them."""

from __future__ import annotations

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
