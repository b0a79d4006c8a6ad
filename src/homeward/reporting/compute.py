"""Computing every indicator of the registry for one scope, into the report document.

Each source is read once, with the columns the indicators need, and counted in
Python: a breakdown is the same rows grouped another way, so its cells always add
up to the total they break down (but for the dimensions where one person can
count under several keys, which their definitions say).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from homeward.accounts.models import Mission
from homeward.cases.models import Case, CaseMember, CaseStatus, CaseType, Relationship, Transition
from homeward.core.dates import ADULT_AGE, ELDERLY_AGE, DatePrecision
from homeward.people.models import PersonVulnerability, Sex, VulnerabilityType
from homeward.programmes.models import Target
from homeward.reporting.figures import Doc
from homeward.reporting.indicators import DIMENSIONS, INDICATORS, REGISTRY
from homeward.reporting.periods import month_of, quarter_of
from homeward.reporting.selectors import Scope

UNKNOWN = "unknown"


# ---------------------------------------------------------------- persons


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person in one case, with what the breakdowns look at."""

    case_id: int
    person_id: int
    member_id: int
    principal: bool
    sex: str
    age: int | None  # on the day of departure (or of the event counted: a session, a delivery)
    nationality: str
    destination_country: str
    destination_region: str
    host_mission: str
    day: dt.date  # the day counted: departure, session
    family: bool


def reference_birth(value: dt.date | None, precision: str) -> dt.date | None:
    """The birth date ages are worked out from: the middle of what a partial date allows."""
    if value is None:
        return None
    if precision == DatePrecision.MONTH:
        return value.replace(day=15)
    if precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
        return value.replace(month=7, day=1)
    return value


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return max(0, day.year - born.year - ((day.month, day.day) < (born.month, born.day)))


def sex_age(sex: str, age: int | None) -> str:
    if age is None or sex not in (Sex.MALE, Sex.FEMALE):
        return "other"
    if age < ADULT_AGE:
        return "boys" if sex == Sex.MALE else "girls"
    return "men" if sex == Sex.MALE else "women"


SEX_AGE_LABELS = {
    "men": gettext_lazy("men (18 and over)"),
    "women": gettext_lazy("women (18 and over)"),
    "boys": gettext_lazy("boys (under 18)"),
    "girls": gettext_lazy("girls (under 18)"),
    "other": gettext_lazy("other, not stated or age unknown"),
}


def age_group(age: int | None, bounds: list[int]) -> str:
    if age is None:
        return UNKNOWN
    lower = max(b for b in bounds if b <= age)
    following = [b for b in bounds if b > lower]
    return f"{lower}-{following[0] - 1}" if following else f"{lower}+"


