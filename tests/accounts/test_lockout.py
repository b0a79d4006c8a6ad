"""Login throttling: a username from one address is locked after 5 wrong passwords, for 15 minutes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]


@pytest.fixture
def axes_on() -> object:
    # axes reads AXES_ENABLED on every call (its backend, signal handlers and middleware), so it can be toggled.
    with override_settings(AXES_ENABLED=True, HOMEWARD_CLIENT_IP_HEADER=""):
        yield


def attempt(client: Client, username: str, password: str, **extra: str) -> object:
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_from_that_address_with_a_clear_page(counsellor_gr: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        response = attempt(client, "counsellor.gr", "wrong password")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    locked = attempt(client, "counsellor.gr", "wrong password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Signing in is locked for a while" in page
    until = timezone.localtime(timezone.now() + dt.timedelta(minutes=15))
    assert (
        f"Try again after {until:%H:%M}" in page or f"Try again after {until - dt.timedelta(minutes=1):%H:%M}" in page
    )
    assert "An administrator can unlock the account" in page
    # The right password does not get through while locked.
    right = attempt(client, "counsellor.gr", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_the_pair_of_username_and_address(counsellor_gr: User, supervisor_gr: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        attempt(client, "counsellor.gr", "wrong password")
    # The same person from another address, and another person from this address, sign in.
    assert attempt(Client(REMOTE_ADDR="198.51.100.1"), "counsellor.gr", PASSWORD).status_code == 302
    assert attempt(Client(REMOTE_ADDR="203.0.113.7"), "supervisor.gr", PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(counsellor_gr: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        attempt(client, "counsellor.gr", "wrong password")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert attempt(client, "counsellor.gr", PASSWORD).status_code == 302


def test_an_administrator_unlocks_at_once(counsellor_gr: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        attempt(client, "counsellor.gr", "wrong password")
    assert attempt(client, "counsellor.gr", PASSWORD).status_code == 429
    call_command("axes_reset_username", "counsellor.gr")
    assert attempt(client, "counsellor.gr", PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_comes_from_the_configured_header(counsellor_gr: User) -> None:
    with override_settings(HOMEWARD_CLIENT_IP_HEADER="X-Real-IP"):
        proxy = Client(REMOTE_ADDR="127.0.0.1")
        for _ in range(5):
            attempt(proxy, "counsellor.gr", "wrong password", headers={"x-real-ip": "203.0.113.7"})
        assert attempt(proxy, "counsellor.gr", PASSWORD, headers={"x-real-ip": "203.0.113.7"}).status_code == 429
        # Another visitor behind the same proxy is not locked out with the first.
        assert attempt(proxy, "counsellor.gr", PASSWORD, headers={"x-real-ip": "198.51.100.1"}).status_code == 302


def test_a_successful_login_clears_the_count(counsellor_gr: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        attempt(client, "counsellor.gr", "wrong password")
    assert attempt(client, "counsellor.gr", PASSWORD).status_code == 302
    other = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(4):
        assert attempt(other, "counsellor.gr", "wrong password").status_code == 200
