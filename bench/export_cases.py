"""Benchmark: exporting the case list of N cases as a background job (CSV, XLSX, one row per member).

Bulk-loads N synthetic cases into the Greek programme (``bench/report.py``'s loader), then
runs the export jobs as the Greek counsellor exactly as the worker would (``job_run``:
scoping, chunked reads, progress, the file stored). Prints rows per second and the
process's peak memory. Figures, not pass/fail.

    .venv/bin/python bench/export_cases.py [--cases 100000] [--sqlite]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import bench_environment, load_cases  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="on a throw-away SQLite file instead of PostgreSQL")
    args = parser.parse_args()
    with bench_environment(sqlite=args.sqlite):
        _run(args)


def _run(args: argparse.Namespace) -> None:
    load_cases(args.cases)
    from homeward.accounts.models import User
    from homeward.jobs.services import job_run, job_start

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
