"""Reporting periods: from–to dates, inclusive, read from what a person typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from homeward.core.errors import ServiceError

# A report's period stays within these years and at most this long: a typo such as 9999 would
# otherwise make a breakdown of thousands of months (and overflow the calendar at its ends).
FIRST_YEAR, LAST_YEAR = 1950, 2100
MAX_DAYS = 20 * 366


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self) -> None:
        for day, field in ((self.start, "from"), (self.end, "to")):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                message = _("%(date)s is outside the years reports cover (%(first)s to %(last)s).") % {
                    "date": day.isoformat(),
                    "first": FIRST_YEAR,
                    "last": LAST_YEAR,
                }
                raise ServiceError(message, {field: [message]})
        if (self.end - self.start).days > MAX_DAYS:
            message = _("A period covers at most %(years)s years.") % {"years": MAX_DAYS // 366}
            raise ServiceError(message, {"to": [message]})
        if self.end < self.start:
            message = _("The period ends (%(end)s) before it starts (%(start)s).") % {
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
            raise ServiceError(message, {"to": [message]})

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[str]:
        """``YYYY-MM`` of every month the period touches, in order."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of(day: dt.date) -> str:
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def parse_period(start: str | dt.date | None, end: str | dt.date | None, *, default: Period | None = None) -> Period:
    """A ``Period`` from two ``YYYY-MM-DD`` strings (either may be missing when a default is given).

    Bad input is refused in words, keyed ``from`` / ``to`` for the form.
    """
    first = _date(start, "from") if start else (default.start if default else None)
    last = _date(end, "to") if end else (default.end if default else None)
    if first is None or last is None:
        message = _("Give the period: a start and an end date.")
        raise ServiceError(message, {"from" if first is None else "to": [message]})
    return Period(first, last)


def _date(value: str | dt.date, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        message = _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31.") % {"value": str(value)[:40]}
        raise ServiceError(message, {field: [message]}) from None
