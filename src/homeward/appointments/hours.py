"""Opening hours as plain data: whether a time fits, and how to say the hours in words. No ORM here.

A period is ``(opens, closes)`` in the office's local time; a day may have several (a lunch break).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

Period = tuple[dt.time, dt.time]

_PERIOD = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*[-–—]\s*(\d{1,2})[:.h](\d{2})\s*$")


def weekday_name(weekday: int) -> str:
    from homeward.appointments.models import OfficeHours

    return str(OfficeHours.Weekday(weekday).label)


def by_day(hours: Iterable[Any]) -> dict[int, list[Period]]:
    """``{weekday: [(opens, closes), …]}`` from OfficeHours rows (or anything with the same attributes), sorted."""
    days: dict[int, list[Period]] = {d: [] for d in range(7)}
    for h in hours:
        days[h.weekday].append((h.opens, h.closes))
    for periods in days.values():
        periods.sort()
    return days


def fits(periods: list[Period], start: dt.time, end: dt.time) -> bool:
    """Rule: an appointment lies entirely inside one opening period (not across a lunch break)."""
    return any(opens <= start and end <= closes for opens, closes in periods)


def overlapping(periods: list[Period]) -> Period | None:
    """The first period that overlaps the one before it (back to back is fine), or None."""
    ordered = sorted(periods)
    for before, after in itertools.pairwise(ordered):
        if after[0] < before[1]:
            return after
    return None


def say_periods(periods: list[Period]) -> str:
    """ "08:30–12:30, 13:30–16:30", or "never" for a closed day."""
    if not periods:
        return _("never")
    return ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in periods)


def say_day(weekday: int, periods: list[Period]) -> str:
    """ "The office is open on Saturday: never." — what a refused booking says."""
    return _("The office is open on %(day)s: %(hours)s.") % {
        "day": weekday_name(weekday),
        "hours": say_periods(periods),
    }


def summary(hours: Iterable[Any]) -> list[str]:
    """The week in a few lines: ["Monday to Friday 08:30–16:30", "Saturday 09:00–12:00"]; closed days left out."""
    days = by_day(hours)
    lines: list[str] = []
    run_start = 0
    for day in range(1, 8):
        if day < 7 and days[day] == days[run_start]:
            continue
        periods = days[run_start]
        if periods:
            last = day - 1
            if last == run_start:
                label = weekday_name(run_start)
            else:
                label = _("%(first)s to %(last)s") % {"first": weekday_name(run_start), "last": weekday_name(last)}
            lines.append(f"{label} {say_periods(periods)}")
        run_start = day
    return lines


def parse_periods(text: str) -> list[Period]:
    """ "08:30-12:30, 13:30-16:30" → periods; an empty text is a closed day. Raises ValueError with a message."""
    periods: list[Period] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text or ""))):
        match = _PERIOD.match(part)
        if not match:
            raise ValueError(_("“%(text)s” is not a period: write it as 08:30–16:30.") % {"text": part})
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            periods.append((dt.time(h1, m1), dt.time(h2, m2)))
        except ValueError:
            raise ValueError(_("“%(text)s” is not a time of day.") % {"text": part}) from None
    return periods
