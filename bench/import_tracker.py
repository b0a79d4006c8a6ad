"""Benchmark of the tracker import: a generated XLSX of N rows (families of one to five), checked and imported.

``.venv/bin/python bench/import_tracker.py [--rows 10000] [--existing 0]`` on a throw-away SQLite database
(or ``DATABASE_URL``). Prints the time of reading, of the dry run and of the import, in rows per second.
Not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import bench_environment  # noqa: E402

SYLLABLES = ["ka", "ri", "mo", "sa", "te", "lu", "na", "di", "po", "he", "za", "bi", "ro", "fu", "ye", "ma", "qi",
             "lo", "tu", "ne"]  # fmt: skip
GIVEN = ["Imran", "Ayesha", "Ali", "Sana", "Omar", "Fatima", "Bilal", "Zainab", "Hassan", "Maryam", "Yusuf", "Amina"]
COUNTRIES = ["Pakistan", "PK", "PAK", "Georgia", "GE", "Senegal", "SN", "Iraq", "IQ", "Bangladesh"]
HEADER = ["Case no", "Family", "Relationship", "First name", "Last name", "Sex", "Date of birth", "Nationality",
          "Destination", "City", "Vulnerabilities", "Registration date", "Notes"]  # fmt: skip


def _family_name(n: int) -> str:
    """A distinct made-up family name per case, so no two cases look like the same person."""
    parts = []
    for _ in range(4):
        parts.append(SYLLABLES[n % len(SYLLABLES)])
        n //= len(SYLLABLES)
    return "".join(parts).capitalize()


def _birth(rng: random.Random, year: int) -> object:
    kind = rng.random()
    day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    if kind < 0.4:
        return dt.datetime(day.year, day.month, day.day)  # noqa: DTZ001 - an Excel date cell has no time zone
    if kind < 0.7:
        return day.strftime("%d/%m/%Y")
    if kind < 0.85:
        return f"{day.month:02d}/{day.year}"
    return str(year)


def generate(rows: int, seed: int = 7) -> bytes:
    import openpyxl

    rng = random.Random(seed)  # noqa: S311 - made-up test data, not secrets
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tracker of returns (generated)"])
    sheet.append(HEADER)
    written, case = 0, 0
    while written < rows:
        case += 1
        size = min(rng.choice([1, 1, 2, 3, 3, 4, 5]), rows - written)
        family, nationality = _family_name(case), rng.choice(COUNTRIES)
        head_year = rng.randint(1960, 2000)
        registered = (dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 500))).strftime("%d/%m/%Y")
        for member in range(size):
            relationship = "PA" if member == 0 else ("spouse" if member == 1 else "child")
            year = head_year if member == 0 else (head_year + rng.randint(-3, 3) if member == 1 else
                                                   rng.randint(head_year + 18, 2023))  # fmt: skip
            sheet.append([
                f"T-{case}", f"F{case}", relationship, GIVEN[(case + member) % len(GIVEN)], family,
                rng.choice(["M", "F"]), _birth(rng, year), nationality, "" if member else nationality,
                "Lahore" if member == 0 else "", "disability" if rng.random() < 0.05 else "",
                registered if member == 0 and rng.random() < 0.5 else "", "",
            ])  # fmt: skip
            written += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Printing:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    def stage(self, name: str, total: int | None = None) -> None:
        print(f"  {time.perf_counter() - self.started:6.1f} s  {name} ({total})")

    def advance(self, by: int = 1) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--existing", type=int, default=0, help="cases already recorded (the duplicate check reads them)"
    )
    args = parser.parse_args()

    # SQLite unless DATABASE_URL names a database.
    with bench_environment(sqlite="DATABASE_URL" not in os.environ):
        _run(args)


def _run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from homeward.accounts.models import Membership, Mission, User
    from homeward.accounts.roles import Role
    from homeward.imports import checking, mapping, services

    call_command("migrate", verbosity=0)
    if args.existing:
        from homeward.demo.seed import seed

        seed(cases=args.existing)
    mission, _ = Mission.objects.get_or_create(
        code="GR", defaults={"name": "IOM Greece", "country": "GR", "kind": "host"}
    )
    user, _ = User.objects.get_or_create(username="bench.importer")
    Membership.objects.get_or_create(user=user, mission=mission, defaults={"role": Role.COUNSELLOR})

    start = time.perf_counter()
    data = generate(args.rows)
    print(f"database: {connection.vendor}; generated {args.rows} rows ({len(data) / 1e6:.1f} MB) "
          f"in {time.perf_counter() - start:.1f} s")  # fmt: skip

    start = time.perf_counter()
    upload = services.upload_create(
        acting_user=user, mission=mission, programme=None, data=data, file_name="bench.xlsx"
    )
    read = time.perf_counter() - start
    print(f"upload (sniff, read, keep): {read:6.1f} s  {args.rows / read:8.0f} rows/s")
    sheet = services.read_upload(upload)
    options = checking.Options(mapping.guess(sheet.headers))

    start = time.perf_counter()
    outcome = services.tracker_run(acting_user=user, upload=upload, options=options, dry_run=True)
    checked = time.perf_counter() - start
    print(f"dry run (read + check):     {checked:6.1f} s  {args.rows / checked:8.0f} rows/s   "
          f"{len(outcome.plan.cases)} cases, {outcome.plan.members} people")  # fmt: skip

    start, cpu = time.perf_counter(), time.process_time()
    outcome = services.tracker_run(acting_user=user, upload=upload, options=options, dry_run=False, progress=Printing())
    imported, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"import (read, check, write): {imported:5.1f} s  {args.rows / imported:8.0f} rows/s   "
          f"{len(outcome.cases)} cases ({imported / max(len(outcome.cases), 1) * 1000:.1f} ms per case); "
          f"CPU {cpu:.1f} s (a busy machine shows more wall time than CPU time)")  # fmt: skip


if __name__ == "__main__":
    main()
