"""Self-referral: a short form in the visitor's language makes an inquiry in the mission's triage queue, and nothing else."""

from __future__ import annotations

import logging
import re

import pytest
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django.utils import translation

from homeward.core.models import FormAttempt
from homeward.public import services
from homeward.public.models import Page
from homeward.triage.models import CODE_ALPHABET, CODE_LENGTH, Inquiry
from tests.public.conftest import GOOD, apply

pytestmark = pytest.mark.django_db


def ack_code(response: object) -> str:
    match = re.search(r'<strong class="ack-code" dir="ltr">([A-Z0-9]+)</strong>', response.content.decode())  # type: ignore[attr-defined]
    assert match, response.content.decode()[:3000]  # type: ignore[attr-defined]
    return match.group(1)


def test_the_form_is_labelled_in_the_visitors_language_with_the_page_language_preselected(
    visitor: Client, site: dict[str, Page]
) -> None:
    html = visitor.get("/site/GR/ar/apply/").content.decode()
    assert '<option value="ar" selected>العربية</option>' in html
    assert '<label for="id_given_names">' in html
    assert '<button type="submit">إرسال</button>' in html
    # Countries named in Arabic.
    assert '<option value="AF">أفغانستان</option>' in html
    # The honeypot is there, out of sight, out of the tab order.
    assert '<div class="trap" aria-hidden="true">' in html
    assert 'name="website"' in html
    assert 'tabindex="-1"' in html


def test_a_self_referral_makes_an_inquiry_in_the_missions_queue_and_shows_its_code(
    visitor: Client, site: dict[str, Page], gr: object
) -> None:
    response = apply(visitor, lang="el")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    code = ack_code(response)
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(CODE_ALPHABET)
    inquiry = Inquiry.objects.get()
    assert inquiry.code == code
    assert (inquiry.mission, inquiry.status) == (gr, Inquiry.Status.NEW)
    assert (inquiry.given_names, inquiry.family_name) == ("Farida", "Rahimi")
    assert (inquiry.phone, inquiry.messenger, inquiry.messenger_number) == (
        "+30 690 123 4567", "whatsapp", "+30 690 765 4321"
    )  # fmt: skip
    assert (inquiry.email, inquiry.language) == ("farida@example.org", "fa")
    assert (inquiry.nationality.code, inquiry.destination_country.code) == (
        "AF",
        "AF",
    )  # return defaults to nationality
    assert (inquiry.where, inquiry.city, inquiry.facility) == ("reception_facility", "", "Malakasa")
    assert (inquiry.family_travels, inquiry.family_size, inquiry.how_heard) == (True, 3, "ngo")
    assert inquiry.message == GOOD["message"]
    with translation.override("el"):
        assert inquiry.consent_text == services.consent_text()
    assert inquiry.consent_at is not None
    assert inquiry.assigned_to is None
    assert inquiry.case is None


def test_the_code_is_shown_only_in_the_answer_to_the_post(visitor: Client, site: dict[str, Page]) -> None:
    code = ack_code(apply(visitor))
    assert code not in visitor.get("/site/GR/en/apply/").content.decode()


def test_a_reload_of_the_acknowledgement_shows_the_code_again_and_sends_nothing_twice(
    visitor: Client, site: dict[str, Page], ro: object
) -> None:
    response = apply(visitor)
    ((ack_url, status),) = response.redirect_chain
    assert status == 302
    code = ack_code(response)
    assert code not in ack_url  # signed, not readable in the address bar or a proxy's log
    again = visitor.get(ack_url)
    assert ack_code(again) == code
    assert again["Cache-Control"] == "private, no-store"
    assert Inquiry.objects.count() == 1
    token = ack_url.rstrip("/").rsplit("/", 1)[1]
    assert visitor.get(ack_url.replace(token, token[:-2] + "xx")).status_code == 404
    assert visitor.get(ack_url.replace("/GR/", "/RO/")).status_code == 404


