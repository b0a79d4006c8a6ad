"""Idle sign-out, the cookies' attributes, and a forged CSRF token."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_user_idle_for_thirty_minutes_is_signed_out_with_a_message(counsellor_gr: User) -> None:
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("accounts:login"), {"username": "counsellor.gr", "password": PASSWORD})
        assert client.get(reverse("accounts:profile")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("accounts:profile")).status_code == 200
    # 29 minutes after the last request, not after signing in: still signed in.
    with time_machine.travel(start + dt.timedelta(minutes=55), tick=False):
        assert client.get(reverse("accounts:profile")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=86), tick=False):
        response = client.get(reverse("accounts:profile"), follow=True)
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
        assert "You were signed out after 30 minutes without activity." in response.content.decode()
        assert client.get(reverse("accounts:profile")).status_code == 302


def test_background_polling_does_not_keep_a_session_alive(counsellor_gr: User) -> None:
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("accounts:login"), {"username": "counsellor.gr", "password": PASSWORD})
    for minutes in (10, 20, 29):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            poll = client.get(reverse("accounts:profile"), headers={"hx-request": "true", "x-homeward-background": "1"})
            assert poll.status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        poll = client.get(reverse("accounts:profile"), headers={"hx-request": "true", "x-homeward-background": "1"})
        assert poll.status_code == 204
        assert poll["HX-Redirect"].startswith(reverse("accounts:login"))


def test_session_and_csrf_cookies_are_httponly_and_samesite_lax(counsellor_gr: User) -> None:
    client = Client()
    client.get(reverse("accounts:login"))
    response = client.post(reverse("accounts:login"), {"username": "counsellor.gr", "password": PASSWORD})
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    assert "HttpOnly" in session.output()
    assert "SameSite=Lax" in session.output()


def test_a_forged_csrf_token_gets_a_clear_403_page_and_changes_nothing(counsellor_gr: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(counsellor_gr)
    client.get(reverse("accounts:profile"))
    response = client.post(reverse("accounts:token_create"), {"name": "x", "csrfmiddlewaretoken": "forged" * 8})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This form could not be accepted" in page
    assert "nothing was saved" in page
    assert not counsellor_gr.api_tokens.exists()
