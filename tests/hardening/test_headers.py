"""Security headers and the Content Security Policy: on pages, the API, public pages and error pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from homeward.accounts.models import User
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy_of(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = [d.strip() for d in header.split(";") if d.strip()]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in directives}


def assert_hardened(response: object) -> None:
    assert policy_of(response) == POLICY
    assert response["X-Frame-Options"] == "DENY"  # type: ignore[index]
    assert response["X-Content-Type-Options"] == "nosniff"  # type: ignore[index]
    assert response["Referrer-Policy"] == "same-origin"  # type: ignore[index]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"  # type: ignore[index]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_page_carries_the_policy_and_the_headers(counsellor_gr: User) -> None:
    response = signed_in(counsellor_gr).get("/cases/")
    assert response.status_code == 200
    assert_hardened(response)


def test_the_login_page_carries_them(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert_hardened(response)


def test_the_api_carries_them(counsellor_gr: User, api_as: object) -> None:
    response = api_as(counsellor_gr).get("/cases")  # type: ignore[operator]
    assert response.status_code == 200
    assert_hardened(response)


def test_an_api_error_carries_them() -> None:
    response = ApiClient().get("/cases")
    assert response.status_code == 401
    assert_hardened(response)


def test_the_404_page_carries_them(counsellor_gr: User) -> None:
    response = signed_in(counsellor_gr).get("/no-such-page/")
    assert response.status_code == 404
    assert_hardened(response)


def test_a_403_carries_them(viewer: User) -> None:
    response = signed_in(viewer).get("/cases/register/")
    assert response.status_code in (403, 404)
    assert_hardened(response)


def test_a_public_page_carries_them(client: Client) -> None:
    response = client.get("/f/")
    assert response.status_code in (200, 302, 404)
    assert_hardened(response)


def test_no_hsts_over_plain_http(client: Client) -> None:
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


@override_settings(SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_SSL_REDIRECT=False)
def test_hsts_under_https_only(client: Client) -> None:
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")
    secure = client.get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"


# Templates WeasyPrint turns into PDFs (named *_pdf.html, and the travel letter): never served as pages,
# so their <style> is not under the policy.
PDF_TEMPLATES = {"travel/letter.html"}
INLINE = [
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "an inline event handler (on...=)"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline script code"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on (HTMX evaluates it as code)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def served_templates() -> list[Path]:
    package = Path(settings.PACKAGE_DIR)
    found = []
    for path in sorted(package.rglob("templates/**/*.html")):
        name = str(path).split("/templates/", 1)[1]
        if name not in PDF_TEMPLATES and not name.endswith("_pdf.html"):
            found.append(path)
    return found


def test_no_served_template_has_inline_code_or_styles() -> None:
    """What the policy would block in a browser, found before any browser runs."""
    templates = served_templates()
    assert len(templates) > 100
    problems = [
        f"{path.relative_to(settings.PACKAGE_DIR)}: {what}"
        for path in templates
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert problems == []


def test_the_scan_finds_what_it_looks_for() -> None:
    samples = [
        '<select onchange="this.form.submit()">',
        '<div class="x" style="width: 5%">',
        "<style>body{}</style>",
        "<script>alert(1)</script>",
        '<button hx-on:click="x()">',
        '<a href="javascript:void(0)">',
    ]
    for sample, (pattern, _what) in zip(samples, INLINE, strict=True):
        assert pattern.search(sample), sample
    assert not INLINE[3][0].search('<script src="/static/x.js" defer></script>')
    assert not INLINE[3][0].search('<script type="application/json" id="d">')
