"""The Khan case's feedback link, a public (anonymous) client, and helpers to send the public form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.feedback.models import FeedbackLink
from homeward.feedback.services import feedback_link_for
from tests.api.conftest import anonymous_api, api_as  # noqa: F401 - the JSON client fixtures, for test_api
from tests.factories import UserFactory

GOOD = {"rating": "4", "text": "The counsellor explained everything. Thank you.", "lang": "en"}


@pytest.fixture
def link(case_gr: Case) -> FeedbackLink:
    return feedback_link_for(case_gr)


@pytest.fixture
def public() -> Client:
    """A returnee's phone: no account, its own address."""
    return Client(REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def supervisor_pk(pk: Mission) -> User:
    return UserFactory(username="supervisor.pk", roles=[(pk, Role.CASE_SUPERVISOR)])


def send(client: Client, token: str, *, follow: bool = False, **data: Any) -> Any:
    return client.post(f"/f/{token}/", {**GOOD, **data}, follow=follow)


def send_code(client: Client, code: str, *, follow: bool = False, **data: Any) -> Any:
    return client.post("/f/", {**GOOD, "code": code, **data}, follow=follow)


def comparable(html: str, *tokens: str) -> str:
    """The page with what legitimately differs between two renders taken out: the CSRF token and the URL's token."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)
    for token in tokens:
        html = html.replace(token, "TOKEN")
    return html
