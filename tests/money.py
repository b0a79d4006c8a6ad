"""A programme with money in it, and a case entitled to it: the starting point of grant, plan and payment tests.

The amounts are confirmed (payable) unless a test says otherwise; the budget
lines are in euros, and a US dollar rate exists so conversions can be tested.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases import eligibility, services
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.programmes.models import BudgetLine, ExchangeRate, Programme
from homeward.programmes.services import programme_load
from tests.factories import case_data


def money_programme(
    *,
    missions: tuple[str, ...] = ("GR",),
    payment: str = "in_kind",
    cash_share_max: str | None = None,
    use_within_months: int | None = 12,
    confirmed: bool = True,
    budget: dict[str, int] | None = None,
    code: str = "GR/MONEY",
) -> Programme:
    """Pre-departure cash 100/50 EUR, per diem 10 EUR a day (up to 10 days, for everyone),
    reintegration 2,000 EUR for an individual and 3,500 for a family; budget lines in EUR."""
    money = {"confirmed": confirmed}
    reintegration: dict[str, Any] = {
        "currency": "EUR",
        "per_individual": {"value": 2000, **money},
        "per_family": {"value": 3500, **money},
        "payment": payment,
    }
    if cash_share_max is not None:
        reintegration["cash_share_max"] = cash_share_max
    if use_within_months is not None:
        reintegration["use_within_months"] = use_within_months
    lines = budget or {"cash_grants": 10_000, "reintegration": 50_000}
    return programme_load(
        acting_user=None,
        data={
            "programme": {"code": code, "name": "Money test", "donor": "EU", "missions": list(missions),
                          "currency": "EUR", "start": "2024-01-01", "end": "2030-12-31"},
            "budget": [{"category": c, "amount": {"value": v}, "currency": "EUR"} for c, v in lines.items()],
            "rules": [{
                "effective_from": "2024-01-01",
                "eligibility": {"legal_status": {"accepted": ["protection_rejected", "return_decision"]}},
                "benefits": {
                    "pre_departure_cash": {"currency": "EUR", "per_person": {"adult": {"value": 100, **money},
                                                                            "minor": {"value": 50, **money}}},
                    "per_diem": {"currency": "EUR", "per_day": {"value": 10, **money}, "max_days": 10,
                                 "only_precarious": False},
                    "reintegration": reintegration,
                },
            }],
        },
    )  # fmt: skip


def line(programme: Programme, category: str) -> BudgetLine:
    return programme.budget_lines.get(category=category)


def rate(currency: str, quote: str, value: str, on: dt.date | None = None) -> ExchangeRate:
    """One unit of ``currency`` buys ``value`` of ``quote`` on ``on`` (today by default)."""
    return ExchangeRate.objects.create(
        currency=currency, quote=quote, on=on or timezone.localdate(), rate=Decimal(value)
    )


def entitled(case: Case, user: User, programme: Programme) -> Case:
    """The case in a legal status the programme accepts, assessed eligible under it."""
    services.case_update(
        acting_user=user, case=case, data=case_data(legal_status="return_decision", counsellor=case.counsellor)
    )
    eligibility.case_assess(acting_user=user, case=case, programme=programme)
    case.refresh_from_db()
    return case


def arrived(case: Case, supervisor: User, origin: Mission) -> Case:
    """Referred to ``origin``, accepted there, and arrived (status set directly: the journey has its own tests)."""
    from tests.journey import S, referred, set_status

    referred(case, supervisor, origin)
    return set_status(case, S.ARRIVED)


def return_on(case: Case, user: User, day: dt.date) -> None:
    """The moves to departed (on ``day``) and arrived (the day after), as the workflow records them."""
    noon = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    for to, at in ((CaseStatus.DEPARTED, noon), (CaseStatus.ARRIVED, noon + dt.timedelta(days=1))):
        moved = Transition.objects.create(case=case, from_status="travel_booked", to_status=to, by=user)
        Transition.objects.filter(pk=moved.pk).update(at=at)
