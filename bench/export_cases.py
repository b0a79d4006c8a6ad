"""Benchmark: exporting the case list of N cases as a background job (CSV, XLSX, one row per member).

Bulk-loads N synthetic cases into the Greek programme (``bench/report.py``'s loader), then
runs the export jobs as the Greek counsellor exactly as the worker would (``job_run``:
scoping, chunked reads, progress, the file stored). Prints rows per second and the
process's peak memory. Figures, not pass/fail.

    .venv/bin/python bench/export_cases.py [--cases 100000] [--sqlite]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.postgres import throwaway_postgres  # noqa: E402
from bench.report import _load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="on a throw-away SQLite file instead of PostgreSQL")
    args = parser.parse_args()

    os.environ.setdefault("HOMEWARD_VAR_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
    for name, value in (("HOMEWARD_DEMO", "1"), ("DEBUG", "false"), ("HOMEWARD_HTTPS", "false")):
        os.environ.setdefault(name, value)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    own_pg = not args.sqlite and "DATABASE_URL" not in os.environ
    with throwaway_postgres() if own_pg else nullcontext(os.environ.get("DATABASE_URL")) as url:
        if url and not args.sqlite:
            os.environ["DATABASE_URL"] = url
        else:
            os.environ.pop("DATABASE_URL", None)
        _run(args)


def _run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from homeward.accounts.models import User
    from homeward.cases.models import Case, CaseMember
    from homeward.demo.seed import seed
    from homeward.jobs.services import job_run, job_start

    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed(cases=20)
    start = time.perf_counter()
    _load(args.cases, random.Random(2026))  # noqa: S311 - synthetic data, not secrets
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; {Case.objects.count()} cases, {CaseMember.objects.count()} persons "
          f"loaded in {time.perf_counter() - start:.1f} s")  # fmt: skip

    user = User.objects.get(username="counsellor.gr")
    for label, fmt, rows in (("CSV, a row per case", "csv", "cases"), ("XLSX, a row per case", "xlsx", "cases"),
                             ("CSV, a row per member", "csv", "members")):  # fmt: skip
        params = {"params": {"rows": [rows]}, "format": fmt, "hxl": True, "language": "en"}
        job = job_start(kind="exports.cases", title=label, acting_user=user, params=params)
        start = time.perf_counter()
        job = job_run(job.pk)
        took = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label:<28} {job.status:<6} {job.done:>9,} rows in {took:7.1f} s = {job.done / took:9,.0f} rows/s; "
              f"file {job.result.size / 1e6:7.1f} MB; peak memory so far {peak_mb:7.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
