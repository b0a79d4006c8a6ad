"""Benchmark: the donor report of one programme with 100,000 cases, on PostgreSQL.

Starts a throw-away PostgreSQL cluster (or uses DATABASE_URL, or SQLite with --sqlite),
loads the demo, then bulk-loads N synthetic cases into the Greek programme: persons with
partial birth dates, families, vulnerabilities, departures and arrivals spread over the
programme's life, counselling sessions and satisfaction answers. The bulk load bypasses the
services (it would take an hour through them, audited); the report reads the same tables.

Prints medians of repeated runs: the whole report (every indicator and disaggregation),
a quarter's report, the suppressed report of a programme viewer, and the JSON API.
Figures, not pass/fail.

    .venv/bin/python bench/report.py [--cases 100000] [--repeat 5] [--sqlite]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import bench_environment, load_cases, measure  # noqa: E402

GIVEN = {"M": ["Ahmad", "Mohammad", "Ali", "Imran", "Bilal", "Omar", "Yusuf", "Karim"],
         "F": ["Fatima", "Aisha", "Zainab", "Maryam", "Nadia", "Samira", "Leila", "Amina"]}  # fmt: skip
FAMILY = ["Khan", "Hussain", "Rahimi", "Ahmadi", "Haidari", "Benali", "El Amrani", "Karimi", "Mirza", "Qureshi"]
COUNTRIES = ["PK", "AF", "IQ", "MA", "BD", "GE", "DZ", "EG"]
REGIONS = {
    "PK": ["Punjab", "Sindh", "Khyber Pakhtunkhwa"],
    "AF": ["Kabul", "Herat", "Balkh"],
    "IQ": ["Erbil", "Baghdad"],
}


def bulk_load(n: int, rng: random.Random) -> None:
    """Bulk-load ``n`` cases of the Greek programme, departed over its life so far."""
    from django.db import transaction
    from django.utils import timezone

    from homeward.accounts.models import Mission, User
    from homeward.cases.models import Case, CaseMember, CaseStatus, Transition
    from homeward.core.text import search_key
    from homeward.counselling.models import Session
    from homeward.people.models import Person, PersonVulnerability, VulnerabilityType
    from homeward.programmes.models import Programme
    from homeward.surveys.models import Questionnaire, SatisfactionResponse

    gr = Mission.objects.get(code="GR")
    programme = Programme.objects.filter(missions=gr).order_by("code").first()
    by = User.objects.get(username="supervisor.gr")
    counsellor = User.objects.get(username="counsellor.gr")
    vulnerabilities = list(VulnerabilityType.objects.filter(derived=False).values_list("pk", flat=True))
    questionnaires = {q.code: q for q in Questionnaire.objects.all()}
    today = timezone.localdate()
    span = max(1, (today - programme.start).days)
    tz = timezone.get_current_timezone()
    at_field = Transition._meta.get_field("at")
    at_field.auto_now_add = False  # the bulk load dates its moves itself
    batch = 5000
    for first in range(0, n, batch):
        size = min(batch, n - first)
        with transaction.atomic():
            cases, households = [], []
            for i in range(first, first + size):
                country = rng.choice(COUNTRIES)
                inquiry = programme.start + dt.timedelta(days=rng.randrange(span))
                cases.append(Case(
                    reference=f"BENCH-{i:07d}", host_mission=gr, status=CaseStatus.ARRIVED, programme=programme,
                    destination_country=country, destination_place=rng.choice(REGIONS.get(country, [""])),
                    referral_source="self", inquiry_date=inquiry, registered_on=inquiry, counsellor=counsellor,
                ))  # fmt: skip
                households.append(1 if rng.random() < 0.6 else rng.randint(2, 6))
            Case.objects.bulk_create(cases)
            persons, members = [], []
            for case, size_of in zip(cases, households, strict=True):
                family = rng.choice(FAMILY)
                for k in range(size_of):
                    sex = rng.choice("MF")
                    age = rng.randint(19, 60) if k == 0 else rng.randint(0, 50)
                    precision = rng.choice(["exact", "exact", "exact", "year", "month"])
                    born = case.inquiry_date - dt.timedelta(days=age * 365 + rng.randrange(365))
                    born = born.replace(day=1) if precision == "month" else born
                    born = born.replace(month=1, day=1) if precision == "year" else born
                    given = rng.choice(GIVEN[sex])
                    persons.append(Person(
                        given_names=given, family_name=family, search_name=search_key(given, family), sex=sex,
                        birth_date=born, birth_date_precision=precision, nationality=case.destination_country,
                    ))  # fmt: skip
                    members.append((case, k))
            Person.objects.bulk_create(persons)
            CaseMember.objects.bulk_create(
                CaseMember(case=case, person=person, relationship="principal" if k == 0 else "child")
                for (case, k), person in zip(members, persons, strict=True)
            )
            PersonVulnerability.objects.bulk_create(
                PersonVulnerability(person=p, type_id=rng.choice(vulnerabilities))
                for p in persons
                if rng.random() < 0.2
            )
            moves, sessions, answers = [], [], []
            for case in cases:
                left = case.inquiry_date + dt.timedelta(days=rng.randint(20, 90))
                if left > today:
                    continue
                at = dt.datetime.combine(left, dt.time(10), tzinfo=tz)
                moves.append(Transition(case=case, from_status="travel_booked", to_status="departed", by=by, at=at))
                moves.append(Transition(case=case, from_status="departed", to_status="arrived", by=by,
                                        at=at + dt.timedelta(hours=9)))  # fmt: skip
                sessions.append(Session(case=case, held_on=case.inquiry_date, counsellor=counsellor, mode="in_person",
                                        language="en", interpretation="none", outcome="wants_to_return",
                                        informed_decision=True, topics=[]))  # fmt: skip
                if rng.random() < 0.3 and "travel" in questionnaires:
                    answers.append(SatisfactionResponse(case=case, questionnaire=questionnaires["travel"], taken_on=left,
                                                        answers={}, overall=rng.randint(3, 5), recorded_by=by))  # fmt: skip
            Transition.objects.bulk_create(moves)
            Session.objects.bulk_create(sessions)
            SatisfactionResponse.objects.bulk_create(answers)
    at_field.auto_now_add = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true", help="on a throw-away SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    with bench_environment(sqlite=args.sqlite):
        _run(args)


def _run(args: argparse.Namespace) -> None:
    load_cases(args.cases)
    import django
    from django.test import Client

    from homeward.accounts.models import User
    from homeward.cases.models import Case
    from homeward.reporting.periods import Period
    from homeward.reporting.selectors import report_for, report_programmes

    me = User.objects.get(username="me.gr")
    viewer = User.objects.get(username="viewer")
    programme = report_programmes(me).filter(missions__code="GR").first()
    life = Period(programme.start, programme.end)
    today = django.utils.timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarter = Period(quarter_start, today)
    doc = report_for(me, programme, life)
    print(f"programme {programme.code}: {doc['indicators']['persons_assisted']['value']} persons assisted, "
          f"{doc['indicators']['family_cases']['value']} family cases in the life report")  # fmt: skip
    whole = measure("report: life of programme (M&E officer)", lambda: report_for(me, programme, life), args.repeat)
    measure("report: this quarter (M&E officer)", lambda: report_for(me, programme, quarter), args.repeat)
    viewed = measure("report: life, suppressed (programme viewer)", lambda: report_for(viewer, programme, life),
                      args.repeat)  # fmt: skip
    client = Client()
    client.force_login(me)
    url = f"/api/v1/programmes/{programme.pk}/report?from={life.start}&to={life.end}"
    if client.get(url).status_code == 200:
        measure("API: GET /programmes/{id}/report (life)", lambda: client.get(url), args.repeat)
    per_thousand = whole / max(1, Case.objects.filter(programme=programme).count()) * 1000
    print(f"life report per 1,000 cases: {per_thousand:.1f} ms; ratio viewer / officer: {viewed / whole:.2f}")


if __name__ == "__main__":
    main()
