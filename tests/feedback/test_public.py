"""The public feedback form: no account, writes only feedback to its case, reads nothing back, never says if a code exists."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db.models import F
from django.test import Client, override_settings

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.core.models import FormAttempt
from homeward.feedback import services
from homeward.feedback.models import Feedback, FeedbackLink
from tests.feedback.conftest import GOOD, comparable, send, send_code

pytestmark = pytest.mark.django_db
UNKNOWN = "x" * 32


def test_the_form_opens_without_an_account(public: Client, link: FeedbackLink) -> None:
    response = public.get(f"/f/{link.token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tell us how it went" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # Light: no script, nothing from another site.
    assert "<script" not in html
    assert "http://" not in html
    assert "https://" not in html
    assert response["Referrer-Policy"] == "same-origin"
    assert public.get("/f/").status_code == 200


def test_feedback_sent_with_the_link_is_stored_for_its_case(public: Client, link: FeedbackLink, case_gr: Case) -> None:
    response = send(public, link.token, is_complaint="on", contact_ok="on", contact="+92 300 7654321", lang="el")
    assert response.status_code == 302
    assert response["Location"] == "/f/thanks/?lang=el"
    feedback = Feedback.objects.get()
    assert (feedback.case, feedback.channel, feedback.rating, feedback.language, feedback.status) == (
        case_gr, "web", 4, "el", "new"
    )  # fmt: skip
    assert feedback.text == GOOD["text"]
    assert (feedback.is_complaint, feedback.contact_ok, feedback.contact) == (True, True, "+92 300 7654321")
    assert feedback.logged_by is None


def test_feedback_sent_with_the_typed_code_is_stored(public: Client, link: FeedbackLink, case_gr: Case) -> None:
    typed = f" {link.code[:4].lower()}-{link.code[4:]} "
    assert send_code(public, typed).status_code == 302
    assert Feedback.objects.get().case == case_gr


def test_a_contact_is_kept_only_when_the_returnee_agrees(public: Client, link: FeedbackLink) -> None:
    send(public, link.token, contact="+92 300 7654321")
    assert Feedback.objects.get().contact == ""


@pytest.mark.parametrize("how", ["unknown", "revoked"])
def test_an_unknown_or_revoked_token_answers_exactly_like_a_live_one_and_stores_nothing(
    how: str, public: Client, link: FeedbackLink, supervisor_gr: User, case_gr: Case
) -> None:
    live_page = public.get(f"/f/{link.token}/")
    live_answer = send(public, link.token)
    assert Feedback.objects.count() == 1
    dead = UNKNOWN
    if how == "revoked":
        dead = link.token
        services.feedback_link_regenerate(acting_user=supervisor_gr, case=case_gr)
    dead_page = public.get(f"/f/{dead}/")
    dead_answer = send(public, dead)
    assert dead_page.status_code == live_page.status_code == 200
    assert comparable(dead_page.content.decode(), dead) == comparable(live_page.content.decode(), link.token)
    assert (dead_answer.status_code, dead_answer["Location"]) == (live_answer.status_code, live_answer["Location"])
    assert Feedback.objects.count() == 1


def test_an_unknown_or_revoked_code_answers_like_a_live_one(
    public: Client, link: FeedbackLink, supervisor_gr: User, case_gr: Case
) -> None:
    live = send_code(public, link.code)
    services.feedback_link_revoke(acting_user=supervisor_gr, case=case_gr)
    revoked = send_code(public, link.code)
    unknown = send_code(public, "ZZZZ-9999")
    nonsense = send_code(public, "no such thing at all")
    for answer in (revoked, unknown, nonsense):
        assert (answer.status_code, answer["Location"]) == (live.status_code, live["Location"])
    assert Feedback.objects.count() == 1


def test_the_pages_read_nothing_about_the_case_back(public: Client, link: FeedbackLink, case_gr: Case) -> None:
    pages = [
        public.get(f"/f/{link.token}/"),
        send(public, link.token, follow=True),
        public.get(f"/f/{link.token}/?lang=el"),
        send(public, link.token, text="", rating=""),  # a page with errors
    ]
    case_gr = Case.objects.select_related("host_mission", "counsellor").get(pk=case_gr.pk)
    secrets = [case_gr.reference, "Khan", "Imran", "Ayesha", "Sana", case_gr.host_mission.name, "Lahore",
               case_gr.counsellor.username, link.code]  # fmt: skip
    for response in pages:
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, secret


def test_the_thank_you_page_is_the_same_whatever_was_sent(public: Client, link: FeedbackLink) -> None:
    stored = send(public, link.token, follow=True)
    not_stored = send(public, UNKNOWN, follow=True)
    assert stored.status_code == not_stored.status_code == 200
    assert stored.content == not_stored.content
    assert "Thank you" in stored.content.decode()


# ---------------------------------------------------------------- a flood from one address


@override_settings(HOMEWARD_FEEDBACK_PER_HOUR=3)
def test_more_than_the_hourly_limit_from_one_address_is_refused_and_earlier_feedback_kept(
    public: Client, link: FeedbackLink, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(3):
        assert send(public, link.token, text=f"message {n}").status_code == 302
    with caplog.at_level(logging.WARNING, logger="homeward.feedback"):
        refused = send(public, link.token, text="one too many", lang="el")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert '<html lang="el"' in html
    assert "δοκιμάστε ξανά" in html  # "try again", in the language asked for
    assert sorted(Feedback.objects.values_list("text", flat=True)) == ["message 0", "message 1", "message 2"]
    assert any(r.name == "homeward.feedback" and r.levelno == logging.WARNING for r in caplog.records)
    # Another address is not held back by this one.
    assert send(Client(REMOTE_ADDR="198.51.100.9"), link.token, text="from elsewhere").status_code == 302
    assert Feedback.objects.count() == 4


@override_settings(HOMEWARD_FEEDBACK_PER_HOUR=2)
def test_guesses_count_like_feedback_so_the_limit_does_not_tell_codes_apart(public: Client, link: FeedbackLink) -> None:
    send_code(public, "AAAA-AAAA")
    send_code(public, "BBBB-BBBB")
    assert send_code(public, link.code).status_code == 429
    assert send(public, UNKNOWN).status_code == 429
    assert not Feedback.objects.exists()


@override_settings(HOMEWARD_FEEDBACK_PER_HOUR=1)
def test_the_limit_is_per_hour(public: Client, link: FeedbackLink) -> None:
    assert send(public, link.token).status_code == 302
    assert send(public, link.token).status_code == 429
    FormAttempt.objects.update(at=F("at") - dt.timedelta(minutes=61))
    assert send(public, link.token).status_code == 302


def test_no_address_is_stored(public: Client, link: FeedbackLink) -> None:
    send(public, link.token)
    attempt = FormAttempt.objects.get(form="feedback")
    assert "203.0.113.7" not in attempt.ip_hash
    assert attempt.ip_hash == services.ip_hash("203.0.113.7") != services.ip_hash("203.0.113.8")
    assert "203.0.113.7" not in str(list(Feedback.objects.values()))


def test_a_forwarded_header_does_not_change_the_address_counted(public: Client, link: FeedbackLink) -> None:
    with override_settings(HOMEWARD_FEEDBACK_PER_HOUR=1):
        send(public, link.token)
        spoofed = public.post(f"/f/{link.token}/", GOOD, headers={"X-Forwarded-For": "192.0.2.1"})
    assert spoofed.status_code == 429


# ---------------------------------------------------------------- bad input


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_stored(public: Client, link: FeedbackLink) -> None:
    response = send(public, link.token, website="http://spam.example")
    assert (response.status_code, response["Location"]) == (302, "/f/thanks/?lang=en")
    assert not Feedback.objects.exists()


def test_text_longer_than_4000_characters_is_refused_with_a_message(public: Client, link: FeedbackLink) -> None:
    response = send(public, link.token, text="a" * 4001)
    assert response.status_code == 400
    assert "4000" in response.content.decode()
    assert not Feedback.objects.exists()
    assert send(public, link.token, text="a" * 4000).status_code == 302
    assert len(Feedback.objects.get().text) == 4000


def test_an_empty_form_asks_for_something(public: Client, link: FeedbackLink) -> None:
    response = send(public, link.token, text="  ", rating="")
    assert response.status_code == 400
    assert "Write your feedback or choose a rating." in response.content.decode()
    assert send(public, link.token, text="", rating="5").status_code == 302
    assert send(public, link.token, rating="9").status_code == 400
    assert Feedback.objects.get().rating == 5


def test_bad_input_answers_the_same_for_an_unknown_token(public: Client, link: FeedbackLink) -> None:
    live = send(public, link.token, text="a" * 4001)
    dead = send(public, UNKNOWN, text="a" * 4001)
    assert live.status_code == dead.status_code == 400
    assert comparable(live.content.decode(), link.token) == comparable(dead.content.decode(), UNKNOWN)


def test_the_form_keeps_csrf_protection(link: FeedbackLink) -> None:
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.7")
    assert browser.post(f"/f/{link.token}/", GOOD).status_code == 403
    browser.get(f"/f/{link.token}/")
    token = browser.cookies["csrftoken"].value
    assert browser.post(f"/f/{link.token}/", {**GOOD, "csrfmiddlewaretoken": token}).status_code == 302
    assert Feedback.objects.count() == 1


# ---------------------------------------------------------------- language


def test_the_page_is_in_the_language_of_the_link_with_a_switcher(public: Client, link: FeedbackLink) -> None:
    response = public.get(f"/f/{link.token}/?lang=el")
    html = response.content.decode()
    assert '<html lang="el" dir="ltr">' in html
    assert response["Content-Language"] == "el"
    assert "Ελληνικά" in html
    assert f'href="/f/{link.token}/?lang=en"' in html
    assert '<input type="hidden" name="lang" value="el">' in html


def test_a_language_the_site_does_not_have_falls_back_to_english(public: Client, link: FeedbackLink) -> None:
    html = public.get(f"/f/{link.token}/?lang=xx").content.decode()
    assert '<html lang="en" dir="ltr">' in html


@override_settings(LANGUAGES=[("en", "English"), ("ar", "Arabic")])
def test_a_right_to_left_language_is_laid_out_right_to_left(public: Client, link: FeedbackLink) -> None:
    html = public.get(f"/f/{link.token}/?lang=ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    thanks = send(public, link.token, lang="ar", follow=True).content.decode()
    assert '<html lang="ar" dir="rtl">' in thanks
    assert Feedback.objects.get().language == "ar"
