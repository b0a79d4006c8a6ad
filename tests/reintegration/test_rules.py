"""The pure rules of the plan: deadlines and the cash share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from homeward.reintegration import rules

END = dt.date(2030, 12, 31)


def test_a_month_later_is_the_last_day_of_a_shorter_month() -> None:
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert rules.add_months(dt.date(2026, 11, 15), 12) == dt.date(2027, 11, 15)
    assert rules.add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(0, 60))
def test_adding_months_moves_forward_by_that_many_calendar_months(day: dt.date, months: int) -> None:
    later = rules.add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day


def test_the_plan_is_finalised_a_month_after_arrival_and_not_before_it_is_known() -> None:
    assert rules.finalise_by(dt.date(2026, 3, 1)) == dt.date(2026, 3, 31)
    assert rules.finalise_by(None) is None


def test_components_are_delivered_within_the_period_after_return_never_after_the_programme() -> None:
    assert rules.deliver_by(dt.date(2026, 3, 10), 12, END) == dt.date(2027, 3, 10)
    assert rules.deliver_by(dt.date(2030, 6, 1), 12, END) == END  # the programme ends first
    assert rules.deliver_by(None, 12, END) == END  # before the return: the programme's end
    assert rules.deliver_by(dt.date(2026, 3, 10), None, END) == END  # no period in the rules


def test_a_mixed_programme_pays_at_most_its_share_in_cash() -> None:
    assert rules.cash_within_share(Decimal(300), Decimal(1000), Decimal("0.3"))
    assert not rules.cash_within_share(Decimal("300.01"), Decimal(1000), Decimal("0.3"))
    assert rules.cash_within_share(Decimal(1000), Decimal(1000), None)
