"""Soak: a bounded load on the production stack, through nginx and TLS, for minutes.

Starts the stack of the production-stack test (tests/stack/stack.py: its own PostgreSQL, migrate,
`homeward serve` with gunicorn, the worker, Debian's nginx with a self-signed certificate), loads the demo
data (`homeward seed-demo`), then runs a few clients at once for ``--minutes`` with a mix of pages and API
calls: the case list, a case page, a search, a registration (the real form), the API's case list and a
case through a personal token, and the donor report page. Prints throughput, latency percentiles per kind,
errors (target: none) and the application server's memory (gunicorn's master and workers, RSS) every
30 seconds with its slope (target: flat). Figures, not pass/fail.

    .venv/bin/python bench/soak.py [--minutes 10] [--clients 4] [--cases 300] [--app-workers 2]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from tests.stack.stack import Stack, StackError, post_form, running_stack  # noqa: E402

DEMO_PASSWORD = "homeward-demo"  # noqa: S105 - the demo's published password (homeward.demo.seed)
# Share of each kind in the mix: mostly reading cases, some API, a few registrations and reports.
MIX = {
    "case list": 22,
    "case page": 20,
    "search": 15,
    "api list": 15,
    "api case": 12,
    "report page": 8,
    "registration": 8,
}
SEARCHES = ["khan", "ali", "hussain", "ahmad", "fatima", "mohammad", "rahimi", "zoe"]
GIVEN = ["Amina", "Bilal", "Farid", "Hana", "Jamal", "Leila", "Omid", "Rana", "Samir", "Yusuf"]
FAMILY = ["Rahimi", "Haidari", "Nazari", "Qasemi", "Sultani", "Wardak", "Yousufi", "Zaheer"]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies[kind].append(seconds)
            else:
                self.errors[kind].append(error)


def login(stack: Stack, username: str) -> requests.Session:
    session = stack.session()
    page = session.get(f"{stack.url}/accounts/login/")
    form = post_form(page.text, "username")
    form.update(username=[username], password=[DEMO_PASSWORD])
    answer = session.post(page.url, data=form, headers={"Referer": page.url})
    if "/accounts/login" in answer.url:
        raise SystemExit(f"could not log in as {username}: {answer.status_code}")
    return session


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def gunicorn_rss_mb(stack: Stack) -> tuple[float, int]:
    """Resident memory of gunicorn's master and its workers, in MB, and the number of processes."""
    master = stack.processes["gunicorn"].pid
    pids = [master]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    pids.append(int(proc.name))
            except (OSError, IndexError, ValueError):
                continue
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024, len(pids)


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per hour."""
    if len(points) < 2:
        return 0.0
    xs, ys = zip(*points, strict=True)
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return 0.0 if var == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var * 3600


class Client(threading.Thread):
    def __init__(self, number: int, stack: Stack, token: str, fixtures: dict, results: Results, until: float):
        super().__init__(name=f"client-{number}", daemon=True)
        self.stack, self.token, self.fixtures, self.results, self.until = stack, token, fixtures, results, until
        self.random = random.Random(number)  # noqa: S311 - load, not secrets
        self.counsellor = login(stack, "counsellor.gr")
        self.me = login(stack, "me.gr")
        self.api = stack.session()
        self.api.headers["Authorization"] = f"Bearer {token}"

    def run(self) -> None:
        kinds, weights = list(MIX), list(MIX.values())
        while time.monotonic() < self.until:
            kind = self.random.choices(kinds, weights)[0]
            start = time.perf_counter()
            try:
                error = getattr(self, "do_" + kind.replace(" ", "_"))()
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"
            self.results.record(kind, time.perf_counter() - start, error)

    def _get(self, session: requests.Session, path: str, **kwargs: object) -> str | None:
        response = session.get(f"{self.stack.url}{path}", **kwargs)  # type: ignore[arg-type]
        return None if response.status_code == 200 else f"{response.status_code} {path}"

    def do_case_list(self) -> str | None:
        return self._get(self.counsellor, f"/cases/?page={self.random.randint(1, 4)}")

    def do_case_page(self) -> str | None:
        return self._get(self.counsellor, f"/cases/{self.random.choice(self.fixtures['references'])}/")

    def do_search(self) -> str | None:
        return self._get(self.counsellor, "/cases/", params={"q": self.random.choice(SEARCHES)})

    def do_api_list(self) -> str | None:
        return self._get(self.api, "/api/v1/cases", params={"q": self.random.choice(SEARCHES)})

    def do_api_case(self) -> str | None:
        return self._get(self.api, f"/api/v1/cases/{self.random.choice(self.fixtures['case_ids'])}")

    def do_report_page(self) -> str | None:
        return self._get(self.me, self.fixtures["report"])

    def do_registration(self) -> str | None:
        page = self.counsellor.get(f"{self.stack.url}/cases/new/")
        if page.status_code != 200:
            return f"{page.status_code} GET /cases/new/"
        form = post_form(page.text, "principal-given_names")
        form.update(
            {
                "destination_country": ["AF"],
                "referral_source": ["ngo"],
                "principal-given_names": [self.random.choice(GIVEN)],
                "principal-family_name": [self.random.choice(FAMILY)],
                "principal-sex": [self.random.choice("FM")],
                "principal-birth_year": [str(self.random.randint(1960, 2004))],
                "action": ["save"],
            }
        )
        saved = self.counsellor.post(page.url, data=form, headers={"Referer": page.url}, allow_redirects=False)
        return None if saved.status_code == 302 else f"{saved.status_code} POST /cases/new/"


def fixtures(stack: Stack, token: str) -> dict:
    """Case references and ids to visit, and the report page, read as a user would."""
    api = stack.session()
    api.headers["Authorization"] = f"Bearer {token}"
    items = []
    for q in SEARCHES[:4]:
        answer = api.get(f"{stack.url}/api/v1/cases", params={"q": q})
        answer.raise_for_status()
        items += answer.json()["results"]
    me = login(stack, "me.gr")
    reports = me.get(f"{stack.url}/reports/").text
    report = re.search(r'href="(/reports/programmes/\d+/)"', reports)
    if not items or report is None:
        raise SystemExit("the demo data has no cases or no programme report to visit")
    return {
        "references": sorted({item["reference"] for item in items}),
        "case_ids": sorted({item["id"] for item in items}),
        "report": report.group(1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--cases", type=int, default=300, help="demo cases to seed (homeward seed-demo --cases)")
    parser.add_argument("--app-workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()

    def prepare(stack: Stack) -> None:
        start = time.perf_counter()
        try:
            stack.homeward("seed-demo", "--cases", str(args.cases))
        except StackError as error:
            # The seed registers case by case: what it made before a failure is there, enough to load.
            print(f"the demo seed stopped early: {str(error).strip().splitlines()[-1]}", flush=True)
        count = "from homeward.cases.models import Case; print(Case.objects.count())"
        cases = stack.homeward("shell", "-c", count).strip().splitlines()[-1]
        print(f"seeded the demo: {cases} cases in {time.perf_counter() - start:.0f} s", flush=True)

    started = time.perf_counter()
    with running_stack(prepare, app_workers=args.app_workers) as stack:
        print(f"stack up in {time.perf_counter() - started:.0f} s: {stack.url} (nginx, TLS) -> gunicorn "
              f"{args.app_workers} workers -> PostgreSQL; worker running", flush=True)  # fmt: skip
        token = stack.homeward("token", "create", "counsellor.gr", "--name", "soak", "--scope", "read").split()[-1]
        data = fixtures(stack, token)
        results = Results()
        until = time.monotonic() + args.minutes * 60
        clients = [Client(n, stack, token, data, results, until) for n in range(args.clients)]
        load_start = time.monotonic()
        memory: list[tuple[float, float]] = []
        for client in clients:
            client.start()
        print(f"{args.clients} clients for {args.minutes:g} min; memory of the application server:", flush=True)
        while True:
            elapsed = time.monotonic() - load_start
            rss, processes = gunicorn_rss_mb(stack)
            memory.append((elapsed, rss))
            done = sum(len(v) for v in results.latencies.values())
            print(
                f"  t={elapsed:5.0f} s  RSS {rss:7.1f} MB ({processes} processes)  requests so far {done}", flush=True
            )
            if time.monotonic() >= until:
                break
            time.sleep(min(30, max(0.0, until - time.monotonic())))
        for client in clients:
            client.join()
        duration = time.monotonic() - load_start
    print(f"stopped: exit codes {stack.exit_codes}")

    total = sum(len(v) for v in results.latencies.values())
    errors = sum(len(v) for v in results.errors.values())
    print(f"\n{total} requests in {duration:.0f} s: {total / duration:.1f} per second; errors: {errors}")
    print(f"{'kind':<14} {'n':>6} {'per s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in MIX:
        times = [t * 1000 for t in results.latencies.get(kind, [])]
        if not times:
            print(f"{kind:<14} {0:>6}")
            continue
        print(f"{kind:<14} {len(times):>6} {len(times) / duration:>6.1f} {_percentile(times, 0.5):>8.0f} "
              f"{_percentile(times, 0.95):>8.0f} {_percentile(times, 0.99):>8.0f} {len(results.errors.get(kind, [])):>7}")  # fmt: skip
    for kind, messages in results.errors.items():
        print(f"errors in {kind}: {sorted(set(messages))[:5]}")
    # The first minute is warm-up: each worker imports the code and fills its caches on its first requests.
    steady = [point for point in memory if point[0] >= 60] or memory
    print(f"application server RSS: first {memory[0][1]:.1f} MB, at 60 s {steady[0][1]:.1f} MB, last "
          f"{memory[-1][1]:.1f} MB; slope after the first minute {slope_per_hour(steady):+.1f} MB/hour")  # fmt: skip


if __name__ == "__main__":
    main()