def test_a_return_country_other_than_the_nationality_and_a_city_are_kept(
    visitor: Client, site: dict[str, Page]
) -> None:
    apply(visitor, destination_country="PK", where="city", city="Thessaloniki", facility="", family_travels="",
          family_size="7", messenger="", messenger_number="", email="")  # fmt: skip
    inquiry = Inquiry.objects.get()
    assert (inquiry.destination_country.code, inquiry.where, inquiry.city) == ("PK", "city", "Thessaloniki")
    assert (inquiry.family_travels, inquiry.family_size, inquiry.messenger) == (False, None, "")


# ---------------------------------------------------------------- bad input


def errors_of(response: object) -> dict[str, list[str]]:
    html = response.content.decode()  # type: ignore[attr-defined]
    found = re.findall(r'data-field="(\w+)">(.*?)</div>', html, flags=re.S)
    return {field: re.findall(r"<p>(.*?)</p>", block) for field, block in found}


@pytest.mark.parametrize(("lang", "required"), [("fr", "Ce champ est obligatoire."), ("el", "Αυτό το πεδίο")])
def test_an_unknown_nationality_and_a_missing_name_are_refused_in_the_visitors_language(
    lang: str, required: str, visitor: Client, site: dict[str, Page]
) -> None:
    response = apply(visitor, lang=lang, nationality="XX", given_names="")
    assert response.status_code == 400
    errors = errors_of(response)
    assert len(errors["given_names"]) == 1
    assert errors["given_names"][0].startswith(required)
    with translation.override(lang):
        assert errors["nationality"] == [
            str(translation.gettext("We do not know this nationality: choose it from the list."))
        ]
    assert f'<html lang="{lang}"' in response.content.decode()
    assert not Inquiry.objects.exists()


def test_the_service_refuses_an_unknown_nationality_too(site: dict[str, Page], gr: object) -> None:
    data = services.SelfReferralInput(**{**{k: v for k, v in GOOD.items() if k != "website"}, "nationality": "ZZ",
                                         "family_travels": True, "family_size": 3, "consent": True})  # fmt: skip
    with pytest.raises(services.ServiceError) as refused:
        services.self_referral_submit(mission=gr, data=data, page_language="en")  # type: ignore[arg-type]
    assert list(refused.value.fields) == ["nationality"]
    assert not Inquiry.objects.exists()


def test_at_least_one_way_to_reach_the_person_is_needed(visitor: Client, site: dict[str, Page]) -> None:
    response = apply(visitor, phone="", messenger_number="", email="")
    assert response.status_code == 400
    assert "Give at least one way to reach you" in errors_of(response)["phone"][0]
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"messenger": ""}, "messenger"),
        ({"phone": "call me maybe"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"where": "reception_facility", "facility": ""}, "facility"),
        ({"where": "city", "city": ""}, "city"),
        ({"family_size": ""}, "family_size"),
        ({"how_heard": "pigeon"}, "how_heard"),
        ({"consent": ""}, "consent"),
        ({"message": "a" * 1001}, "message"),
        ({"given_names": "a" * 101}, "given_names"),
        ({"destination_country": "XX"}, "destination_country"),
        ({"language": "klingon"}, "language"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    changes: dict[str, str], field: str, visitor: Client, site: dict[str, Page]
) -> None:
    response = apply(visitor, **changes)
    assert response.status_code == 400
    assert field in errors_of(response), errors_of(response)
    assert not Inquiry.objects.exists()


def test_a_body_over_16_kb_is_refused_before_it_is_read(visitor: Client, site: dict[str, Page]) -> None:
    response = apply(visitor, lang="ar", message="a" * 17_000)
    assert response.status_code == 413
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert not Inquiry.objects.exists()
    assert not FormAttempt.objects.exists()


