"""The production stack, for real, on loopback: PostgreSQL, gunicorn, the worker and Debian's nginx with TLS.

Started from deploy/'s files (tests/stack/stack.py) with production settings; a counsellor logs in
through nginx, registers a case with the real form, exports the case list through the worker, and
everything stops cleanly. Static files are served by nginx itself (deploy/nginx/homeward.conf), not by
the application: the test shows that no static request reached gunicorn.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
import requests

from tests.stack.stack import (
    PASSWORD,
    Stack,
    clean_environment,
    env_example_names,
    port_is_free,
    post_form,
    running_stack,
)

# The stack runs on its own PostgreSQL cluster whatever the suite's database is; it is started once per
# `make test`, in the PostgreSQL run, because production runs on PostgreSQL (and the stack takes ~30 s).
pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the production stack is started once per `make test`: in its PostgreSQL run",
)


def _login(session: requests.Session, stack: Stack, username: str) -> requests.Response:
    page = session.get(f"{stack.url}/accounts/login/")
    page.raise_for_status()
    form = post_form(page.text, "username")
    form.update(username=[username], password=[PASSWORD])
    return session.post(page.url, data=form, headers={"Referer": page.url})


def _job_status(session: requests.Session, url: str) -> str:
    partial = session.get(url, headers={"HX-Request": "true"})
    partial.raise_for_status()
    return re.search(r'data-status="(\w+)"', partial.text).group(1)


def _processes_of(root: Path) -> list[int]:
    """Processes still running with the stack's directory in their environment or command line."""
    marker = str(root).encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker in (proc / "environ").read_bytes() or marker in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_the_production_stack_serves_through_nginx_runs_background_work_and_stops_cleanly() -> None:
    with running_stack(Stack.create_counsellor, extra_env={"HOMEWARD_EXPORT_INLINE_ROWS": "0"}) as stack:
        production = set(stack.env) - set(clean_environment()) - set(stack.extra_env) - {"DJANGO_SETTINGS_MODULE"}
        assert production <= env_example_names(), "deploy/homeward.env.example misses a variable production needs"
        session = stack.session()  # verifies the connection against the stack's certificate

        # Plain HTTP is sent to HTTPS by nginx.
        plain = session.get(f"{stack.http_url}/cases/?q=x", allow_redirects=False)
        assert plain.status_code == 301
        assert plain.headers["Location"] == f"{stack.url}/cases/?q=x"

        # Log in as a counsellor through nginx; Django saw HTTPS (HSTS, secure cookies), not a redirect loop.
        home = _login(session, stack, "counsellor.gr")
        assert home.status_code == 200
        assert home.url == f"{stack.url}/cases/", home.text[:500]
        assert "max-age=31536000" in home.headers["Strict-Transport-Security"]
        assert all(cookie.secure for cookie in session.cookies)

        # A static file, with the hashed name collectstatic gave it, served by nginx from HOMEWARD_STATIC_ROOT.
        css = re.search(r'href="(/static/homeward/homeward\.[0-9a-f]{12}\.css)"', home.text).group(1)
        static = session.get(f"{stack.url}{css}")
        assert static.status_code == 200
        assert static.headers["Content-Type"].startswith("text/css")
        on_disk = Path(stack.env["HOMEWARD_STATIC_ROOT"]) / css.removeprefix("/static/")
        assert static.content == on_disk.read_bytes()

        # Register a case with the real form: its CSRF token, the Referer HTTPS requires.
        page = session.get(f"{stack.url}/cases/new/")
        form = post_form(page.text, "principal-given_names")
        form.update(
            {
                "destination_country": ["AF"],
                "referral_source": ["ngo"],
                "principal-given_names": ["Amina"],
                "principal-family_name": ["Rahimi"],
                "principal-sex": ["F"],
                "principal-birth_year": ["1991"],
                "action": ["save"],
            }
        )
        forged = {**form, "csrfmiddlewaretoken": ["forged" * 8]}
        assert session.post(page.url, data=forged, headers={"Referer": page.url}).status_code == 403
        case = session.post(page.url, data=form, headers={"Referer": page.url})
        assert case.status_code == 200
        assert [r.status_code for r in case.history] == [302], case.text[:2000]
        reference = case.url.removeprefix(f"{stack.url}/cases/").strip("/")
        assert "Amina Rahimi" in case.text
        assert reference in case.text

        # The case list exported as a background job (HOMEWARD_EXPORT_INLINE_ROWS=0), run by the worker.
        started = session.get(f"{stack.url}/reports/export/cases/", params={"format": "csv"}, allow_redirects=False)
        assert started.status_code == 302, started.text[:500]
        job_url = f"{stack.url}{started.headers['Location']}"
        assert re.fullmatch(rf"{re.escape(stack.url)}/jobs/\d+/", job_url)
        deadline = time.monotonic() + 45  # a bound on waiting, not a speed requirement
        while (status := _job_status(session, job_url)) not in {"done", "failed"} and time.monotonic() < deadline:
            time.sleep(0.5)
        assert status == "done", stack.log("worker").read_text()[-3000:]
        download = session.get(f"{job_url}download")
        assert download.status_code == 200
        assert "attachment" in download.headers["Content-Disposition"]
        assert reference in download.text
        assert "Rahimi" in download.text

        gunicorn_log = stack.log("gunicorn").read_text()
        assert "GET /accounts/login/" in gunicorn_log  # the access log is on, so the next line means something
        assert "/static/" not in gunicorn_log, "a static file was served by the application, not by nginx"

    assert stack.exit_codes == {"nginx": 0, "gunicorn": 0, "worker": 0, "postgresql": 0}
    assert all(process.poll() is not None for process in stack.processes.values())
    assert _processes_of(stack.root) == []
    assert [port for port in stack.ports if not port_is_free(port)] == []
