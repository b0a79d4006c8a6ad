"""Pure rules of the reintegration plan: deadlines and the cash share. No database here."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

# IOM's guidance: the plan is finalised within a month of arrival.
FINALISE_WITHIN_DAYS = 30


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day where it is shorter (31 January + 1 = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def finalise_by(arrived_on: dt.date | None) -> dt.date | None:
    """A month after arrival; unknown until the returnee has arrived."""
    return arrived_on + dt.timedelta(days=FINALISE_WITHIN_DAYS) if arrived_on else None


def deliver_by(returned_on: dt.date | None, use_within_months: int | None, programme_end: dt.date) -> dt.date:
    """The programme's validity period: ``use_within_months`` after the return, never after the programme ends.

    Before the return (or without such a period in the rules) the programme's end is the limit.
    """
    if returned_on is None or not use_within_months:
        return programme_end
    return min(add_months(returned_on, use_within_months), programme_end)


def cash_within_share(cash_total: Decimal, plan_total: Decimal, share_max: Decimal | None) -> bool:
    """A mixed programme pays at most ``share_max`` of a plan's total in cash."""
    if share_max is None:
        return True
    return cash_total <= plan_total * share_max
