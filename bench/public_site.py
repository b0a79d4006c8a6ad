"""The public site on a phone with a poor connection: what each page weighs and how fast it is served.

Seeds the demo (its public pages in several languages), then fetches every public page in English
and in Arabic, and the self-referral round trip. Prints bytes (HTML, and the one stylesheet),
whether any script or outside address is referenced, the database reads per page and the
median time to serve it. At 2G speeds (~30 KB/s) 10 KB is about a third of a second.
Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import bench_environment, measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres", action="store_true", help="on a throw-away PostgreSQL instead of SQLite")
    args = parser.parse_args()
    with bench_environment(sqlite=not args.postgres):
        run(args.repeat)


def run(repeat: int) -> None:
    import django

    django.setup()
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from homeward.demo.seed import seed

    setup_test_environment()
    call_command("migrate", verbosity=0)
    seed(cases=20)
    css = Path(finders.find("public/site.css")).stat().st_size
    print(f"database: {connection.vendor}; the stylesheet public/site.css: {css} bytes, the only other file")
    visitor = Client(REMOTE_ADDR="203.0.113.50")
    for lang in ("en", "ar"):
        for path in ("", "about/", "who-can-apply/", "stories/", "contact/", "apply/"):
            url = f"/site/GR/{lang}/{path}"
            with CaptureQueriesContext(connection) as reads:
                response = visitor.get(url)
            html = response.content
            outside = re.findall(rb'(?:src|href)="(https?:)?//', html)
            scripts = html.count(b"<script")
            print(f"{url:<32} {response.status_code}  {len(html):6} bytes ({len(gzip.compress(html)):5} gzipped)  "
                  f"{len(reads):2} reads  scripts {scripts}  outside addresses {len(outside)}")  # fmt: skip
            measure(f"  serve {url}", lambda url=url: visitor.get(url), repeat)
    form = {"given_names": "Bench", "phone": "+30 690 000 0001", "language": "ar", "nationality": "AF",
            "where": "city", "city": "Athens", "how_heard": "website", "consent": "on"}  # fmt: skip
    with_limit = {"HOMEWARD_SELF_REFERRALS_PER_HOUR": 10**6}
    from django.test import override_settings

    with override_settings(**with_limit):
        sent = visitor.post("/site/GR/ar/apply/", form, follow=True)
        assert b"ack-code" in sent.content, "the form was refused: the benchmark would time a refusal"  # noqa: S101
        measure("self-referral: send, redirect, acknowledgement",
                lambda: visitor.post("/site/GR/ar/apply/", form, follow=True), repeat)  # fmt: skip


if __name__ == "__main__":
    main()
