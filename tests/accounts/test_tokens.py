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


def test_a_token_is_scoped_and_expires_after_the_days_chosen(counsellor_gr: User) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    token, raw = services.token_create(acting_user=counsellor_gr, user=counsellor_gr, name="r", scope="read", days=30)
    assert token.scope == ApiToken.Scope.READ
    assert abs((token.expires_at - timezone.now()) - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    bearer = {"authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me", headers=bearer).status_code == 200
    write = Client().post("/api/v1/cases", data={}, content_type="application/json", headers=bearer)
    assert write.status_code == 403
    assert write.json()["message"].startswith("This token can only read")
    with time_machine.travel(token.expires_at + dt.timedelta(seconds=1)):
        expired = Client().get("/api/v1/me", headers=bearer)
    assert expired.status_code == 401
    assert expired.json()["message"].startswith("This token expired on ")


def test_a_revoked_token_gets_401_saying_so(counsellor_gr: User) -> None:
    token, raw = services.token_create(acting_user=counsellor_gr, user=counsellor_gr, name="w")
    services.token_revoke(acting_user=counsellor_gr, token=token)
    response = Client().get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 401
    assert response.json()["message"].startswith("This token was revoked on ")


def test_a_write_token_may_write_by_default_for_90_days(counsellor_gr: User) -> None:
    from django.utils import timezone

    token, raw = services.token_create(acting_user=counsellor_gr, user=counsellor_gr, name="w")
    assert token.scope == ApiToken.Scope.WRITE
    assert 89 <= (token.expires_at - timezone.now()).days <= 90
    # Past authentication: the body is checked (422), not the token refused.
    write = Client().post(
        "/api/v1/cases", data={}, content_type="application/json", headers={"authorization": f"Bearer {raw}"}
    )
    assert write.status_code == 422


@pytest.mark.parametrize("days", [0, 366])
def test_a_token_lives_one_to_365_days(counsellor_gr: User, days: int) -> None:
    from homeward.core.errors import ServiceError

    with pytest.raises(ServiceError) as refused:
        services.token_create(acting_user=counsellor_gr, user=counsellor_gr, name="x", days=days)
    assert "days" in refused.value.fields
    assert not ApiToken.objects.exists()


def test_the_command_takes_scope_and_days(counsellor_gr: User) -> None:
    out = StringIO()
    call_command("token", "create", "counsellor.gr", "--scope", "read", "--days", "7", stdout=out, stderr=StringIO())
    token = ApiToken.objects.get()
    assert token.scope == "read"
    assert 6 <= (token.expires_at - token.created_at).days <= 7


def test_the_profile_lists_scope_and_expiry_and_creates_with_them(counsellor_gr: User) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    client.post(reverse("accounts:token_create"), {"name": "laptop", "scope": "read", "days": "10"})
    token = ApiToken.objects.get()
    assert token.scope == "read"
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "read only" in page
    assert "Expires" in page
