"""API helpers: a personal token for a persona and a client that sends it.

``api_as(counsellor_gr).get("/cases")`` calls /api/v1/cases with a new token of
that persona; ``.post``, ``.patch`` send JSON bodies.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from homeward.accounts import services as account_services
from homeward.accounts.models import User

API = "/api/v1"


class ApiClient:
    """Django's test client, speaking JSON to /api/v1 with ``Authorization: Bearer <token>``."""

    def __init__(self, token: str | None = None, *, raise_request_exception: bool = True) -> None:
        self.token = token
        self.client = Client(raise_request_exception=raise_request_exception)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"{API}{path}", params or {}, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            f"{API}{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self._headers(),
        )

    def patch(self, path: str, body: Any = None) -> Any:
        return self.client.patch(
            f"{API}{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self._headers(),
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(f"{API}{path}", headers=self._headers())


def make_token(user: User, name: str = "tests") -> str:
    """A fresh personal token for ``user``, created through the service like the profile page does."""
    _token, raw = account_services.token_create(acting_user=user, user=user, name=name)
    return raw


@pytest.fixture
def token_for(db: None) -> Callable[[User], str]:
    return make_token


@pytest.fixture
def api_as(db: None) -> Callable[..., ApiClient]:
    """``api_as(user)``: a JSON client authenticated with a new token of ``user``."""

    def build(user: User, *, raise_request_exception: bool = True) -> ApiClient:
        return ApiClient(make_token(user), raise_request_exception=raise_request_exception)

    return build


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient()


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """The one error shape: {"message": str, "fields": {key: [str, ...]}}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "fields"}
    assert isinstance(body["message"], str)
    assert body["message"]
    for key, messages in body["fields"].items():
        assert isinstance(key, str)
        assert messages, key
        assert all(isinstance(m, str) and m for m in messages), (key, messages)
    return body
