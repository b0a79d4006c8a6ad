"""Airports by IATA code, their time zones, and wall-clock times at them.

Segment times are typed as the local time printed on the ticket; the airport's
time zone (from ``airportsdata``) turns them into instants, stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import airportsdata

_AIRPORTS: dict[str, Any] | None = None


def _table() -> dict[str, Any]:
    # Loading the table takes a moment and some memory; once per process is enough.
    global _AIRPORTS
    if _AIRPORTS is None:
        _AIRPORTS = airportsdata.load("IATA")
    return _AIRPORTS


@dataclass(frozen=True)
class Airport:
    code: str
    name: str
    city: str
    country: str
    tz: str

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.tz)

    def __str__(self) -> str:
        return f"{self.code} ({self.city or self.name})"


def lookup(code: str) -> Airport | None:
    """The airport with this IATA code, or ``None``."""
    code = (code or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        return None
    row = _table().get(code)
    if row is None or not row.get("tz"):
        return None
    return Airport(code, row["name"], row.get("city", ""), row.get("country", ""), row["tz"])


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped when the clocks go forward."""


def make_aware(local: dt.datetime, tz_name: str) -> dt.datetime:
    """The instant of a wall-clock time at an airport.

    An already aware time is taken as the instant it names. A time the clocks
    skip is refused; of an hour that repeats, the first is taken (fold=0).
    """
    tz = zone(tz_name)
    if local.tzinfo is not None and local.utcoffset() is not None:
        return local.astimezone(tz)
    aware = local.replace(tzinfo=tz, fold=0)
    back = aware.astimezone(dt.UTC).astimezone(tz)
    if back.replace(tzinfo=None) != local:
        raise NonexistentLocalTime(local.isoformat())
    return aware


def at_airport(instant: dt.datetime, tz_name: str) -> dt.datetime:
    """``instant`` as the clock on the airport's wall shows it."""
    return instant.astimezone(zone(tz_name))


def abbreviation(local: dt.datetime) -> str:
    """The zone's short name (EET, PKT), or its offset (UTC+03) where it has none."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    return utc_offset(local)


def utc_offset(local: dt.datetime) -> str:
    offset = local.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")
