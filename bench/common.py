"""What the benchmarks share: the environment they run in, a bulk-loaded programme, and timing."""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bench.postgres import throwaway_postgres


@contextmanager
def bench_environment(*, sqlite: bool) -> Iterator[None]:
    """Demo settings in a throw-away folder, on a throw-away PostgreSQL (or DATABASE_URL, or SQLite)."""
    os.environ.setdefault("HOMEWARD_VAR_DIR", tempfile.mkdtemp(prefix="homeward-bench-"))
    for name, value in (("HOMEWARD_DEMO", "1"), ("DEBUG", "false"), ("HOMEWARD_HTTPS", "false")):
        os.environ.setdefault(name, value)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    if sqlite:
        os.environ.pop("DATABASE_URL", None)
        yield
    elif "DATABASE_URL" in os.environ:
        yield
    else:
        with throwaway_postgres() as url:
            os.environ["DATABASE_URL"] = url
            yield


def load_cases(cases: int) -> None:
    """Migrate, seed the demo and bulk-load ``cases`` cases into the Greek programme (``bench/report.py``)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.report import bulk_load
    from homeward.cases.models import Case, CaseMember
    from homeward.demo.seed import seed

    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed(cases=20)
    start = time.perf_counter()
    bulk_load(cases, random.Random(2026))  # noqa: S311 - synthetic data, not secrets
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; {Case.objects.count()} cases, {CaseMember.objects.count()} persons "
          f"loaded in {time.perf_counter() - start:.1f} s")  # fmt: skip


def measure(label: str, action: Callable[[], object], repeat: int) -> float:
    """Run ``action`` once to warm up, then ``repeat`` times; print and return the median in ms."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"{label:<52} median {median:9.1f} ms   min {min(times):8.1f}   max {max(times):8.1f}   (n={repeat})")
    return median
