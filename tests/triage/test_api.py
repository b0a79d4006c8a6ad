"""Triage over JSON: the same services, scoping and error shape as the pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.outreach.models import CaseSource
from homeward.triage.models import Inquiry
from tests.api.conftest import ApiClient, assert_error
from tests.triage.conftest import make_inquiry

pytestmark = pytest.mark.django_db
Api = Callable[..., ApiClient]


def test_the_list_is_scoped_to_the_users_missions_and_filtered_by_status(
    api_as: Api, counsellor_gr: User, gr: Mission, ro: Mission
) -> None:
    waiting = make_inquiry(gr, hours_ago=5)
    make_inquiry(ro)
    closed = make_inquiry(gr, hours_ago=2, status=Inquiry.Status.CLOSED, close_reason="duplicate")
    client = api_as(counsellor_gr)

    assert [i["code"] for i in client.get("/inquiries").json()] == [waiting.code]
    assert [i["code"] for i in client.get("/inquiries", {"status": "closed"}).json()] == [closed.code]
    body = assert_error(client.get("/inquiries", {"status": "everything"}), 400)
    assert set(body["fields"]) == {"status"}


@pytest.mark.parametrize("persona", ["viewer", "finance_gr"])
def test_who_does_not_register_cases_is_refused(
    persona: str, request: pytest.FixtureRequest, api_as: Api, inquiry: Inquiry
) -> None:
    client = api_as(request.getfixturevalue(persona))
    assert_error(client.get("/inquiries"), 403)
    assert_error(client.get(f"/inquiries/{inquiry.pk}"), 404)
    assert_error(client.post(f"/inquiries/{inquiry.pk}/case", {}), 404)


def test_an_inquiry_of_another_mission_is_404(api_as: Api, counsellor_ro: User, inquiry: Inquiry) -> None:
    client = api_as(counsellor_ro)
    assert_error(client.get(f"/inquiries/{inquiry.pk}"), 404)
    assert_error(client.post(f"/inquiries/{inquiry.pk}/assign", {"counsellor": "counsellor.ro"}), 404)
    assert_error(client.post(f"/inquiries/{inquiry.pk}/close", {"reason": "duplicate"}), 404)


def test_assign_contact_and_turn_into_a_case(
    api_as: Api, counsellor_gr: User, supervisor_gr: User, second_counsellor_gr: User, inquiry: Inquiry
) -> None:
    counsellor = api_as(counsellor_gr)
    body = assert_error(counsellor.post(f"/inquiries/{inquiry.pk}/assign", {"counsellor": "counsellor2.gr"}), 400)
    assert set(body["fields"]) == {"counsellor"}
    response = api_as(supervisor_gr).post(f"/inquiries/{inquiry.pk}/assign", {"counsellor": "counsellor.gr"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["assigned_to"]) == ("assigned", "counsellor.gr")

    body = assert_error(counsellor.post(f"/inquiries/{inquiry.pk}/contact", {"channel": "fax", "reached": True}), 400)
    assert set(body["fields"]) == {"channel"}
    response = counsellor.post(f"/inquiries/{inquiry.pk}/contact", {"channel": "signal", "reached": True})
    assert response.status_code == 201, response.content
    detail = counsellor.get(f"/inquiries/{inquiry.pk}").json()
    assert detail["status"] == "contacted"
    assert [(a["channel"], a["reached"], a["by"]) for a in detail["attempts"]] == [("signal", True, "counsellor.gr")]

    response = counsellor.post(f"/inquiries/{inquiry.pk}/case", {"given_names": "Bilal", "family_name": "Qureshi"})
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["case_id"])
    assert response.json()["inquiry"]["case_reference"] == case.reference
    assert (case.referral_source, case.counsellor) == ("self", counsellor_gr)
    assert case.members.get().person.full_name == "Bilal Qureshi"
    assert CaseSource.objects.get(case=case).how == "ngo"

    body = assert_error(counsellor.post(f"/inquiries/{inquiry.pk}/case", {}), 400)
    assert case.reference in body["message"]
    assert Case.objects.count() == 1


def test_closing_needs_a_reason_and_a_closed_inquiry_is_not_converted(
    api_as: Api, counsellor_gr: User, supervisor_gr: User, inquiry: Inquiry
) -> None:
    client = api_as(counsellor_gr)
    body = assert_error(client.post(f"/inquiries/{inquiry.pk}/close", {"reason": "other"}), 400)
    assert set(body["fields"]) == {"note"}
    response = client.post(f"/inquiries/{inquiry.pk}/close", {"reason": "not_genuine"})
    assert response.status_code == 200, response.content
    assert response.json()["close_reason"] == "not_genuine"

    assert_error(client.post(f"/inquiries/{inquiry.pk}/case", {}), 400)
    assert_error(client.post(f"/inquiries/{inquiry.pk}/reopen"), 403)
    response = api_as(supervisor_gr).post(f"/inquiries/{inquiry.pk}/reopen")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "new"
    assert Case.objects.count() == 0
