"""A small known data set for the donor report tests: a Greek programme, its targets, families that returned.

Cases are registered and assessed through the services; the departure is recorded
as the workflow records it (``tests.money.return_on``), on a chosen day.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

from homeward.accounts.models import Mission, User
from homeward.cases import eligibility
from homeward.cases.models import Case, Relationship
from homeward.cases.services import MemberInput
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from tests.factories import person, register_case
from tests.money import return_on

START, END = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def report_programme(code: str = "GR/AVRR", missions: tuple[str, ...] = ("GR",)) -> Programme:
    """Life target: 10 persons assisted; Q1 2025: 3 persons; 2025: 6 family members. A cash-grants line of 10,000 EUR."""
    return programme_load(
        acting_user=None,
        data={
            "programme": {"code": code, "name": "Greece AVRR", "donor": "EU AMIF", "missions": list(missions),
                          "currency": "EUR", "start": START.isoformat(), "end": END.isoformat()},
            "targets": [
                {"kind": "persons_assisted", "value": 10},
                {"kind": "persons_assisted", "value": 3, "period": "quarter", "starts_on": "2025-01-01"},
                {"kind": "family_members_assisted", "value": 6, "period": "year", "starts_on": "2025-01-01"},
            ],
            "budget": [{"category": "cash_grants", "amount": {"value": 10000}, "currency": "EUR"}],
            "reporting": {"age_groups": [0, 18, 60], "disaggregations": ["sex_age", "case_type", "nationality"]},
            "rules": [{"effective_from": "2024-01-01",
                       "eligibility": {"legal_status": {"accepted": ["protection_rejected", "return_decision"]}}}],
        },
    )  # fmt: skip


def family(name: str) -> list[MemberInput]:
    """A man (1985), a woman (1988) and their daughter (2015), all Pakistani."""
    return [
        MemberInput(Relationship.PRINCIPAL, person("Imran", name, year=1985, month=3, day=14, sex="M")),
        MemberInput(Relationship.SPOUSE, person("Ayesha", name, year=1988, sex="F")),
        MemberInput(Relationship.CHILD, person("Sana", name, year=2015, month=6, sex="F")),
    ]


def returned_family(user: User, mission: Mission, programme: Programme, name: str, day: dt.date) -> Case:
    """A family of three (a man, a woman, a girl) of ``programme`` that departed on ``day``."""
    case = register_case(user, mission, family(name), counsellor=user, legal_status="return_decision")
    eligibility.case_assess(acting_user=user, case=case, programme=programme)
    return_on(case, user, day)
    case.refresh_from_db()
    return case


class PageFigures(HTMLParser):
    """What the report page prints: ``figures[code][field]`` and ``cells[(code, dimension, key)]``."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, str]] = {}
        self.cells: dict[tuple[str, str, str], str] = {}
        self.differences: list[dict[str, str]] = []
        self._code = self._dimension = self._key = ""
        self._field: str | None = None
        self._difference: dict[str, str] | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "indicator" in a.get("class", "").split():
            self._code = a["data-code"]
            self.figures[self._code] = {}
        elif tag == "tr" and "difference" in a.get("class", "").split():
            self._difference = {"code": a["data-code"], "dimension": a["data-dimension"], "key": a["data-key"]}
            self.differences.append(self._difference)
        elif tag == "table" and "breakdown" in a.get("class", "").split():
            self._code, self._dimension = a["data-code"], a["data-dimension"]
        elif tag == "tr" and "data-key" in a:
            self._key = a["data-key"]
        elif tag == "td" and "data-figure" in a:
            self._field, self._text = a["data-figure"], []

    def handle_data(self, data: str) -> None:
        if self._field is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "td" or self._field is None:
            return
        text = " ".join("".join(self._text).split())
        if self._field == "cell":
            self.cells[(self._code, self._dimension, self._key)] = text
        elif self._field in ("before", "after") and self._difference is not None:
            self._difference[self._field] = text
        else:
            self.figures[self._code][self._field] = text
        self._field = None


def pdf_tokens(html: str) -> list[str]:
    """The text boxes WeasyPrint lays out, in reading order, without the page footers and repeated headers."""
    from weasyprint import HTML

    laid_out = HTML(string=html).render()
    tokens = []
    for page in laid_out.pages:
        boxes = [box.text.strip() for box in page._page_box.descendants() if hasattr(box, "text")]
        tokens.extend(t for t in boxes if t and not re.search(r" · \d+ / \d+$", t))
    header = ["Indicator", "Achieved", "Target", "% of target", "Basis"]
    out: list[str] = []
    for token in tokens:
        out.append(token)
        if out[-len(header) :] == header:
            del out[-len(header) :]
    return out


def paid(user: User, programme: Programme, amount: str, day: dt.date) -> None:
    """A payment on the programme's cash-grants line, booked by a finance officer."""
    from homeward.assistance import ledger

    ledger.entry_book(
        acting_user=user, budget_line=programme.budget_lines.get(category="cash_grants"), kind="payment",
        amount=Decimal(amount), currency="EUR", booked_on=day, source=f"test:{amount}:{day.isoformat()}",
    )  # fmt: skip