def test_the_form_keeps_csrf_protection(site: dict[str, Page]) -> None:
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    assert apply(browser).status_code == 403
    browser.get("/site/GR/en/apply/")
    token = browser.cookies["csrftoken"].value
    assert apply(browser, csrfmiddlewaretoken=token).status_code == 200  # the acknowledgement
    assert Inquiry.objects.count() == 1


# ---------------------------------------------------------------- abuse


def test_a_robot_filling_the_hidden_field_sees_a_code_but_nothing_is_kept(
    visitor: Client, site: dict[str, Page], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="homeward.public"):
        response = apply(visitor, website="http://spam.example")
    assert response.status_code == 200
    code = ack_code(response)
    assert len(code) == CODE_LENGTH
    assert not Inquiry.objects.exists()
    assert any(r.name == "homeward.public" and "honeypot" in r.getMessage() for r in caplog.records)


@override_settings(HOMEWARD_SELF_REFERRALS_PER_HOUR=3)
def test_a_flood_from_one_address_is_refused_logged_and_loses_nothing_accepted(
    visitor: Client, site: dict[str, Page], caplog: pytest.LogCaptureFixture
) -> None:
    apply(visitor)
    first = Inquiry.objects.get()
    before = model_to_dict(first)
    apply(visitor, given_names="Second")
    apply(visitor, given_names="Third")
    with caplog.at_level(logging.WARNING, logger="homeward.public"):
        refused = [apply(visitor, lang="el", given_names=f"Flood {n}") for n in range(10)]
    assert {r.status_code for r in refused} == {429}
    assert '<html lang="el" dir="ltr">' in refused[0].content.decode()
    assert "Flood" not in refused[0].content.decode()
    assert any(r.name == "homeward.public" and r.levelno == logging.WARNING for r in caplog.records)
    assert "203.0.113.7" not in caplog.text
    assert sorted(Inquiry.objects.values_list("given_names", flat=True)) == ["Farida", "Second", "Third"]
    first.refresh_from_db()
    assert model_to_dict(first) == before
    # Another address is not held back by this one, nor is the feedback form's count shared.
    assert apply(Client(REMOTE_ADDR="198.51.100.9"), given_names="Elsewhere").status_code == 200
    assert set(FormAttempt.objects.values_list("form", flat=True)) == {"self_referral"}


def test_a_number_typed_on_an_arabic_or_persian_keyboard_is_read_as_digits(
    visitor: Client, site: dict[str, Page]
) -> None:
    apply(visitor, lang="ar", phone="+٣٠ ٦٩٠ ١٢٣ ٤٥٦٧", messenger_number="+۳۰ ۶۹۰ ۷۶۵ ۴۳۲۱")
    inquiry = Inquiry.objects.get()
    assert (inquiry.phone, inquiry.messenger_number) == ("+30 690 123 4567", "+30 690 765 4321")


def test_english_titles_in_a_right_to_left_menu_are_marked_left_to_right(
    visitor: Client, site: dict[str, Page]
) -> None:
    html = visitor.get("/site/GR/ar/").content.decode()
    untranslated = Page.objects.filter(published=True).exclude(translations__language="ar")
    assert untranslated
    for page in untranslated:
        assert f'{page.slug}/" lang="en" dir="ltr">' in html


@override_settings(HOMEWARD_SELF_REFERRALS_PER_HOUR=1)
def test_behind_a_proxy_the_limit_counts_the_visitor_named_by_the_proxy_header(site: dict[str, Page]) -> None:
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    assert apply(proxy, HTTP_X_REAL_IP="203.0.113.1").status_code == 200
    assert apply(proxy, HTTP_X_REAL_IP="203.0.113.2").status_code == 429  # the header is not trusted by default
    with override_settings(HOMEWARD_CLIENT_IP_HEADER="X-Real-IP"):
        assert apply(proxy, HTTP_X_REAL_IP="203.0.113.3").status_code == 200
        assert apply(proxy, HTTP_X_REAL_IP="203.0.113.4").status_code == 200
        assert apply(proxy, HTTP_X_REAL_IP="203.0.113.4").status_code == 429
