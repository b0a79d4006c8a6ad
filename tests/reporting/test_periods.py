"""Periods are read from what a person typed and refused in words when they cannot be reported on."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.core.errors import ServiceError
from homeward.reporting.periods import Period, parse_period


def test_a_period_is_read_from_iso_dates_and_lists_its_months() -> None:
    period = parse_period("2025-11-15", "2026-02-01")
    assert (period.start, period.end) == (dt.date(2025, 11, 15), dt.date(2026, 2, 1))
    assert period.months() == ["2025-11", "2025-12", "2026-01", "2026-02"]


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ("2025-03-31", "2025-01-01", "to", "ends (2025-01-01) before it starts (2025-03-31)"),
        ("2025-01-01", "9999-12-31", "to", "outside the years reports cover"),
        ("0001-01-01", "2025-01-01", "from", "outside the years reports cover"),
        ("1990-01-01", "2025-01-01", "to", "at most 20 years"),
        ("31/03/2025", "2025-04-01", "from", "is not a date"),
    ],
)
def test_a_period_that_cannot_be_reported_on_is_refused_in_words(start: str, end: str, field: str, words: str) -> None:
    with pytest.raises(ServiceError) as refused:
        parse_period(start, end)
    assert words in refused.value.message
    assert field in refused.value.fields


def test_a_period_needs_both_ends_unless_there_is_a_default() -> None:
    with pytest.raises(ServiceError, match="a start and an end"):
        parse_period("2025-01-01", None)
    default = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert parse_period(None, "2025-06-30", default=default) == Period(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
