"""Dates of birth that are often known only in part.

A date of birth is stored as the first day of the period it is known to
(1990-03-01 for "March 1990") with its precision. Ages are therefore a range;
the rules below say which end of the range each question uses.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ADULT_AGE = 18
ELDERLY_AGE = 65
# An estimated year may be off by this much either way.
ESTIMATE_MARGIN_YEARS = 2


class DatePrecision(models.TextChoices):
    EXACT = "exact", gettext_lazy("exact date")
    MONTH = "month", gettext_lazy("month and year")
    YEAR = "year", gettext_lazy("year only")
    ESTIMATED = "estimated", gettext_lazy("estimated year")


def _years_between(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class PartialDate:
    value: dt.date
    precision: str

    @classmethod
    def build(
        cls, *, year: int, month: int | None = None, day: int | None = None, estimated: bool = False
    ) -> PartialDate:
        """Build from the parts a person typed; raises ValueError with a translated message."""
        if not 1 <= year <= 9999:
            raise ValueError(_("%(year)s is not a year.") % {"year": year})
        if day is not None and month is None:
            raise ValueError(_("A day of birth needs a month."))
        if estimated and (month is not None or day is not None):
            raise ValueError(_("An estimated date of birth is a year only."))
        if month is not None and not 1 <= month <= 12:
            raise ValueError(_("The month must be between 1 and 12."))
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(
                    _("%(month)s/%(year)s has no day %(day)s.") % {"day": day, "month": month, "year": year}
                )
            return cls(dt.date(year, month, day), DatePrecision.EXACT)
        if month is not None:
            return cls(dt.date(year, month, 1), DatePrecision.MONTH)
        return cls(dt.date(year, 1, 1), DatePrecision.ESTIMATED if estimated else DatePrecision.YEAR)

    def parts(self) -> dict[str, int | bool | None]:
        """The parts a person would type: the inverse of ``build``."""
        v, p = self.value, self.precision
        return {
            "year": v.year,
            "month": v.month if p in (DatePrecision.EXACT, DatePrecision.MONTH) else None,
            "day": v.day if p == DatePrecision.EXACT else None,
            "estimated": p == DatePrecision.ESTIMATED,
        }

    @property
    def earliest(self) -> dt.date:
        if self.precision == DatePrecision.ESTIMATED:
            return self.value.replace(year=self.value.year - ESTIMATE_MARGIN_YEARS)
        return self.value

    @property
    def latest(self) -> dt.date:
        v = self.value
        if self.precision == DatePrecision.EXACT:
            return v
        if self.precision == DatePrecision.MONTH:
            return v.replace(day=calendar.monthrange(v.year, v.month)[1])
        if self.precision == DatePrecision.ESTIMATED:
            return dt.date(v.year + ESTIMATE_MARGIN_YEARS, 12, 31)
        return dt.date(v.year, 12, 31)

    def age_range(self, on: dt.date) -> tuple[int, int]:
        """The youngest and oldest the person can be on ``on``."""
        return max(0, _years_between(self.latest, on)), max(0, _years_between(self.earliest, on))

    def nominal_age(self, on: dt.date) -> int:
        return max(0, _years_between(self.value, on))

    def is_possibly_minor(self, on: dt.date) -> bool:
        # In doubt a person is presumed a child (child-protection practice).
        return self.age_range(on)[0] < ADULT_AGE

    def is_elderly(self, on: dt.date) -> bool:
        return self.nominal_age(on) >= ELDERLY_AGE

    def display(self) -> str:
        if self.precision == DatePrecision.EXACT:
            return formats.date_format(self.value, "SHORT_DATE_FORMAT")
        if self.precision == DatePrecision.MONTH:
            return formats.date_format(self.value, "YEAR_MONTH_FORMAT")
        if self.precision == DatePrecision.ESTIMATED:
            return _("about %(year)s") % {"year": self.value.year}
        return str(self.value.year)

    def __str__(self) -> str:
        return self.display()
