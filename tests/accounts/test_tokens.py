from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from homeward.accounts import services
from homeward.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_its_user_until_revoked(counsellor_gr: User) -> None:
    token, raw = services.token_create(acting_user=counsellor_gr, user=counsellor_gr, name="script")
    assert raw.startswith("hw_")
    assert token.digest != raw  # only the hash is stored
    assert raw not in token.digest
    assert services.token_authenticate(raw) == counsellor_gr
    assert services.token_authenticate(raw + "x") is None
    services.token_revoke(acting_user=counsellor_gr, token=token)
    assert services.token_authenticate(raw) is None


def test_nobody_creates_a_token_for_someone_else(counsellor_gr: User, counsellor_ro: User) -> None:
    with pytest.raises(PermissionDenied):
        services.token_create(acting_user=counsellor_gr, user=counsellor_ro, name="x")


def test_the_command_creates_a_token_and_prints_it_once(counsellor_gr: User) -> None:
    out = StringIO()
    call_command("token", "create", "counsellor.gr", "--name", "etl", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1].strip()
    assert services.token_authenticate(raw) == counsellor_gr
    assert ApiToken.objects.get().name == "etl"


def test_the_command_refuses_an_unknown_user(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", "nobody")


def test_the_profile_page_creates_shows_once_and_revokes_tokens(counsellor_gr: User) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    page = client.post(reverse("accounts:token_create"), {"name": "laptop"}).content.decode()
    token = ApiToken.objects.get()
    assert 'id="new-token"' in page
    assert "hw_" + token.prefix in page
    again = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="new-token"' not in again
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
