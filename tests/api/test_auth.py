"""Who may call the API: personal tokens, sessions, and the public schema and docs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts import services as account_services
from homeward.accounts.models import ApiToken, Mission, User
from homeward.accounts.roles import Role
from tests.api.conftest import API, ApiClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _assert_unauthenticated(response: object) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"message", "fields"}
    assert "token" in body["message"].lower()
    assert body["fields"] == {}


def test_a_request_without_credentials_gets_401_with_the_error_shape(anonymous_api: ApiClient) -> None:
    _assert_unauthenticated(anonymous_api.get("/me"))


def test_a_request_without_credentials_cannot_list_cases(anonymous_api: ApiClient) -> None:
    _assert_unauthenticated(anonymous_api.get("/cases"))


def test_an_unknown_token_gets_401(counsellor_gr: User) -> None:
    _assert_unauthenticated(ApiClient("hw_not-a-real-token").get("/me"))


def test_a_token_sent_with_another_scheme_gets_401(counsellor_gr: User, token_for: Callable[[User], str]) -> None:
    raw = token_for(counsellor_gr)
    response = Client().get(f"{API}/me", headers={"Authorization": f"Token {raw}"})
    _assert_unauthenticated(response)


def test_a_revoked_token_gets_401(counsellor_gr: User, token_for: Callable[[User], str]) -> None:
    raw = token_for(counsellor_gr)
    api = ApiClient(raw)
    assert api.get("/me").status_code == 200
    token = ApiToken.objects.get(digest=ApiToken.digest_of(raw))
    account_services.token_revoke(acting_user=counsellor_gr, token=token)
    _assert_unauthenticated(api.get("/me"))


def test_the_token_of_a_deactivated_user_gets_401(counsellor_gr: User, token_for: Callable[[User], str]) -> None:
    api = ApiClient(token_for(counsellor_gr))
    assert api.get("/me").status_code == 200
    counsellor_gr.is_active = False
    counsellor_gr.save(update_fields=["is_active"])
    _assert_unauthenticated(api.get("/me"))


def test_a_valid_token_shows_who_i_am_and_my_memberships(gr: Mission, ro: Mission) -> None:
    user = UserFactory(username="two.hats", first_name="Eleni", last_name="Pappa",
                       roles=[(gr, Role.COUNSELLOR), (ro, Role.FINANCE_OFFICER)])  # fmt: skip
    _token, raw = account_services.token_create(acting_user=user, user=user, name="laptop")
    response = ApiClient(raw).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "two.hats"
    assert body["name"] == "Eleni Pappa"
    assert sorted(body["memberships"], key=lambda m: m["mission"]) == [
        {"mission": "GR", "role": "counsellor"},
        {"mission": "RO", "role": "finance_officer"},
    ]


def test_a_user_without_memberships_has_none(db: None) -> None:
    user = UserFactory(username="nobody.yet")
    _token, raw = account_services.token_create(acting_user=user, user=user, name="laptop")
    response = ApiClient(raw).get("/me")
    assert response.status_code == 200
    assert response.json()["memberships"] == []


def test_using_a_token_records_when_it_was_last_used(counsellor_gr: User) -> None:
    token, raw = account_services.token_create(acting_user=counsellor_gr, user=counsellor_gr, name="laptop")
    assert token.last_used_at is None
    before = timezone.now()
    assert ApiClient(raw).get("/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert before <= token.last_used_at <= timezone.now()


def test_a_token_only_authenticates_its_own_user(
    counsellor_gr: User, finance_gr: User, token_for: Callable[[User], str]
) -> None:
    token_for(counsellor_gr)
    response = ApiClient(token_for(finance_gr)).get("/me")
    assert response.json()["username"] == "finance.gr"
    assert response.json()["memberships"] == [{"mission": "GR", "role": "finance_officer"}]


def test_a_signed_in_session_can_read_the_api(counsellor_gr: User) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    response = client.get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["username"] == "counsellor.gr"
    assert response.json()["memberships"] == [{"mission": "GR", "role": "counsellor"}]


def test_a_signed_in_session_can_list_cases(counsellor_gr: User, case_gr: object) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    response = client.get(f"{API}/cases")
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == [case_gr.reference]  # type: ignore[attr-defined]


def test_the_session_of_a_deactivated_user_gets_401(counsellor_gr: User) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    counsellor_gr.is_active = False
    counsellor_gr.save(update_fields=["is_active"])
    _assert_unauthenticated(client.get(f"{API}/me"))


def test_the_openapi_schema_is_served(db: None) -> None:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/cases" in schema["paths"]
    assert "/api/v1/cases/{case_id}" in schema["paths"]
    assert "/api/v1/me" in schema["paths"]
    assert schema["info"]["title"] == "Homeward API"


def test_the_api_docs_are_served_without_any_cdn(db: None) -> None:
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode().lower()
    assert "swagger" in html
    for cdn in ("cdn.", "unpkg", "jsdelivr", "cdnjs", "googleapis"):
        assert cdn not in html, cdn
    assert "/static/ninja/swagger-ui-bundle" in html
