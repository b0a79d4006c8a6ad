from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.core.dates import DatePrecision, PartialDate

TODAY = dt.date(2026, 11, 23)


def test_precision_follows_the_parts_given() -> None:
    assert PartialDate.build(year=1990, month=3, day=14).precision == DatePrecision.EXACT
    assert PartialDate.build(year=1990, month=3) == PartialDate(dt.date(1990, 3, 1), DatePrecision.MONTH)
    assert PartialDate.build(year=1990).precision == DatePrecision.YEAR
    assert PartialDate.build(year=1990, estimated=True).precision == DatePrecision.ESTIMATED


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"year": 1990, "day": 3}, "needs a month"),
        ({"year": 1990, "month": 13}, "between 1 and 12"),
        ({"year": 2023, "month": 2, "day": 29}, "has no day 29"),
        ({"year": 1990, "month": 2, "estimated": True}, "year only"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(parts: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PartialDate.build(**parts)


def test_a_leap_day_exists_in_a_leap_year() -> None:
    assert PartialDate.build(year=2024, month=2, day=29).value == dt.date(2024, 2, 29)


def test_a_year_of_birth_gives_an_age_range() -> None:
    assert PartialDate.build(year=2008).age_range(TODAY) == (17, 18)
    assert PartialDate.build(year=2008, month=5, day=1).age_range(TODAY) == (18, 18)


def test_in_doubt_a_person_is_presumed_a_child() -> None:
    assert PartialDate.build(year=2008).is_possibly_minor(TODAY)
    assert not PartialDate.build(year=2008, month=5, day=1).is_possibly_minor(TODAY)
    assert PartialDate.build(year=2010, estimated=True).is_possibly_minor(TODAY)


def test_elderly_from_65() -> None:
    assert PartialDate.build(year=1961, month=11, day=23).is_elderly(TODAY)
    assert not PartialDate.build(year=1961, month=11, day=24).is_elderly(TODAY)


def test_display_says_how_much_is_known() -> None:
    assert PartialDate.build(year=1990).display() == "1990"
    assert PartialDate.build(year=1990, estimated=True).display() == "about 1990"
    assert PartialDate.build(year=1990, month=3).display() == "March 1990"


dates = st.builds(
    lambda d, precision: PartialDate.build(
        year=d.year,
        month=d.month if precision in ("exact", "month") else None,
        day=d.day if precision == "exact" else None,
        estimated=precision == "estimated",
    ),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    st.sampled_from(["exact", "month", "year", "estimated"]),
)


@given(dates, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_the_stored_date_lies_inside_its_range_and_ages_are_ordered(date: PartialDate, on: dt.date) -> None:
    assert date.earliest <= date.value <= date.latest
    youngest, oldest = date.age_range(on)
    assert 0 <= youngest <= oldest
    assert youngest <= date.nominal_age(on) <= oldest


@given(dates)
def test_parts_rebuild_the_same_date(date: PartialDate) -> None:
    assert PartialDate.build(**date.parts()) == date  # type: ignore[arg-type]
