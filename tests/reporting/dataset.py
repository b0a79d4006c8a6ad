"""A known data set, built through the services, whose every figure is worked out by hand below.

The programme GR/KNOWN (Greece and Romania, Jan 2024 – Dec 2025, euros; the donor's age
bands 0, 5, 18 and 60) with targets for persons assisted over its life (20), in 2025 (12)
and in the first quarter of 2025 (8), and for counselling sessions in that quarter (10).
The report period is that quarter: 1 January – 31 March 2025 (Europe/Athens).

Greece (GR) hosts, Pakistan (PK) receives:

* Khan, a family of four to Lahore (PK), departed 10 Feb 2025, arrived the 11th:
  Imran (M, 14 Mar 1985, passport), Ayesha (F, born "1988": a year only; health needs and a
  disability: two vulnerabilities), Zara (F, 20 Feb 2007: 17 on departure, 18 ten days
  later), Omar (M, born "2007": a year only, taken as 1 July, so 17 on departure).
  Counselled 10 Jan (Imran and Ayesha, no decision) and 24 Jan (all four, informed decision);
  laissez-passers requested 27 Jan and issued 3 Feb for the three without a passport.
  A household plan: household items delivered 1 Mar, vocational training delivered 10 Apr.
  Visit at 1 month (11 Mar) done 12 Mar; at 3 months (11 May) still planned.
  Satisfaction: counselling 5 (9 Feb), travel 4 (15 Feb). RSS baseline 5 Mar: best economic
  answers, worst social and psychosocial ones.
  Paid: pre-departure cash 400 (10 Feb), household items 1,000 (1 Mar).
* Ahmadi, Tariq alone (M, 5 May 1990, passport) to Islamabad (PK), departed 5 Mar 2025;
  counselled 20 Feb (informed); counselling satisfaction 2 (4 Mar). Paid cash 100 (5 Mar),
  and 250 (6 Mar) reversed on 8 Mar.
* Bibi, Nadia alone (F, 10 Jan 1960: 65, elderly; a serious medical condition) from
  Afghanistan to Kabul (AF), departed 20 Jan 2025; counselled 15 Jan (informed); a
  laissez-passer requested 28 Dec 2024 (before the period) and issued 18 Jan; counselling
  satisfaction 4 (19 Jan).
* Rahimi, Hamid (M, 2 Nov 1979) and his son Ali (M, 1 Sep 2010) to Lahore, departed
  15 Dec 2024 (before the period), arrived the 16th; counselled 1 Dec 2024; two
  laissez-passers requested 20 Nov 2024 and issued 5 Dec 2024. An individual plan for Hamid
  only: medical assistance delivered 25 Jan 2025. Visits at 1 month (16 Jan) done 20 Jan,
  at 3 months (16 Mar) missed. Reintegration satisfaction 5 (1 Feb). RSS baseline
  20 Dec 2024 (best answers, before the period), follow-up 20 Mar 2025 (worst answers).
  Paid cash 200 (15 Dec 2024).
* Saeed, Jamal alone (M, 1995, passport): counselled 1 Mar (informed), booked, did not
  depart on 10 Mar 2025 (a no-show).
* Noor, Farid alone (M, 1992) to "Peshawar, at Farid's uncle" (a place typed with a name in it):
  counselled 3 Feb (no decision), withdrew on 5 Feb 2025.

Romania (RO), the same programme: Haidari, Karim alone (M, 1993, passport) to Lahore,
departed 20 Feb 2025; counselled 15 Feb (informed); counselling satisfaction 5 (19 Feb);
paid cash 100 (20 Feb).

Outreach: a GR campaign with sessions on 10 Dec 2024 (2 people, before the period),
15 Jan 2025 (4 women, 11 men, 2 girls, 3 boys) and 20 Feb 2025 (3 women, 5 men, 1 boy,
2 others); materials: 50 leaflets (20 Nov 2024), 200 leaflets (15 Jan), 30 posters (2 Mar);
hotline calls to GR on 31 Dec 2024 23:30, 5 Jan 10:00, 31 Mar 23:30 and 1 Apr 00:30 (local
time: two in the period). A RO campaign session on 1 Feb 2025 (7 men) and a RO call on 10 Feb.

``EXPECTED`` holds the figures of the quarter for a user of GR, worked out from the above
by hand; ``EXPECTED_GR_RO`` the ones that change for a user of both missions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import ledger
from homeward.cases import services as case_services
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember, CaseStatus, Relationship
from homeward.counselling import services as counselling
from homeward.monitoring import services as monitoring
from homeward.monitoring.models import Visit
from homeward.outreach import services as outreach
from homeward.partners.models import Partner
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from homeward.reintegration import services as reintegration
from homeward.reintegration.models import Component
from homeward.reporting.periods import Period
from homeward.surveys import services as surveys
from homeward.surveys.models import Questionnaire
from homeward.travel import services as travel
from homeward.travel.models import TravelDocumentRequest
from tests import journey
from tests.factories import MissionFactory, UserFactory, person, register_case

S = CaseStatus
ATHENS = ZoneInfo("Europe/Athens")
Q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q2 = Period(dt.date(2025, 4, 1), dt.date(2025, 6, 30))
YEAR = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
LIFE = Period(dt.date(2024, 1, 1), dt.date(2025, 12, 31))
AGE_GROUPS = [0, 5, 18, 60]

# The quarter's figures for a user of GR: (value, basis), worked out by hand from the module docstring.
EXPECTED: dict[str, tuple[object, object]] = {
    "persons_assisted": (6, None),  # Khan 4, Ahmadi 1, Bibi 1; not Rahimi (December), not Haidari (RO)
    "individual_cases": (2, None),  # Ahmadi, Bibi
    "family_cases": (1, None),  # Khan
    "average_family_size": (4.0, 1),
    "children_assisted": (2, None),  # Zara (17), Omar (17: born "2007", taken as 1 July)
    "family_members_assisted": (3, None),  # Ayesha, Zara, Omar
    "persons_with_vulnerability": (4, None),  # Ayesha (two), Nadia (medical, elderly), Zara and Omar (children)
    "counselling_sessions": (6, None),  # Khan 2, Bibi, Ahmadi, Noor, Saeed
    "persons_counselled": (8, None),  # the 4 Khans, Tariq, Nadia, Farid, Jamal
    "informed_decisions": (4, None),  # Khan, Bibi, Ahmadi, Saeed (not Noor)
    "travel_documents_requested": (3, None),  # the 3 Khans on 27 Jan (Nadia's on 28 Dec is outside)
    "travel_documents_issued": (4, None),  # Nadia 18 Jan, the 3 Khans 3 Feb
    "persons_reintegration": (5, None),  # the household of 4 Khans, Hamid alone (not his son Ali)
    "spend": (1500.0, 5),  # cash 400 + 100 + 250 - 250, reintegration 1,000: five entries
    "satisfaction_counselling": (66.7, 3),  # 5, 4 and 2: two of three satisfied
    "satisfaction_travel": (100.0, 1),
    "satisfaction_reintegration": (100.0, 1),
    "rss_economic": (0.5, 2),  # Khan 1.0, Rahimi's follow-up 0.0 (Rahimi's baseline is in December)
    "rss_social": (0.0, 2),
    "rss_psychosocial": (0.0, 2),
    "rss_composite": (0.17, 2),  # Khan (1 + 0 + 0) / 3, Rahimi 0: 1/6
    "monitoring_visits_due": (3, None),  # Rahimi 16 Jan and 16 Mar, Khan 11 Mar
    "monitoring_visits_done": (2, None),  # Rahimi 20 Jan, Khan 12 Mar (Rahimi's 3-month visit missed)
    "info_sessions": (2, None),
    "info_session_participants": (31, None),  # 20 + 11
    "materials_distributed": (230, None),  # 200 + 30
    "hotline_calls": (2, None),  # 5 Jan and 31 Mar 23:30 Athens time
    "withdrawals": (1, None),  # Noor
    "no_shows": (1, None),  # Saeed
}
# What changes for a user of both GR and RO: Haidari's case, session, answer, payment and RO's outreach.
EXPECTED_GR_RO: dict[str, tuple[object, object]] = {
    **EXPECTED,
    "persons_assisted": (7, None),
    "individual_cases": (3, None),
    "counselling_sessions": (7, None),
    "persons_counselled": (9, None),
    "informed_decisions": (5, None),
    "spend": (1600.0, 6),
    "satisfaction_counselling": (75.0, 4),
    "info_sessions": (3, None),
    "info_session_participants": (38, None),
    "hotline_calls": (3, None),
}

# Everything that names a person or a case: none of it may reach a programme viewer.
NAMES = ["Imran", "Ayesha", "Zara", "Omar", "Khan", "Tariq", "Ahmadi", "Nadia", "Bibi", "Hamid", "Ali", "Rahimi",
         "Jamal", "Saeed", "Farid", "Noor", "Karim", "Haidari", "Mehmood"]  # fmt: skip


@dataclass
class KnownData:
    programme: Programme
    gr: Mission
    ro: Mission
    pk: Mission
    users: dict[str, User]
    cases: dict[str, Case]
    period: Period = Q1
    references: list[str] = field(default_factory=list)

    def user(self, name: str) -> User:
        return self.users[name]


def on(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ATHENS)


@contextmanager
def at(day: dt.date, hour: int = 9) -> Iterator[None]:
    """The clock stands at ``hour`` in Athens on ``day``: moves, approvals and deliveries are dated then."""
    with time_machine.travel(on(day, hour), tick=False):
        yield


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


# ---------------------------------------------------------------- the programme and the people


def _programme() -> Programme:
    money = {"confirmed": True}
    return programme_load(
        acting_user=None,
        data={
            "programme": {"code": "GR/KNOWN", "name": "Known returns", "donor": "EU", "missions": ["GR", "RO"],
                          "currency": "EUR", "start": "2024-01-01", "end": "2025-12-31"},
            "targets": [
                {"kind": "persons_assisted", "value": 20},
                {"kind": "persons_assisted", "value": 12, "period": "year", "starts_on": "2025-01-01"},
                {"kind": "persons_assisted", "value": 8, "period": "quarter", "starts_on": "2025-01-01"},
                {"kind": "counselling_sessions", "value": 10, "period": "quarter", "starts_on": "2025-01-01"},
            ],
            "reporting": {"age_groups": AGE_GROUPS,
                          "disaggregations": ["sex_age", "age_group", "nationality", "destination_country",
                                              "case_type"]},
            "budget": [{"category": c, "amount": {"value": v}, "currency": "EUR"}
                       for c, v in (("travel", 20_000), ("cash_grants", 10_000), ("reintegration", 50_000))],
            "rules": [{
                "effective_from": "2024-01-01",
                "eligibility": {"legal_status": {"accepted": ["protection_rejected", "return_decision"]}},
                "benefits": {"reintegration": {"currency": "EUR", "per_individual": {"value": 2000, **money},
                                               "per_family": {"value": 3500, **money}, "payment": "in_kind"}},
                "monitoring": {"visits_after_months": [1, 3]},
            }],
        },
    )  # fmt: skip


def _users(gr: Mission, ro: Mission, pk: Mission) -> dict[str, User]:
    people = {
        "counsellor_gr": [(gr, Role.COUNSELLOR)],
        "movement_gr": [(gr, Role.MOVEMENT_OFFICER)],
        "supervisor_gr": [(gr, Role.CASE_SUPERVISOR)],
        "finance_gr": [(gr, Role.FINANCE_OFFICER)],
        "counsellor_ro": [(ro, Role.COUNSELLOR)],
        "movement_ro": [(ro, Role.MOVEMENT_OFFICER)],
        "finance_ro": [(ro, Role.FINANCE_OFFICER)],
        "reintegration_pk": [(pk, Role.REINTEGRATION_OFFICER)],
        "supervisor_pk": [(pk, Role.CASE_SUPERVISOR)],
        "viewer_gr": [(gr, Role.PROGRAMME_VIEWER)],
        "viewer_gr_ro": [(gr, Role.PROGRAMME_VIEWER), (ro, Role.PROGRAMME_VIEWER)],
        "me_gr_ro": [(gr, Role.ME_OFFICER), (ro, Role.ME_OFFICER)],
    }
    return {name: UserFactory(username=f"known.{name}", roles=roles) for name, roles in people.items()}


def _member(relationship: str, given: str, family: str, *, sex: str, passport: bool = False,
            vulnerabilities: list[str] | None = None, nationality: str = "PK",
            **born: Any) -> case_services.MemberInput:  # fmt: skip
    from homeward.people.inputs import DocumentInput

    documents = (
        [DocumentInput(kind="passport", number=f"P{given[:3].upper()}1234", issuing_country=nationality,
                       expires_on=d(2030, 1, 1))] if passport else []
    )  # fmt: skip
    data = person(given, family, sex=sex, nationality=nationality, vulnerabilities=vulnerabilities or [], **born)
    return case_services.MemberInput(relationship, data, documents)


def members(case: Case) -> dict[str, CaseMember]:
    return {m.person.given_names: m for m in case.members.select_related("person")}


# ---------------------------------------------------------------- the way home, step by step


def _register(u: dict[str, User], mission: Mission, people: list[case_services.MemberInput], place: str,
              country: str = "PK") -> Case:  # fmt: skip
    counsellor = u["counsellor_gr"] if mission.code == "GR" else u["counsellor_ro"]
    case = register_case(counsellor, mission, people, counsellor=counsellor, legal_status="return_decision",
                         destination_country=country, destination_place=place)  # fmt: skip
    journey.move(case, counsellor, S.REGISTERED)
    return case


def _counsel(case: Case, user: User, day: dt.date, who: list[str] | None = None, *, decided: bool = True) -> None:
    present = [m for name, m in members(case).items() if who is None or name in who]
    counselling.session_record(
        acting_user=user, case=case, held_on=day, mode="in_person", language="ur", attendees=present,
        topics=["return_process"], outcome="wants_to_return" if decided else "continue", informed_decision=decided,
    )  # fmt: skip


def _to_counselling(case: Case, counsellor: User, programme: Programme) -> None:
    journey.assess(case, counsellor, programme)
    journey.move(case, counsellor, S.IN_COUNSELLING)


def _declare(case: Case, counsellor: User) -> None:
    journey.move(case, counsellor, S.RETURN_DECLARED)
    journey.declare(case, counsellor, signed_by=workflow.adults(case))  # Omar, born "2007", may be 18


def _documents(case: Case, movement: User, requested: dt.date, issued: dt.date) -> None:
    """A laissez-passer for everyone without a passport, through the travel services."""
    embassy, _ = Partner.objects.get_or_create(
        mission=case.host_mission, kind=Partner.Kind.EMBASSY, country=case.destination_country,
        defaults={"name": f"Embassy of {case.destination_country.name}", "created_by": movement},
    )  # fmt: skip
    for member in case.members.select_related("person"):
        if member.person.documents.filter(kind="passport").exists():
            continue
        request = travel.travel_document_request(
            acting_user=movement, case=case, member=member, kind="laissez_passer", embassy=embassy,
            requested_on=requested,
        )  # fmt: skip
        travel.travel_document_update(
            acting_user=movement, request=request, status=TravelDocumentRequest.Status.ISSUED, issued_on=issued,
            number=f"LP{member.pk:06d}", expires_on=d(2026, 6, 30),
        )  # fmt: skip


def _book(case: Case, counsellor: User, movement: User) -> Any:
    journey.move(case, counsellor, S.TRAVEL_PREPARATION)
    journey.safeguard(case, counsellor)
    itinerary = journey.book(case, movement, departs_in=dt.timedelta(hours=4))
    journey.move(case, movement, S.TRAVEL_BOOKED)
    return itinerary


def _depart(case: Case, counsellor: User, movement: User) -> None:
    itinerary = _book(case, counsellor, movement)
    journey.check(itinerary, movement)
    journey.move(case, movement, S.DEPARTED)


def _arrive(case: Case, officer: User) -> None:
    journey.move(case, officer, S.ARRIVED, confirmed_by="origin_mission")


def _pay(user: User, programme: Programme, category: str, case: Case, amount: int, day: dt.date, source: str) -> Any:
    return ledger.entry_book(
        acting_user=user, budget_line=programme.budget_lines.get(category=category), kind="payment",
        amount=Decimal(amount), currency="EUR", booked_on=day, source=source, case=case,
    )  # fmt: skip


def _satisfaction(user: User, case: Case, code: str, overall: int, day: dt.date) -> None:
    questionnaire = Questionnaire.objects.filter(code=code, status="active").order_by("-version").first()
    surveys.satisfaction_record(acting_user=user, case=case, questionnaire=questionnaire,
                                answers={"overall": overall}, taken_on=day)  # fmt: skip


def _rss(user: User, case: Case, day: dt.date, kind: str, best_in: set[str]) -> None:
    """An RSS response: the best option for the indicators of the dimensions in ``best_in``, the worst elsewhere."""
    instrument = surveys.current_instrument()
    assert instrument is not None  # shipped with the migrations
    answers = {}
    for dimension in instrument.parsed.dimensions:
        for indicator in dimension.indicators:
            scored = [o for o in indicator.options if o.value is not None]
            pick = max if dimension.code in best_in else min
            answers[indicator.code] = pick(scored, key=lambda o: o.value).code
    surveys.response_record(acting_user=user, case=case, instrument=instrument, answers=answers, taken_on=day,
                            kind=kind)  # fmt: skip


def _plan(user: User, approver: User, case: Case, kinds: list[tuple[str, int]], member: CaseMember | None = None) -> list[Component]:  # fmt: skip
    plan = reintegration.plan_create(acting_user=user, case=case, member=member, needs_economic="No income.",
                                     goals="An income within a year.")  # fmt: skip
    parts = [
        reintegration.component_add(acting_user=user, plan=plan,
                                    data=reintegration.ComponentInput(kind=kind, budget=Decimal(budget)))
        for kind, budget in kinds
    ]  # fmt: skip
    reintegration.plan_approve(acting_user=approver, plan=plan)
    return parts


def _deliver(user: User, component: Component, day: dt.date) -> None:
    with at(day):
        component.refresh_from_db()
        reintegration.component_deliver(acting_user=user, component=component, on=day)


def _visit(user: User, case: Case, months: int, day: dt.date, *, missed: bool = False) -> None:
    visit = Visit.objects.get(case=case, months_after=months)
    with at(day, 18):
        if missed:
            monitoring.visit_missed(acting_user=user, visit=visit, note="The family had moved away.")
        else:
            monitoring.visit_record(acting_user=user, visit=visit, visited_on=day, mode="home")


# ---------------------------------------------------------------- the cases


def _rahimi(u: dict[str, User], gr: Mission, pk: Mission, programme: Programme) -> Case:
    cg, mg, officer = u["counsellor_gr"], u["movement_gr"], u["reintegration_pk"]
    with at(d(2024, 12, 15), 8):
        case = _register(u, gr, [
            _member(Relationship.PRINCIPAL, "Hamid", "Rahimi", sex="M", year=1979, month=11, day=2),
            _member(Relationship.CHILD, "Ali", "Rahimi", sex="M", year=2010, month=9, day=1),
        ], "Lahore")  # fmt: skip
        _to_counselling(case, cg, programme)
        _counsel(case, cg, d(2024, 12, 1))
        _declare(case, cg)
        journey.referred(case, u["supervisor_gr"], pk)
        _documents(case, mg, d(2024, 11, 20), d(2024, 12, 5))
        _depart(case, cg, mg)
        _pay(u["finance_gr"], programme, "cash_grants", case, 200, d(2024, 12, 15), "known:rahimi-cash")
    with at(d(2024, 12, 16)):
        _arrive(case, officer)
    with at(d(2024, 12, 20)):
        _rss(officer, case, d(2024, 12, 20), "baseline", {"economic", "social", "psychosocial"})
    with at(d(2025, 1, 8)):
        (medical,) = _plan(officer, u["supervisor_pk"], case, [(Component.Kind.MEDICAL, 800)],
                           member=members(case)["Hamid"])  # fmt: skip
    _deliver(officer, medical, d(2025, 1, 25))
    _visit(officer, case, 1, d(2025, 1, 20))
    with at(d(2025, 2, 1)):
        _satisfaction(officer, case, "reintegration", 5, d(2025, 2, 1))
    _visit(officer, case, 3, d(2025, 3, 20), missed=True)
    with at(d(2025, 3, 20)):
        _rss(officer, case, d(2025, 3, 20), "follow_up", set())
    return case


def _khan(u: dict[str, User], gr: Mission, pk: Mission, programme: Programme) -> Case:
    cg, mg, officer = u["counsellor_gr"], u["movement_gr"], u["reintegration_pk"]
    with at(d(2025, 2, 10), 8):
        case = _register(u, gr, [
            _member(Relationship.PRINCIPAL, "Imran", "Khan", sex="M", passport=True, year=1985, month=3, day=14),
            _member(Relationship.SPOUSE, "Ayesha", "Khan", sex="F", year=1988,
                    vulnerabilities=["health_needs", "disability"]),
            _member(Relationship.CHILD, "Zara", "Khan", sex="F", year=2007, month=2, day=20),
            _member(Relationship.CHILD, "Omar", "Khan", sex="M", year=2007),
        ], "Lahore")  # fmt: skip
        _to_counselling(case, cg, programme)
        _counsel(case, cg, d(2025, 1, 10), ["Imran", "Ayesha"], decided=False)
        _counsel(case, cg, d(2025, 1, 24))
        _declare(case, cg)
        journey.referred(case, u["supervisor_gr"], pk)
        _documents(case, mg, d(2025, 1, 27), d(2025, 2, 3))
        _satisfaction(cg, case, "counselling", 5, d(2025, 2, 9))
        _depart(case, cg, mg)
        _pay(u["finance_gr"], programme, "cash_grants", case, 400, d(2025, 2, 10), "known:khan-cash")
    with at(d(2025, 2, 11)):
        _arrive(case, officer)
    with at(d(2025, 2, 15)):
        _satisfaction(officer, case, "travel", 4, d(2025, 2, 15))
    with at(d(2025, 2, 20)):
        items, training = _plan(officer, u["supervisor_pk"], case,
                                [(Component.Kind.HOUSEHOLD_ITEMS, 1000), (Component.Kind.VOCATIONAL_TRAINING, 600)])  # fmt: skip
    _deliver(officer, items, d(2025, 3, 1))
    with at(d(2025, 3, 1)):
        _pay(u["finance_gr"], programme, "reintegration", case, 1000, d(2025, 3, 1), "known:khan-items")
    with at(d(2025, 3, 5)):
        _rss(officer, case, d(2025, 3, 5), "baseline", {"economic"})
    _visit(officer, case, 1, d(2025, 3, 12))
    _deliver(officer, training, d(2025, 4, 10))
    return case


def _ahmadi(u: dict[str, User], gr: Mission, programme: Programme) -> Case:
    cg, mg, finance = u["counsellor_gr"], u["movement_gr"], u["finance_gr"]
    with at(d(2025, 3, 5), 8):
        case = _register(u, gr, [
            _member(Relationship.PRINCIPAL, "Tariq", "Ahmadi", sex="M", passport=True, year=1990, month=5, day=5),
        ], "Islamabad")  # fmt: skip
        _to_counselling(case, cg, programme)
        _counsel(case, cg, d(2025, 2, 20))
        _declare(case, cg)
        _satisfaction(cg, case, "counselling", 2, d(2025, 3, 4))
        _depart(case, cg, mg)
        _pay(finance, programme, "cash_grants", case, 100, d(2025, 3, 5), "known:ahmadi-cash")
    with at(d(2025, 3, 6)):
        wrong = _pay(finance, programme, "cash_grants", case, 250, d(2025, 3, 6), "known:ahmadi-twice")
    with at(d(2025, 3, 8)):
        ledger.entry_reverse(acting_user=finance, entry=wrong, reason="Paid twice.", booked_on=d(2025, 3, 8))
    return case


def _bibi(u: dict[str, User], gr: Mission, programme: Programme) -> Case:
    cg, mg = u["counsellor_gr"], u["movement_gr"]
    with at(d(2025, 1, 20), 8):
        case = _register(u, gr, [
            _member(Relationship.PRINCIPAL, "Nadia", "Bibi", sex="F", nationality="AF", year=1960, month=1, day=10,
                    vulnerabilities=["serious_medical_condition"]),
        ], "Kabul", country="AF")  # fmt: skip
        _to_counselling(case, cg, programme)
        _counsel(case, cg, d(2025, 1, 15))
        _declare(case, cg)
        _documents(case, mg, d(2024, 12, 28), d(2025, 1, 18))
        _satisfaction(cg, case, "counselling", 4, d(2025, 1, 19))
        _depart(case, cg, mg)
    return case


def _saeed(u: dict[str, User], gr: Mission, programme: Programme) -> Case:
    cg, mg = u["counsellor_gr"], u["movement_gr"]
    with at(d(2025, 3, 10), 8):
        case = _register(u, gr, [
            _member(Relationship.PRINCIPAL, "Jamal", "Saeed", sex="M", passport=True, year=1995),
        ], "Lahore")  # fmt: skip
        _to_counselling(case, cg, programme)
        _counsel(case, cg, d(2025, 3, 1))
        _declare(case, cg)
        _book(case, cg, mg)
        journey.move(case, mg, S.NO_SHOW, "Did not come to the airport.")
    return case


def _noor(u: dict[str, User], gr: Mission, programme: Programme) -> Case:
    cg = u["counsellor_gr"]
    with at(d(2025, 2, 5), 8):
        case = _register(u, gr, [
            _member(Relationship.PRINCIPAL, "Farid", "Noor", sex="M", passport=True, year=1992),
        ], "Peshawar, at Farid's uncle")  # fmt: skip
        _to_counselling(case, cg, programme)
        _counsel(case, cg, d(2025, 2, 3), decided=False)
        journey.move(case, cg, S.WITHDRAWN, "Found work in Greece.")
    return case


def _haidari(u: dict[str, User], ro: Mission, programme: Programme) -> Case:
    cr, mr = u["counsellor_ro"], u["movement_ro"]
    with at(d(2025, 2, 20), 8):
        case = _register(u, ro, [
            _member(Relationship.PRINCIPAL, "Karim", "Haidari", sex="M", passport=True, year=1993),
        ], "Lahore")  # fmt: skip
        _to_counselling(case, cr, programme)
        _counsel(case, cr, d(2025, 2, 15))
        _declare(case, cr)
        _satisfaction(cr, case, "counselling", 5, d(2025, 2, 19))
        _depart(case, cr, mr)
        _pay(u["finance_ro"], programme, "cash_grants", case, 100, d(2025, 2, 20), "known:haidari-cash")
    return case


def _outreach(u: dict[str, User], gr: Mission, ro: Mission, programme: Programme) -> None:
    def session(campaign: Any, user: User, day: dt.date, **people: int) -> None:
        outreach.session_record(acting_user=user, campaign=campaign,
                                data=outreach.SessionInput(held_on=day, venue_kind="asylum_facility", **people))  # fmt: skip

    def material(campaign: Any, user: User, kind: str, quantity: int, day: dt.date) -> None:
        outreach.material_record(acting_user=user, campaign=campaign,
                                 data=outreach.MaterialInput(kind=kind, quantity=quantity, distributed_on=day))  # fmt: skip

    def call(user: User, mission: Mission, when: dt.datetime) -> None:
        outreach.call_log(acting_user=user, mission=mission, data=outreach.CallInput(
            received_at=when, caller_kind="migrant", topic="return_process", outcome="information_given",
            caller_name="Tariq Mehmood"))  # fmt: skip

    cg, cr = u["counsellor_gr"], u["counsellor_ro"]
    with at(d(2025, 6, 30), 12):
        campaign = outreach.campaign_create(acting_user=cg, mission=gr, data=outreach.CampaignInput(
            programme=programme, name="Islands", start=d(2024, 10, 1), end=d(2025, 6, 30)))  # fmt: skip
        session(campaign, cg, d(2024, 12, 10), women=1, men=1)
        session(campaign, cg, d(2025, 1, 15), women=4, men=11, girls=2, boys=3)
        session(campaign, cg, d(2025, 2, 20), women=3, men=5, boys=1, other_participants=2)
        material(campaign, cg, "leaflet", 50, d(2024, 11, 20))
        material(campaign, cg, "leaflet", 200, d(2025, 1, 15))
        material(campaign, cg, "poster", 30, d(2025, 3, 2))
        for when in (on(d(2024, 12, 31), 23, 30), on(d(2025, 1, 5), 10), on(d(2025, 3, 31), 23, 30),
                     on(d(2025, 4, 1), 0, 30)):  # fmt: skip
            call(cg, gr, when)
        romania = outreach.campaign_create(acting_user=cr, mission=ro, data=outreach.CampaignInput(
            programme=programme, name="Bucharest", start=d(2025, 1, 1), end=d(2025, 6, 30)))  # fmt: skip
        session(romania, cr, d(2025, 2, 1), men=7)
        call(cr, ro, on(d(2025, 2, 10), 11))


def build_known_dataset() -> KnownData:
    """The data set of the module docstring, through the services (needs the database)."""
    gr = MissionFactory(code="GR", name="IOM Greece", country="GR")
    ro = MissionFactory(code="RO", name="IOM Romania", country="RO")
    pk = MissionFactory(code="PK", name="IOM Pakistan", country="PK", kind=Mission.Kind.ORIGIN)
    u = _users(gr, ro, pk)
    with at(d(2024, 6, 1)):
        programme = _programme()
        surveys.shipped_ensure()
    cases = {
        "rahimi": _rahimi(u, gr, pk, programme),
        "bibi": _bibi(u, gr, programme),
        "noor": _noor(u, gr, programme),
        "khan": _khan(u, gr, pk, programme),
        "haidari": _haidari(u, ro, programme),
        "ahmadi": _ahmadi(u, gr, programme),
        "saeed": _saeed(u, gr, programme),
    }
    _outreach(u, gr, ro, programme)
    programme.refresh_from_db()
    return KnownData(programme=programme, gr=gr, ro=ro, pk=pk, users=u, cases=cases,
                     references=[c.reference for c in cases.values()])  # fmt: skip


@pytest.fixture(scope="module")
def known(django_db_setup: None, django_db_blocker: Any) -> Iterator[KnownData]:
    """The data set, built once per test module, as Django's ``TestCase.setUpTestData`` does: each test
    runs in a savepoint of the module's transaction, which is rolled back after the module's last test.

    Bring it into a test module with ``known = dataset.known`` and mark the tests ``django_db``; they
    must not commit (no ``transactional_db``).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]  # the services' durable blocks nest in it
        outer.__enter__()
        try:
            yield build_known_dataset()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
