"""The one registry of indicators: what each number means, in words a donor can read.

Each indicator has a code (stable: targets, frozen reports and the API use it),
a name, a definition, how it is computed, its unit and the disaggregations it
can be broken down by. ``reporting.compute`` computes them; nothing else does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Dimension:
    key: str
    name: Promise


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("sex_age", _("men, women, boys and girls")),
        Dimension("sex", _("sex")),
        Dimension("age_group", _("age group")),
        Dimension("nationality", _("nationality")),
        Dimension("destination_country", _("country of return")),
        Dimension("destination_region", _("region or city of return")),
        Dimension("host_mission", _("host mission")),
        Dimension("vulnerability", _("vulnerability")),
        Dimension("programme", _("programme")),
        Dimension("month", _("month")),
        Dimension("quarter", _("quarter")),
        Dimension("case_type", _("case type")),
        Dimension("component_type", _("type of reintegration assistance")),
        Dimension("budget_line", _("budget line")),
        Dimension("decision", _("decision")),
        Dimension("dimension", _("sustainability dimension")),
    )
}

# The person-level breakdowns every count of persons offers.
PERSON = ("sex_age", "sex", "age_group", "nationality", "destination_country", "destination_region", "host_mission")
WHEN = ("programme", "month", "quarter")


class Unit:
    PERSONS = "persons"
    CASES = "cases"
    COUNT = "count"  # sessions, calls, items, documents, visits
    RATIO = "ratio"  # persons per case
    PERCENT = "percent"
    SCORE = "score"  # 0 to 1
    MONEY = "money"  # in the programme's currency


@dataclass(frozen=True)
class Indicator:
    code: str
    section: Promise
    name: Promise
    definition: Promise
    computation: Promise
    unit: str
    disaggregations: tuple[str, ...] = ()
    # A rate or mean is shown with the number it rests on (respondents, cases).
    basis: Promise | None = None

    @property
    def is_count(self) -> bool:
        return self.unit in (Unit.PERSONS, Unit.CASES, Unit.COUNT)


RETURNS = _("Returns")
COUNSELLING = _("Counselling")
DOCUMENTS = _("Travel documents")
REINTEGRATION = _("Reintegration")
MONEY = _("Budget")
SATISFACTION = _("Satisfaction")
SUSTAINABILITY = _("Sustainability of reintegration")
MONITORING = _("Monitoring")
OUTREACH = _("Outreach")
EXITS = _("Withdrawals and no-shows")

_DEPARTED = _(
    "A case counts in the period when it departed in it: the first move of the case to “departed” "
    "(or to “arrived”, when the departure was not recorded) falls within the period."
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "persons_assisted", RETURNS, _("Persons assisted to return"),
        _("Migrants who returned to their country of origin with the programme's assistance: every member "
          "of every case that departed in the period, the principal applicant and the family alike."),
        _DEPARTED, Unit.PERSONS, ("case_type", *PERSON, "vulnerability", *WHEN),
    ),
    Indicator(
        "individual_cases", RETURNS, _("Individual cases assisted"),
        _("Cases of a single migrant travelling alone that departed in the period."),
        _DEPARTED, Unit.CASES, ("destination_country", "host_mission", *WHEN),
    ),
    Indicator(
        "family_cases", RETURNS, _("Family cases assisted"),
        _("Cases of two or more people travelling together (a family) that departed in the period."),
        _DEPARTED, Unit.CASES, ("destination_country", "host_mission", *WHEN),
    ),
    Indicator(
        "average_family_size", RETURNS, _("Average family size"),
        _("The number of persons in the family cases that departed in the period, divided by the number of those cases."),
        _DEPARTED, Unit.RATIO, (), basis=_("family cases"),
    ),
    Indicator(
        "children_assisted", RETURNS, _("Children assisted to return"),
        _("Persons assisted to return who were under 18 on the day their case departed. A person with only a "
          "year of birth is taken as born on 1 July of that year, one with a month and year on the 15th."),
        _DEPARTED, Unit.PERSONS, PERSON,
    ),
    Indicator(
        "family_members_assisted", RETURNS, _("Family members assisted to return"),
        _("Persons assisted to return who travelled as members of a case other than its principal applicant."),
        _DEPARTED, Unit.PERSONS, PERSON,
    ),
    Indicator(
        "persons_with_vulnerability", RETURNS, _("Persons assisted with a vulnerability"),
        _("Persons assisted to return with at least one vulnerability: recorded by a caseworker, or following "
          "from their age on the day their case departed (a child under 18, an elderly person of 65 or over). "
          "Broken down by vulnerability, a person with two vulnerabilities counts under each, so the parts add "
          "up to more than the whole."),
        _DEPARTED, Unit.PERSONS, ("vulnerability", *PERSON),
    ),
    Indicator(
        "counselling_sessions", COUNSELLING, _("Counselling sessions held"),
        _("Counselling sessions held in the period with the cases of the programme."),
        _("Sessions whose date falls within the period."), Unit.COUNT, ("host_mission", *WHEN),
    ),
    Indicator(
        "persons_counselled", COUNSELLING, _("Persons counselled"),
        _("Different persons present at one or more counselling sessions held in the period."),
        _("Distinct persons among those recorded as present at the period's sessions."), Unit.PERSONS, PERSON,
    ),
    Indicator(
        "informed_decisions", COUNSELLING, _("Informed decisions recorded"),
        _("Cases for which an informed and voluntary decision was recorded at a counselling session in the period."),
        _("Distinct cases with a session in the period marked “informed and voluntary decision recorded”."),
        Unit.CASES, ("decision", "host_mission", *WHEN),
    ),
    Indicator(
        "travel_documents_requested", DOCUMENTS, _("Travel documents requested"),
        _("Requests for travel documents (passports, emergency travel documents, laissez-passer) made to "
          "embassies and consulates in the period."),
        _("Requests whose request date falls within the period."), Unit.COUNT, ("destination_country", *WHEN),
    ),
    Indicator(
        "travel_documents_issued", DOCUMENTS, _("Travel documents issued"),
        _("Travel documents issued by embassies and consulates in the period."),
        _("Requests whose issue date falls within the period."), Unit.COUNT, ("destination_country", *WHEN),
    ),
    Indicator(
        "persons_reintegration", REINTEGRATION, _("Returnees receiving reintegration assistance"),
        _("Persons covered by a reintegration plan of which at least one component was delivered in the period. "
          "Broken down by type of assistance, a person counts under each type delivered."),
        _("Persons of the plans with a component delivered within the period (the household for a household plan)."),
        Unit.PERSONS, ("component_type", *PERSON),
    ),
    Indicator(
        "spend", MONEY, _("Spend per budget line"),
        _("Money paid in the period from the programme's budget lines: cash grants and invoices paid, less "
          "payments reversed, in the programme's currency."),
        _("Payments booked in the period, in each line's currency at the rate used when booked. The total adds the "
          "lines kept in the programme's currency; a line kept in another currency is listed with its currency "
          "and not added."), Unit.MONEY, ("budget_line",), basis=_("payments"),
    ),
    *(
        Indicator(f"satisfaction_{survey}", SATISFACTION, name, definition,
                  _("Respondents answering 4 or 5, divided by all respondents who answered the overall question."),
                  Unit.PERCENT, (), basis=_("respondents"))
        for survey, name, definition in (
            ("counselling", _("Satisfaction with counselling"),
             _("The share of respondents to the counselling satisfaction survey in the period who answered 4 "
               "(satisfied) or 5 (very satisfied) to the overall question.")),
            ("travel", _("Satisfaction with travel arrangements"),
             _("The share of respondents to the travel satisfaction survey in the period who answered 4 "
               "(satisfied) or 5 (very satisfied) to the overall question.")),
            ("reintegration", _("Satisfaction with reintegration assistance"),
             _("The share of respondents to the reintegration satisfaction survey in the period who answered 4 "
               "(satisfied) or 5 (very satisfied) to the overall question.")),
        )
    ),
    *(
        Indicator(f"rss_{dimension}", SUSTAINABILITY, name, definition,
                  _("The mean of the scores of the surveys taken in the period that have one, each under the "
                    "weight table it names."),
                  Unit.SCORE, (), basis=_("surveys"))
        for dimension, name, definition in (
            ("economic", _("Reintegration sustainability: economic"),
             _("The mean economic score (0 to 1) of the reintegration sustainability surveys taken in the period.")),
            ("social", _("Reintegration sustainability: social"),
             _("The mean social score (0 to 1) of the reintegration sustainability surveys taken in the period.")),
            ("psychosocial", _("Reintegration sustainability: psychosocial"),
             _("The mean psychosocial score (0 to 1) of the reintegration sustainability surveys taken in the "
               "period.")),
            ("composite", _("Reintegration sustainability: composite"),
             _("The mean composite score (0 to 1) of the reintegration sustainability surveys taken in the "
               "period, from the three dimensions.")),
        )
    ),
    Indicator(
        "monitoring_visits_due", MONITORING, _("Monitoring visits due"),
        _("Monitoring visits planned for a date within the period, whether done, missed or still open."),
        _("Visits whose planned date falls within the period."), Unit.COUNT, ("destination_country", *WHEN),
    ),
    Indicator(
        "monitoring_visits_done", MONITORING, _("Monitoring visits done"),
        _("Monitoring visits that took place in the period."),
        _("Visits recorded as done with a visit date within the period."), Unit.COUNT, ("destination_country", *WHEN),
    ),
    Indicator(
        "info_sessions", OUTREACH, _("Information sessions held"),
        _("Information sessions on assisted voluntary return held in the period (reception and detention "
          "facilities, communities, online)."),
        _("Sessions of the programme's campaigns whose date falls within the period."), Unit.COUNT, WHEN,
    ),
    Indicator(
        "info_session_participants", OUTREACH, _("Information session participants"),
        _("People who attended the information sessions held in the period, as counted at each session."),
        _("The sum of the participants recorded at each session."), Unit.PERSONS, ("sex_age", *WHEN),
    ),
    Indicator(
        "materials_distributed", OUTREACH, _("Information materials distributed"),
        _("Leaflets, posters and other materials handed out in the period."),
        _("The sum of the quantities recorded as distributed."), Unit.COUNT, WHEN,
    ),
    Indicator(
        "hotline_calls", OUTREACH, _("Hotline calls"),
        _("Calls received by the programme's missions' hotlines in the period."),
        _("Calls whose date falls within the period, at the missions implementing the programme."), Unit.COUNT, WHEN,
    ),
    Indicator(
        "withdrawals", EXITS, _("Withdrawals"),
        _("Cases that withdrew from assisted return in the period."),
        _("Cases whose move to “withdrawn” falls within the period."), Unit.CASES, ("host_mission", *WHEN),
    ),
    Indicator(
        "no_shows", EXITS, _("No-shows"),
        _("Cases that did not depart as booked in the period."),
        _("Cases whose move to “did not depart” falls within the period."), Unit.CASES, ("host_mission", *WHEN),
    ),
)  # fmt: skip

REGISTRY: dict[str, Indicator] = {i.code: i for i in INDICATORS}


def indicator(code: str) -> Indicator:
    return REGISTRY[code]
