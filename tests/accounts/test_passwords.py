"""Passwords: at least 12 characters, not common, not like the user, and hard to guess (zxcvbn)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import User
from homeward.accounts.passwords import ZxcvbnValidator
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Tr0ub4dor&3", "too short"),
        ("password123456", "This password is too common"),
        ("123456789012345", "entirely numeric"),
        ("qwertyuiopasdf", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(counsellor_gr: User, password: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, counsellor_gr)
    assert any(reason in message for message in refused.value.messages), refused.value.messages


def test_a_password_made_of_the_users_own_name_is_too_easy_to_guess() -> None:
    user = User(username="amira.haddad", first_name="Amira", last_name="Haddad", email="amira@example.org")
    with pytest.raises(ValidationError, match="too easy to guess"):
        ZxcvbnValidator().validate("amira.haddad.1", user)
    ZxcvbnValidator().validate("amira.haddad.1")  # the same for someone else is not as guessable


def test_a_long_unrelated_passphrase_is_accepted(counsellor_gr: User) -> None:
    validate_password("olive lantern brisk harbour", counsellor_gr)


def test_a_signed_in_user_changes_the_password_on_a_page_that_refuses_weak_ones(counsellor_gr: User) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "password1234", "new_password2": "password1234"}
    )
    assert weak.status_code == 200
    assert "This password is too common" in weak.content.decode()
    counsellor_gr.refresh_from_db()
    assert counsellor_gr.check_password(PASSWORD)

    done = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "olive lantern brisk harbour",
            "new_password2": "olive lantern brisk harbour",
        },
        follow=True,
    )
    assert "Your password has been changed." in done.content.decode()
    counsellor_gr.refresh_from_db()
    assert counsellor_gr.check_password("olive lantern brisk harbour")