def _day_bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(scope.period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(scope.period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def moved_cases(scope: Scope) -> Any:
    """The scope's cases with a move to "departed" or "arrived" in the period: every case that departed
    in it, and maybe a few more (a reopened case moving again). Cheap: an index on the moves' state
    and time finds them, without looking at every case of the programme."""
    start, end = _day_bounds(scope)
    moved = Transition.objects.filter(
        to_status__in=(CaseStatus.DEPARTED, CaseStatus.ARRIVED), at__gte=start, at__lt=end
    ).values("case_id")
    return Case.objects.filter(scope.cases_q(), pk__in=moved)


def departed_cases(scope: Scope) -> Any:
    """The scope's cases that departed in the period, each with ``departed_at``.

    The departure is the first move to "departed"; a case recorded straight as
    arrived counts from its first move to "arrived".
    """
    moves = Transition.objects.filter(case=OuterRef("pk")).order_by("at", "pk").values("at")
    departed = Subquery(moves.filter(to_status=CaseStatus.DEPARTED)[:1])
    arrived = Subquery(moves.filter(to_status=CaseStatus.ARRIVED)[:1])
    start, end = _day_bounds(scope)
    return (
        moved_cases(scope)
        .annotate(departed_at=Coalesce(departed, arrived))
        .filter(departed_at__gte=start, departed_at__lt=end)
    )


def _person_rows(members: Any, days: dict[int, dt.date]) -> list[PersonRow]:
    """Rows of ``members`` (a CaseMember queryset) of the cases in ``days``, each aged on its case's day."""
    raw = list(
        members.values_list(
            "case_id", "person_id", "pk", "relationship", "person__sex", "person__birth_date",
            "person__birth_date_precision", "person__nationality", "case__destination_country",
            "case__destination_place", "case__host_mission__code",
        )
    )  # fmt: skip
    raw = [r for r in raw if r[0] in days]
    sizes = Counter(r[0] for r in raw)
    rows = []
    for case_id, person_id, member_id, rel, sex, born, precision, nationality, country, region, mission in raw:
        day = days[case_id]
        rows.append(
            PersonRow(
                case_id=case_id, person_id=person_id, member_id=member_id, principal=rel == Relationship.PRINCIPAL,
                sex=sex,
                age=age_on(reference_birth(born, precision), day), nationality=str(nationality or ""),
                destination_country=str(country or ""), destination_region=(region or "").strip(),
                host_mission=mission, day=day, family=sizes[case_id] > 1,
            )
        )  # fmt: skip
    return rows


# ---------------------------------------------------------------- labels and breakdowns


class Labels:
    """The words for the keys of each breakdown, in the language of the request."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._vulnerabilities: dict[str, str] | None = None
        self._missions: dict[str, str] | None = None

    def __call__(self, dimension: str, key: str) -> str:
        if key == UNKNOWN:
            return _("not known")
        if dimension == "sex_age":
            return str(SEX_AGE_LABELS.get(key, key))
        if dimension == "sex":
            return str(Sex(key).label) if key in Sex.values else key
        if dimension in ("nationality", "destination_country"):
            return str(countries.name(key)) or key
        if dimension == "vulnerability":
            if self._vulnerabilities is None:
                self._vulnerabilities = dict(VulnerabilityType.objects.values_list("code", "name"))
            return _(self._vulnerabilities.get(key, key))
        if dimension == "host_mission":
            if self._missions is None:
                self._missions = {m.code: m.name for m in Mission.objects.all()}
            return self._missions.get(key, key)
        if dimension == "case_type":
            return str(CaseType(key).label)
        if dimension == "programme":
            return str(self.scope.programme.code)
        if dimension == "age_group":
            return key
        return key


def _cells(counter: Counter[str], dimension: str, labels: Labels, order: Iterable[str] | None = None) -> list[dict]:
    keys = list(order) if order is not None else sorted(counter, key=lambda k: (k == UNKNOWN, k))
    return [{"key": k, "label": labels(dimension, k), "value": counter.get(k, 0)} for k in keys]


# Per dimension: what to read off a row (counted at C speed), and how a value read becomes its key
# (applied once per distinct value, not once per person).
_RAW: dict[str, Callable[[PersonRow], Any]] = {
    "sex_age": attrgetter("sex", "age"),
    "sex": attrgetter("sex"),
    "age_group": attrgetter("age"),
    "nationality": attrgetter("nationality"),
    "destination_country": attrgetter("destination_country"),
    "destination_region": attrgetter("destination_region"),
    "host_mission": attrgetter("host_mission"),
    "case_type": attrgetter("family"),
    "programme": lambda row: None,
    "month": attrgetter("day"),
    "quarter": attrgetter("day"),
}


def _key_of(dimension: str, raw: Any, bounds: list[int], scope: Scope) -> str:
    if dimension == "sex_age":
        return sex_age(*raw)
    if dimension == "age_group":
        return age_group(raw, bounds)
    if dimension == "case_type":
        return CaseType.FAMILY if raw else CaseType.INDIVIDUAL
    if dimension == "programme":
        return scope.programme.code
    if dimension == "month":
        return month_of(raw)
    if dimension == "quarter":
        return quarter_of(raw)
    if dimension in _RAW:
        return raw or UNKNOWN
    raise KeyError(dimension)


def _count_by(rows: Iterable[PersonRow], dimension: str, bounds: list[int], scope: Scope) -> Counter[str]:
    counted: Counter[str] = Counter()
    for raw, n in Counter(map(_RAW[dimension], rows)).items():
        counted[_key_of(dimension, raw, bounds, scope)] += n
    return counted


def _age_order(bounds: list[int]) -> list[str]:
    return [age_group(b, bounds) for b in bounds] + [UNKNOWN]


def _order(dimension: str, scope: Scope, bounds: list[int]) -> list[str] | None:
    """Fixed orders, so a breakdown shows its empty cells too (and frozen copies compare cell by cell)."""
    if dimension == "sex_age":
        return list(SEX_AGE_LABELS)
    if dimension == "age_group":
        return _age_order(bounds)
    if dimension == "month":
        return scope.period.months()
    if dimension == "quarter":
        return list(dict.fromkeys(quarter_of(dt.date.fromisoformat(f"{m}-01")) for m in scope.period.months()))
    if dimension == "case_type":
        return [CaseType.INDIVIDUAL, CaseType.FAMILY]
    return None


# ---------------------------------------------------------------- the computation


class Computation:
    """One run over one scope: each source read once, each indicator filled in."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.labels = Labels(scope)
        self.bounds = list(scope.programme.age_groups or [0, ADULT_AGE])
        self.figures: dict[str, dict[str, Any]] = {}
        self._vulnerable: dict[tuple[int, int], set[str]] = {}
        self._vulnerability_order: list[str] | None = None

    # -- helpers

    def put(self, code: str, value: Any, *, basis: Any = None, breakdowns: dict[str, list[dict]] | None = None) -> None:
        indicator = REGISTRY[code]
        self.figures[code] = {
            "code": code, "section": str(indicator.section), "name": str(indicator.name), "unit": indicator.unit,
            "value": value, "basis": basis, "target": None, "target_period": None, "percent_of_target": None,
            "disaggregations": breakdowns or {},
        }  # fmt: skip

    def persons(self, code: str, rows: list[PersonRow], extra: dict[str, list[dict]] | None = None) -> None:
        """A count of distinct persons with every person breakdown its indicator offers."""
        people = {(r.case_id, r.person_id): r for r in rows}.values()
        breakdowns: dict[str, list[dict]] = {}
        for dimension in REGISTRY[code].disaggregations:
            if extra and dimension in extra:
                breakdowns[dimension] = extra[dimension]
                continue
            counter = _count_by(people, dimension, self.bounds, self.scope)
            breakdowns[dimension] = _cells(counter, dimension, self.labels, _order(dimension, self.scope, self.bounds))
        self.put(code, len(people), breakdowns=breakdowns)

    def dated(self, code: str, items: list[tuple[dt.date, dict[str, str]]], *, weight: list[int] | None = None) -> None:
        """A count of dated things (sessions, calls, cases) with the breakdowns their keys give."""
        weights = weight or [1] * len(items)
        # One pass over the items: per day, and per value of each key they carry.
        days: Counter[dt.date] = Counter()
        by_key: dict[str, Counter[str]] = defaultdict(Counter)
        for (day, keys), w in zip(items, weights, strict=True):
            days[day] += w
            for name, value in keys.items():
                by_key[name][value or UNKNOWN] += w
        breakdowns: dict[str, list[dict]] = {}
        for dimension in REGISTRY[code].disaggregations:
            counter: Counter[str] = Counter()
            if dimension in ("month", "quarter"):
                fold = month_of if dimension == "month" else quarter_of
                for day, n in days.items():
                    counter[fold(day)] += n
            elif dimension == "programme":
                counter[self.scope.programme.code] = sum(weights)
            else:
                counter = by_key.get(dimension, Counter())
            breakdowns[dimension] = _cells(counter, dimension, self.labels, _order(dimension, self.scope, self.bounds))
        self.put(code, sum(weights), breakdowns=breakdowns)

    # -- the sources

    def returns(self) -> None:
        cases = departed_cases(self.scope)
        days = {pk: timezone.localdate(at) for pk, at in cases.values_list("pk", "departed_at")}
        # The members of the cases that moved (a cheap superset), kept when their case is in ``days``:
        # the costly first-departure subqueries then run once, not once per query that needs the cases.
        members = CaseMember.objects.filter(case__in=moved_cases(self.scope).values("pk"))
        rows = _person_rows(members, days)
        self._vulnerable = self._vulnerabilities_of(members, rows)
        self.persons("persons_assisted", rows, extra={"vulnerability": self._vulnerability_cells(rows)})
        by_case: dict[int, list[PersonRow]] = defaultdict(list)
        for r in rows:
            by_case[r.case_id].append(r)
        case_items = {
            kind: [(members[0].day, {"destination_country": members[0].destination_country,
                                     "host_mission": members[0].host_mission})
                   for members in by_case.values() if (len(members) > 1) == (kind == "family_cases")]
            for kind in ("individual_cases", "family_cases")
        }  # fmt: skip
        for code, items in case_items.items():
            self.dated(code, items)
        families = [len(m) for m in by_case.values() if len(m) > 1]
        self.put("average_family_size", round(sum(families) / len(families), 2) if families else None,
                 basis=len(families))  # fmt: skip
        self.persons("children_assisted", [r for r in rows if r.age is not None and r.age < ADULT_AGE])
        self.persons("family_members_assisted", [r for r in rows if not r.principal])
        with_vulnerability = [r for r in rows if self._vulnerable.get((r.case_id, r.person_id))]
        self.persons("persons_with_vulnerability", with_vulnerability,
                     extra={"vulnerability": self._vulnerability_cells(with_vulnerability)})  # fmt: skip

    @staticmethod
    def _vulnerabilities_of(members: Any, rows: list[PersonRow]) -> dict[tuple[int, int], set[str]]:
        """Each (case, person)'s vulnerabilities: those recorded, and those that follow from the age on the
        day counted (a child under 18, an elderly person of 65 or over), the same age as every breakdown uses."""
        recorded: dict[int, set[str]] = defaultdict(set)
        typed = PersonVulnerability.objects.filter(person__in=members.values("person_id"))
        for person_id, code in typed.values_list("person_id", "type__code"):
            recorded[person_id].add(code)
        found: dict[tuple[int, int], set[str]] = {}
        for r in rows:
            child = r.age is not None and r.age < ADULT_AGE
            elderly = r.age is not None and r.age >= ELDERLY_AGE
            if not (child or elderly or r.person_id in recorded):
                continue  # most people: nothing to keep
            codes = set(recorded.get(r.person_id, ()))
            if child:
                codes.add(VulnerabilityType.CHILD)
            if elderly:
                codes.add(VulnerabilityType.ELDERLY)
            found[(r.case_id, r.person_id)] = codes
        return found

    def _vulnerability_cells(self, rows: list[PersonRow]) -> list[dict]:
        counter: Counter[str] = Counter()
        for key in {(r.case_id, r.person_id) for r in rows}:
            for code in self._vulnerable.get(key, ()):
                counter[code] += 1
        if self._vulnerability_order is None:
            self._vulnerability_order = list(
                VulnerabilityType.objects.order_by("order", "code").values_list("code", flat=True)
            )
        return _cells(counter, "vulnerability", self.labels, self._vulnerability_order)

    def counselling(self) -> None:
        from homeward.counselling.models import Outcome, Session

        p = self.scope.period
        sessions = Session.objects.filter(self.scope.cases_q("case__"), held_on__gte=p.start, held_on__lte=p.end)
        rows = list(sessions.values_list("pk", "held_on", "case__host_mission__code", "case_id", "outcome",
                                         "informed_decision"))  # fmt: skip
        self.dated("counselling_sessions", [(day, {"host_mission": m}) for _pk, day, m, *_rest in rows])
        attendees = CaseMember.objects.filter(sessions__in=sessions.values("pk")).distinct()
        first_day: dict[int, dt.date] = {}  # persons are aged on their case's first session of the period
        for _pk, day, _mission, case_id, *_rest in rows:
            first_day[case_id] = min(day, first_day.get(case_id, day))
        self.persons("persons_counselled", _person_rows(attendees, first_day))
        decided: dict[int, tuple[dt.date, str, str]] = {}
        for _pk, day, mission, case_id, outcome, informed in sorted(rows, key=lambda r: r[1]):
            if informed:
                decided[case_id] = (day, mission, outcome)  # the latest decision of the period counts
        labels = dict(Outcome.choices)
        self.dated(
            "informed_decisions",
            [(day, {"host_mission": m, "decision": outcome}) for day, m, outcome in decided.values()],
        )
        for cell in self.figures["informed_decisions"]["disaggregations"].get("decision", []):
            cell["label"] = str(labels.get(cell["key"], cell["label"]))

    def documents(self) -> None:
        from homeward.travel.models import TravelDocumentRequest

        p = self.scope.period
        docs = TravelDocumentRequest.objects.filter(self.scope.cases_q("case__"))
        for code, field in (("travel_documents_requested", "requested_on"), ("travel_documents_issued", "issued_on")):
            found = docs.filter(**{f"{field}__gte": p.start, f"{field}__lte": p.end}).values_list(
                field, "case__destination_country"
            )
            self.dated(code, [(day, {"destination_country": str(c or "")}) for day, c in found])

    def reintegration(self) -> None:
        """Persons of the plans with a component delivered in the period: a household plan reaches every
        member of its case, an individual plan its member only; each is aged on the case's first delivery."""
        from homeward.reintegration.models import Component

        p = self.scope.period
        components = Component.objects.filter(
            self.scope.cases_q("plan__case__"), status=Component.Status.DELIVERED,
            delivered_on__gte=p.start, delivered_on__lte=p.end,
        )  # fmt: skip
        delivered = list(components.values_list("plan__case_id", "plan__member_id", "kind", "delivered_on"))
        household: dict[int, set[str]] = defaultdict(set)  # case -> kinds
        individual: dict[int, set[str]] = defaultdict(set)  # case member -> kinds
        first: dict[int, dt.date] = {}
        for case_id, member_id, kind, day in delivered:
            (household[case_id] if member_id is None else individual[member_id]).add(kind)
            first[case_id] = min(day, first.get(case_id, day))
        members = CaseMember.objects.filter(case_id__in=components.values("plan__case_id"))
        rows = _person_rows(members, first) if delivered else []
        reached = {r.member_id: household.get(r.case_id, set()) | individual.get(r.member_id, set()) for r in rows}
        people = [r for r in rows if reached[r.member_id]]
        counter: Counter[str] = Counter(kind for r in people for kind in reached[r.member_id])
        cells = _cells(counter, "component_type", self.labels, list(Component.Kind.values))
        for cell in cells:
            cell["label"] = str(Component.Kind(cell["key"]).label)
        self.persons("persons_reintegration", people, extra={"component_type": cells})

    def money(self) -> None:
        from homeward.assistance.models import LedgerEntry

        p, programme = self.scope.period, self.scope.programme
        lines = programme.budget_lines.order_by("pk")
        # Payments of no case (an office's costs) belong to the whole programme: counted only when
        # the scope covers every mission implementing it, not in one mission's figures.
        whole = set(programme.missions.values_list("pk", flat=True)) <= self.scope.missions
        of_scope = (Q(case__isnull=True) if whole else Q(pk__in=[])) | self.scope.cases_q("case__")
        spent = {
            line_id: (total, n)
            for line_id, total, n in LedgerEntry.objects.filter(
                of_scope, budget_line__programme=programme, kind=LedgerEntry.Kind.PAYMENT,
                booked_on__gte=p.start, booked_on__lte=p.end,
            ).values_list("budget_line_id").annotate(total=Sum("amount"), n=Count("pk")).values_list(
                "budget_line_id", "total", "n"
            )
        }  # fmt: skip
        cells, total, payments = [], Decimal(0), 0
        for line in lines:
            amount, n = spent.get(line.pk, (Decimal(0), 0))
            label = f"{line.get_category_display()} ({line.currency})"
            # "payments": how many entries the amount rests on (a viewer does not see one person's grant).
            cells.append({"key": str(line.pk), "label": label, "value": float(amount or 0), "payments": n})
            if line.currency == programme.currency:
                total, payments = total + (amount or 0), payments + n
        self.put("spend", float(total), basis=payments, breakdowns={"budget_line": cells})

    def satisfaction(self) -> None:
        from homeward.surveys.models import SatisfactionResponse
        from homeward.surveys.schema import SATISFIED

        p = self.scope.period
        counts = {
            row["questionnaire__code"]: row
            for row in SatisfactionResponse.objects.filter(
                self.scope.cases_q("case__"), taken_on__gte=p.start, taken_on__lte=p.end
            )
            .values("questionnaire__code")
            .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(overall__in=SATISFIED)))
        }
        for survey in ("counselling", "travel", "reintegration"):
            row = counts.get(survey, {"n": 0, "satisfied": 0})
            rate = round(row["satisfied"] * 100 / row["n"], 1) if row["n"] else None
            self.put(f"satisfaction_{survey}", rate, basis=row["n"])

    def sustainability(self) -> None:
        from homeward.surveys.models import Score

        p = self.scope.period
        scores = (
            Score.objects.filter(
                self.scope.cases_q("response__case__"), response__taken_on__gte=p.start, response__taken_on__lte=p.end
            )
            .order_by("response_id", "pk")
            .values_list("response_id", "dimensions", "composite")
        )
        # A response rescored under another weight table has several scores: its latest counts, once.
        latest = {response: (dimensions, composite) for response, dimensions, composite in scores}
        sums: dict[str, list[float]] = defaultdict(list)
        for dimensions, composite in latest.values():
            for name, value in (dimensions or {}).items():
                if value is not None:
                    sums[name].append(float(value))
            if composite is not None:
                sums["composite"].append(float(composite))
        for name in ("economic", "social", "psychosocial", "composite"):
            values = sums.get(name, [])
            self.put(f"rss_{name}", round(sum(values) / len(values), 2) if values else None, basis=len(values))

    def monitoring(self) -> None:
        from homeward.monitoring.models import Visit

        p = self.scope.period
        visits = Visit.objects.filter(self.scope.cases_q("case__")).exclude(status=Visit.Status.CANCELLED)
        due = visits.filter(scheduled_for__gte=p.start, scheduled_for__lte=p.end).values_list(
            "scheduled_for", "case__destination_country"
        )
        done = visits.filter(status=Visit.Status.DONE, visited_on__gte=p.start, visited_on__lte=p.end).values_list(
            "visited_on", "case__destination_country"
        )
        self.dated("monitoring_visits_due", [(d, {"destination_country": str(c or "")}) for d, c in due])
        self.dated("monitoring_visits_done", [(d, {"destination_country": str(c or "")}) for d, c in done])

    def outreach(self) -> None:
        from homeward.outreach.models import HotlineCall, InfoSession, MaterialDistribution

        p, missions = self.scope.period, self.scope.missions
        of_programme = Q(campaign__programme=self.scope.programme, campaign__mission_id__in=missions)
        sessions = InfoSession.objects.filter(of_programme, held_on__gte=p.start, held_on__lte=p.end)
        fields = InfoSession.PARTICIPANT_FIELDS
        rows = list(sessions.values_list("held_on", *fields))
        self.dated("info_sessions", [(r[0], {}) for r in rows])
        self.dated("info_session_participants", [(r[0], {}) for r in rows], weight=[sum(r[1:]) for r in rows])
        group_key = {"women": "women", "men": "men", "girls": "girls", "boys": "boys"}
        cells: Counter[str] = Counter()
        for row in rows:
            for name, count in zip(fields, row[1:], strict=True):
                cells[group_key.get(name, "other")] += count
        self.figures["info_session_participants"]["disaggregations"]["sex_age"] = _cells(
            cells, "sex_age", self.labels, list(SEX_AGE_LABELS)
        )
        materials = MaterialDistribution.objects.filter(
            of_programme, distributed_on__gte=p.start, distributed_on__lte=p.end
        ).values_list("distributed_on", "quantity")
        materials = list(materials)
        self.dated("materials_distributed", [(d, {}) for d, _q in materials], weight=[q for _d, q in materials])
        start, end = _day_bounds(self.scope)
        implementing = set(self.scope.programme.missions.values_list("pk", flat=True))
        calls = HotlineCall.objects.filter(
            mission_id__in=implementing & set(missions), received_at__gte=start, received_at__lt=end
        ).values_list("received_at", flat=True)
        self.dated("hotline_calls", [(timezone.localdate(at), {}) for at in calls])

    def exits(self) -> None:
        start, end = _day_bounds(self.scope)
        for code, status in (("withdrawals", CaseStatus.WITHDRAWN), ("no_shows", CaseStatus.NO_SHOW)):
            moves = (
                Transition.objects.filter(self.scope.cases_q("case__"), to_status=status, at__gte=start, at__lt=end)
                .order_by("case_id", "at")
                .values_list("case_id", "at", "case__host_mission__code")
            )
            first: dict[int, tuple[dt.date, str]] = {}
            for case_id, at, mission in moves:
                first.setdefault(case_id, (timezone.localdate(at), mission))
            self.dated(code, [(day, {"host_mission": m}) for day, m in first.values()])

    # -- targets

    def targets(self) -> None:
        """Each figure against the target of exactly the report's period (the life target for the whole programme)."""
        programme, period = self.scope.programme, self.scope.period
        for target in Target.objects.filter(programme=programme):
            start, end = target.dates() if target.period != Target.Period.LIFE else (programme.start, programme.end)
            if (start, end) != (period.start, period.end) or target.kind not in self.figures:
                continue
            figure = self.figures[target.kind]
            figure["target"], figure["target_period"] = float(target.value), target.period
            value = figure["value"]
            if isinstance(value, int | float) and target.value:
                figure["percent_of_target"] = round(float(value) * 100 / float(target.value), 1)

    def run(self) -> dict[str, dict[str, Any]]:
        for source in (self.returns, self.counselling, self.documents, self.reintegration, self.money,
                       self.satisfaction, self.sustainability, self.monitoring, self.outreach, self.exits):  # fmt: skip
            source()
        self.targets()
        return {i.code: self.figures[i.code] for i in INDICATORS}


def compute(scope: Scope) -> Doc:
    """The report document of ``scope`` (see ``reporting.figures``), before any suppression."""
    programme = scope.programme
    codes = dict(Mission.objects.filter(pk__in=scope.missions).values_list("pk", "code"))
    return {
        "programme": {"id": programme.pk, "code": programme.code, "name": programme.name,
                      "donor": programme.donor, "currency": programme.currency},
        "period": {"from": scope.period.start.isoformat(), "to": scope.period.end.isoformat()},
        "missions": sorted(codes.values()),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "suppression": {"threshold": scope.threshold, "applied": False},
        "dimensions": {key: str(d.name) for key, d in DIMENSIONS.items()},
        "indicators": Computation(scope).run(),
    }  # fmt: skip
