"""The database going away mid-request: a clear 503 (a page, or JSON for the API), nothing half-written.

The connection is really lost, in the middle of a multi-row service: when the first member of a
new case has been written, a receiver cuts the request's connection. On PostgreSQL another
connection terminates its backend (pg_terminate_backend); on SQLite the driver is told to abort
every further statement (a progress handler that always says stop), so the next statement fails
as it would on a lost or locked database. The service's transaction must take everything with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseMember
from homeward.people.models import Person
from tests.api.conftest import API, make_token

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = "The database cannot be reached. What you were doing was not saved; try again in a moment."


def cut_connection() -> None:
    """Lose the current connection for real, as when the database server goes away."""
    if connection.vendor == "postgresql":
        pid = connection.connection.info.backend_pid
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()
    else:
        connection.connection.set_progress_handler(lambda: 1, 1)


@contextmanager
def database_lost_after_first(model: type) -> Iterator[None]:
    """The connection is cut once the first ``model`` row of the request has been written."""
    state = {"cut": False}

    def lose(sender: Any, **kwargs: Any) -> None:
        if not state["cut"]:
            state["cut"] = True
            cut_connection()

    post_save.connect(lose, sender=model, weak=False, dispatch_uid="test-database-lost")
    try:
        yield
    finally:
        post_save.disconnect(sender=model, dispatch_uid="test-database-lost")
        # SQLite: drop the sabotaged connection; the next query opens a fresh one.
        connection.close()
    assert state["cut"], f"no {model.__name__} was written: the connection was never cut"


def registration(gr: Mission) -> dict[str, object]:
    return {
        "host_mission": gr.pk, "status": "registered", "inquiry_date": "2026-01-10", "destination_country": "PK",
        "referral_source": "ngo", "principal-relationship": "principal", "principal-given_names": "Zoé",
        "principal-family_name": "Núñez", "principal-sex": "F", "principal-birth_year": "1990",
        "member_prefix": ["mabc"], "mabc-relationship": "child", "mabc-given_names": "Leo",
        "mabc-family_name": "Núñez", "mabc-sex": "M", "mabc-birth_year": "2018", "action": "save",
    }  # fmt: skip


def nothing_written(people_before: int) -> None:
    assert Case.objects.count() == 0
    assert CaseMember.objects.count() == 0
    assert Person.objects.count() == people_before


def test_a_page_whose_database_goes_away_gets_a_clear_503_and_nothing_is_half_written(
    counsellor_gr: User, gr: Mission
) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    people = Person.objects.count()

    with database_lost_after_first(CaseMember):
        response = client.post(reverse("cases:register"), registration(gr))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert MESSAGE in page
    assert "Traceback" not in page
    assert "Content-Security-Policy" in response
    nothing_written(people)


def test_the_api_answers_503_in_its_error_shape_and_nothing_is_half_written(counsellor_gr: User, gr: Mission) -> None:
    token = make_token(counsellor_gr)
    body = {
        "host_mission": "GR", "destination_country": "PK", "referral_source": "ngo",
        "members": [
            {"relationship": "principal", "given_names": "Zoé", "family_name": "Núñez", "sex": "F",
             "birth_date": {"year": 1990}},
            {"relationship": "child", "given_names": "Leo", "family_name": "Núñez", "sex": "M",
             "birth_date": {"year": 2018}},
        ],
    }  # fmt: skip
    people = Person.objects.count()

    with database_lost_after_first(CaseMember):
        response = Client().post(
            f"{API}/cases",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    assert response.status_code == 503, response.content
    assert response.json() == {"message": MESSAGE, "fields": {}}
    nothing_written(people)


def test_a_database_lost_before_the_view_still_gets_the_503_page(counsellor_gr: User) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(counsellor_gr)
    client.get(reverse("cases:list"))  # the connection is open and reused by the next request
    cut_connection()
    try:
        # The session, read by the middleware before any view, is the first thing to fail.
        response = client.get(reverse("cases:list"))
    finally:
        connection.close()

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()
    assert Case.objects.count() == 0  # and the database answers again


def test_other_errors_are_not_disguised_as_the_database() -> None:
    from homeward.core.dberrors import DatabaseUnavailableMiddleware

    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.process_exception(object(), ValueError("a bug")) is None  # type: ignore[arg-type]
