"""POST /cases/{id}/transitions: moves refused with the guard's reason, stale versions refused, options listed."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus
from tests import journey
from tests.api.conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_gr: Case) -> Case:
    return journey.set_status(case_gr, CaseStatus.REGISTERED)


def test_a_refused_move_names_the_failed_guard(
    api_as: Callable[..., ApiClient], counsellor_gr: User, case: Case
) -> None:
    error = assert_error(
        api_as(counsellor_gr).post(f"/cases/{case.pk}/transitions", {"to": "eligibility_assessed"}), 400
    )
    assert "Eligibility has not been assessed." in error["message"]
    assert error["fields"]["to"] == ["Eligibility has not been assessed."]


def test_a_move_is_recorded_with_its_note_and_listed(
    api_as: Callable[..., ApiClient], counsellor_gr: User, case: Case
) -> None:
    api = api_as(counsellor_gr)
    made = api.post(f"/cases/{case.pk}/transitions", {"to": "withdrawn", "note": "wants to stay", "version": 1})
    assert made.status_code == 201, made.content
    listed = api.get(f"/cases/{case.pk}/transitions").json()
    assert [(t["from_status"], t["to_status"], t["note"], t["by"]) for t in listed] == [
        ("registered", "withdrawn", "wants to stay", "counsellor.gr")
    ]
    assert api.get(f"/cases/{case.pk}").json()["version"] == 2


def test_a_move_from_a_stale_version_gets_409(
    api_as: Callable[..., ApiClient], counsellor_gr: User, case: Case
) -> None:
    api = api_as(counsellor_gr)
    assert api.patch(f"/cases/{case.pk}", {"notes": "called back"}).status_code == 200
    assert_error(api.post(f"/cases/{case.pk}/transitions", {"to": "in_counselling", "version": 1}), 409)
    assert api.get(f"/cases/{case.pk}").json()["status"] == "registered"


def test_a_role_that_may_not_make_the_move_gets_403(
    api_as: Callable[..., ApiClient], finance_gr: User, case: Case
) -> None:
    assert_error(api_as(finance_gr).post(f"/cases/{case.pk}/transitions", {"to": "in_counselling"}), 403)


def test_another_missions_user_gets_404(api_as: Callable[..., ApiClient], counsellor_ro: User, case: Case) -> None:
    assert_error(api_as(counsellor_ro).post(f"/cases/{case.pk}/transitions", {"to": "in_counselling"}), 404)
    assert_error(api_as(counsellor_ro).get(f"/cases/{case.pk}/transitions/options"), 404)


def test_the_options_say_what_blocks_each_move(
    api_as: Callable[..., ApiClient], movement_gr: User, case: Case, gr: Mission
) -> None:
    journey.set_status(case, CaseStatus.TRAVEL_PREPARATION)
    options = {
        o["to"]: o["blocked_by"] for o in api_as(movement_gr).get(f"/cases/{case.pk}/transitions/options").json()
    }
    assert set(options) == {"travel_booked", "withdrawn", "lost_contact"}
    assert "There is no confirmed itinerary." in options["travel_booked"]
    assert options["withdrawn"] == []
