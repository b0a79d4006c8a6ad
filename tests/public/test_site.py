"""The public site: no login, in the visitor's language (right-to-left where it is), light, and about no one."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from homeward.accounts.models import Mission
from homeward.appointments.models import Office
from homeward.public.models import Page
from tests.public.conftest import apply

pytestmark = pytest.mark.django_db


def html_of(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("accept", "lang"),
    [("fr-FR,fr;q=0.9,en;q=0.5", "fr"), ("de-DE,de;q=0.9", "en"), ("fa-IR", "fa"), ("", "en"),
     ("de;q=0.9,el;q=0.8", "el")],
)  # fmt: skip
def test_the_site_address_takes_the_visitor_to_their_browsers_language(
    accept: str, lang: str, visitor: Client, site: dict[str, Page]
) -> None:
    response = visitor.get("/site/GR/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response["Location"] == f"/site/GR/{lang}/"
    assert "Accept-Language" in response["Vary"]


def test_the_site_needs_no_login_and_lists_the_missions_with_a_site(
    visitor: Client, site: dict[str, Page], ro: Mission
) -> None:
    response = visitor.get("/site/")
    assert response.status_code == 200
    html = html_of(response)
    assert 'href="/site/GR/"' in html
    assert "/site/RO/" not in html  # no page: no site
    assert visitor.get("/site/RO/").status_code == 404


def test_the_home_page_lists_the_published_pages_in_menu_order(visitor: Client, site: dict[str, Page]) -> None:
    html = html_of(visitor.get("/site/GR/en/"))
    assert html.index("Who can apply") < html.index("Assistance")
    assert "/site/GR/en/draft/" not in html
    assert 'href="/site/GR/en/apply/"' in html
    assert 'href="/site/GR/en/contact/"' in html
    # Light: one small stylesheet of our own, no script, no framework, nothing from another site.
    assert "<script" not in html
    assert "bootstrap" not in html
    assert not re.search(r"(src|href)=\"https?://", html)
    assert 'href="/static/public/site.css"' in html


def test_every_page_offers_every_language_named_in_itself(visitor: Client, site: dict[str, Page]) -> None:
    html = html_of(visitor.get("/site/GR/el/who-can-apply/"))
    for code, name in [("en", "English"), ("ar", "العربية"), ("fa", "فارسی / دری"), ("ur", "اردو"), ("fr", "Français")]:
        assert f'<a href="/site/GR/{code}/who-can-apply/" lang="{code}" hreflang="{code}"' in html
        assert name in html
    assert 'lang="el" hreflang="el" aria-current="true">Ελληνικά<' in html


@pytest.mark.parametrize(
    ("lang", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("el", "ltr"), ("en", "ltr")]
)
def test_right_to_left_languages_are_laid_out_right_to_left(
    lang: str, direction: str, visitor: Client, site: dict[str, Page], office: Office
) -> None:
    for path in ("", "who-can-apply/", "contact/", "apply/"):
        response = visitor.get(f"/site/GR/{lang}/{path}")
        assert response.status_code == 200, path
        assert f'<html lang="{lang}" dir="{direction}">' in html_of(response), path
        assert response["Content-Language"] == lang


def test_a_page_in_the_visitors_language_is_shown_in_it(visitor: Client, site: dict[str, Page]) -> None:
    html = html_of(visitor.get("/site/GR/ar/who-can-apply/"))
    assert "من يمكنه التقديم" in html
    assert "not yet available" not in html


def test_a_page_without_the_visitors_language_falls_back_to_english_and_says_so(
    visitor: Client, site: dict[str, Page]
) -> None:
    html = html_of(visitor.get("/site/GR/fr/who-can-apply/"))
    with translation.override("fr"):
        notice = translation.gettext("This page is not yet available in %(language)s; here it is in English.")
    assert notice != "This page is not yet available in %(language)s; here it is in English."
    assert notice % {"language": "Français"} in html
    assert "Who can apply" in html
    assert "<strong>voluntarily</strong>" in html
    assert '<html lang="fr" dir="ltr">' in html
    # The English text is marked as English, laid out left to right even on an Arabic page.
    assert '<h1 lang="en" dir="ltr">Assistance</h1>' in html_of(visitor.get("/site/GR/ar/assistance/"))


@pytest.mark.parametrize(
    "path",
    ["/site/XX/", "/site/XX/en/", "/site/GR/de/", "/site/GR/xx/who-can-apply/", "/site/GR/en/no-such-page/",
     "/site/GR/en/draft/", "/site/XX/en/apply/", "/site/GR/de/apply/", "/site/GR/de/contact/"],
)  # fmt: skip
def test_an_unknown_mission_language_or_page_or_a_draft_is_not_found(
    path: str, visitor: Client, site: dict[str, Page]
) -> None:
    assert visitor.get(path).status_code == 404


def test_an_unpublished_page_disappears_from_the_site(visitor: Client, site: dict[str, Page], admin_gr: object) -> None:
    from homeward.public import services

    services.page_publish(acting_user=admin_gr, page=site["assistance"], published=False)
    assert visitor.get("/site/GR/en/assistance/").status_code == 404
    assert "/site/GR/en/assistance/" not in html_of(visitor.get("/site/GR/en/"))


def test_offices_show_address_hours_in_the_visitors_language_languages_and_the_hotline(
    visitor: Client, site: dict[str, Page], office: Office
) -> None:
    html = html_of(visitor.get("/site/GR/en/contact/"))
    assert "Athens office" in html
    assert "Leoforos Vouliagmenis 1" in html
    assert "Monday" in html
    assert "Friday" in html
    assert "Saturday" not in html
    assert "08:30–16:30" in html
    assert "Arabic" in html
    assert "Urdu" in html
    assert 'href="tel:+30 800 111 2222"' in html
    assert "Back office" not in html
    assert "Closed office" not in html
    greek = html_of(visitor.get("/site/GR/el/contact/"))
    assert "Δευτέρα" in greek
    assert "Παρασκευή" in greek
    assert "Monday" not in greek
    arabic = html_of(visitor.get("/site/GR/ar/contact/"))
    assert "الاثنين" in arabic
    assert "العربية, الفارسي, الاردية" in arabic  # languages of service, named in Arabic


def test_content_pages_may_be_cached_but_the_form_never(visitor: Client, site: dict[str, Page]) -> None:
    for path in ("/site/GR/en/", "/site/GR/en/who-can-apply/", "/site/GR/en/contact/"):
        response = visitor.get(path)
        assert "max-age=300" in response["Cache-Control"], path
        assert "no-store" not in response["Cache-Control"]
        assert "csrftoken" not in response.cookies
    assert visitor.get("/site/GR/en/apply/")["Cache-Control"] == "private, no-store"


def test_the_site_never_shows_anyone_who_asked_for_help(
    visitor: Client, site: dict[str, Page], office: Office, case_gr: object
) -> None:
    response = apply(visitor, lang="en", given_names="Zarghuna", family_name="Qaderi", phone="+30 690 999 8877",
                     email="zarghuna.q@example.org")  # fmt: skip
    assert response.status_code == 200
    code = re.search(r'class="ack-code"[^>]*>([A-Z0-9]+)<', html_of(response)).group(1)  # type: ignore[union-attr]
    secrets = ["Zarghuna", "Qaderi", "690 999 8877", "zarghuna.q@", "Khan", "Imran", code]
    stranger = Client(REMOTE_ADDR="198.51.100.4")
    paths = ["/site/", "/site/GR/"]
    for lang in ("en", "el", "ar", "fa"):
        paths += [f"/site/GR/{lang}/{p}" for p in ("", "who-can-apply/", "assistance/", "contact/", "apply/")]
    for path in paths:
        response = stranger.get(path, follow=True)
        assert response.status_code == 200, path
        html = html_of(response)
        for secret in secrets:
            assert secret not in html, (path, secret)
        # No counts of anything.
        assert "inquir" not in html.lower()
    # The code has no address of its own to look it up.
    assert stranger.get(f"/site/GR/en/{code}/").status_code == 404


def test_the_home_page_reads_a_fixed_number_of_rows_however_many_pages(
    visitor: Client, site: dict[str, Page], admin_gr: object, gr: Mission, django_assert_max_num_queries: object
) -> None:
    from tests.public.conftest import add_page

    for n in range(10):
        add_page(admin_gr, gr, f"story-{n}", {"en": (f"Story {n}", "…"), "fr": (f"Histoire {n}", "…")})  # type: ignore[arg-type]
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        html = html_of(visitor.get("/site/GR/fr/"))
    assert "Histoire 9" in html
