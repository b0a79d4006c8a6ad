"""Opening hours as data: what fits, how the week is said, how a typed day is read."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from homeward.appointments import hours

T = dt.time.fromisoformat
LUNCH = [(T("08:30"), T("12:30")), (T("13:30"), T("16:30"))]


@pytest.mark.parametrize(
    ("start", "end", "fits"),
    [
        ("08:30", "09:30", True),  # at opening
        ("15:30", "16:30", True),  # to closing
        ("08:00", "09:00", False),  # before opening
        ("16:00", "17:00", False),  # after closing
        ("12:00", "13:00", False),  # over the lunch break
        ("12:30", "13:30", False),  # the lunch break itself
        ("13:30", "14:00", True),
    ],
)
def test_an_appointment_fits_inside_one_opening_period(start: str, end: str, fits: bool) -> None:
    assert hours.fits(LUNCH, T(start), T(end)) is fits


def test_a_closed_day_fits_nothing() -> None:
    assert not hours.fits([], T("10:00"), T("11:00"))


def test_the_week_is_said_in_a_few_lines() -> None:
    rows = [SimpleNamespace(weekday=d, opens=T("08:30"), closes=T("16:30")) for d in range(5)]
    rows.append(SimpleNamespace(weekday=5, opens=T("09:00"), closes=T("12:00")))
    assert hours.summary(rows) == ["Monday to Friday 08:30–16:30", "Saturday 09:00–12:00"]
    assert hours.summary([]) == []
    lone = [SimpleNamespace(weekday=2, opens=T("10:00"), closes=T("12:00"))]
    assert hours.summary(lone) == ["Wednesday 10:00–12:00"]


def test_a_refusal_names_the_hours_of_the_day() -> None:
    assert hours.say_day(5, []) == "The office is open on Saturday: never."
    assert hours.say_day(0, LUNCH) == "The office is open on Monday: 08:30–12:30, 13:30–16:30."


def test_typed_hours_are_read_and_bad_ones_named() -> None:
    assert hours.parse_periods("8:30-12:30, 13.30 – 16.30") == LUNCH
    assert hours.parse_periods("  ") == []
    with pytest.raises(ValueError, match="not a period"):
        hours.parse_periods("morning")
    with pytest.raises(ValueError, match="not a time of day"):
        hours.parse_periods("25:00-26:00")


def test_overlapping_periods_are_found_back_to_back_ones_are_not() -> None:
    assert hours.overlapping(LUNCH) is None
    assert hours.overlapping([(T("08:00"), T("12:00")), (T("12:00"), T("13:00"))]) is None
    assert hours.overlapping([(T("08:00"), T("12:00")), (T("11:00"), T("13:00"))]) == (T("11:00"), T("13:00"))
