"""Benchmarks of the hot reads: the case list, search and the case page.

Prints the median and the spread of repeated runs. Not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="homeward-bench-")
    os.environ.setdefault("HOMEWARD_VAR_DIR", workdir)
    os.environ.setdefault("HOMEWARD_DEMO", "1")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("HOMEWARD_HTTPS", "false")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from homeward.accounts.models import User
    from homeward.cases import selectors
    from homeward.cases.models import Case
    from homeward.demo.seed import seed

    setup_test_environment()
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    seed(cases=args.cases)
    loaded = time.perf_counter() - start
    total = Case.objects.count()
    print(f"database: {django.db.connection.vendor}; {total} cases loaded in {loaded:.1f} s "
          f"({loaded / max(total, 1) * 1000:.1f} ms per registration, audited)")  # fmt: skip

    user = User.objects.get(username="counsellor.gr")
    client = Client()
    client.force_login(user)
    reference = selectors.case_list(user, selectors.CaseFilters()).first().reference

    plain = measure(
        "selector: first page of the case list",
        lambda: list(selectors.case_list(user, selectors.CaseFilters())[:25]),
        args.repeat,
    )
    search = measure(
        "selector: search 'khan' (folded names)",
        lambda: list(selectors.case_list(user, selectors.CaseFilters(q="khan"))[:25]),
        args.repeat,
    )
    measure(
        "selector: search 'ali khan' (two words)",
        lambda: list(selectors.case_list(user, selectors.CaseFilters(q="ali khan"))[:25]),
        args.repeat,
    )
    page = measure("page: GET /cases/", lambda: client.get("/cases/"), args.repeat)
    measure(
        "page: GET /cases/?q=khan (HTMX partial)",
        lambda: client.get("/cases/?q=khan", headers={"HX-Request": "true", "HX-Target": "case-results"}),
        args.repeat,
    )
    measure("page: GET /cases/<ref>/ (members, history)", lambda: client.get(f"/cases/{reference}/"), args.repeat)
    print(f"ratio search / plain list: {search / plain:.2f}; page / selector: {page / plain:.2f}")

    # The journey: a case far along (guards of its next moves, the timeline), the day board, my work.
    travelled = Case.objects.filter(host_mission__code="GR", status__in=["arrived", "departed", "travel_booked"])
    if travelled.exists():
        far = travelled.first().reference
        registered = Case.objects.filter(host_mission__code="GR", status="registered").first().reference
        young = measure("page: GET /cases/<ref>/ of a registered case", lambda: client.get(f"/cases/{registered}/"),
                         args.repeat)  # fmt: skip
        old = measure("page: GET /cases/<ref>/ of a travelled case", lambda: client.get(f"/cases/{far}/"),
                       args.repeat)  # fmt: skip
        print(f"ratio travelled / registered case page: {old / young:.2f}")
    measure("page: GET /work/ (my work)", lambda: client.get("/work/"), args.repeat)
    movement = Client()
    movement.force_login(User.objects.get(username="movement.gr"))
    measure("page: GET /travel/board/ (day board)", lambda: movement.get("/travel/board/"), args.repeat)


if __name__ == "__main__":
    main()
