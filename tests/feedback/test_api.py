"""Feedback over JSON, staff side: the same services and permissions as the pages, the one error shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.feedback.models import Feedback, FeedbackLink
from tests.api.conftest import ApiClient, assert_error
from tests.feedback.conftest import send

pytestmark = pytest.mark.django_db
Api = Callable[..., ApiClient]


def test_log_list_read_complain_and_answer(api_as: Api, case_gr: Case, counsellor_gr: User) -> None:
    client = api_as(counsellor_gr)
    response = client.post(
        f"/cases/{case_gr.pk}/feedback", {"text": "Call me back", "rating": 3, "contact_ok": True, "contact": "+92"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["logged_by"], body["status"], body["rating"]) == ("phone", "counsellor.gr", "new", 3)
    listed = client.get(f"/cases/{case_gr.pk}/feedback").json()
    assert [f["id"] for f in listed] == [body["id"]]
    assert client.post(f"/feedback/{body['id']}/read").json()["status"] == "read"
    assert client.post(f"/feedback/{body['id']}/complaint").json()["is_complaint"] is True
    answered = client.post(f"/feedback/{body['id']}/answer", {"note": "Called back."}).json()
    assert (answered["status"], answered["answered_by"], answered["answer_note"]) == (
        "answered", "counsellor.gr", "Called back."
    )  # fmt: skip


def test_refusals_have_the_one_error_shape(api_as: Api, case_gr: Case, counsellor_gr: User) -> None:
    client = api_as(counsellor_gr)
    body = assert_error(client.post(f"/cases/{case_gr.pk}/feedback", {"rating": 9}), 400)
    assert "rating" in body["fields"]
    assert "text" in assert_error(client.post(f"/cases/{case_gr.pk}/feedback", {}), 400)["fields"]
    assert "text" in assert_error(client.post(f"/cases/{case_gr.pk}/feedback", {"text": "a" * 4001}), 400)["fields"]
    feedback_id = client.post(f"/cases/{case_gr.pk}/feedback", {"text": "ok"}).json()["id"]
    assert "note" in assert_error(client.post(f"/feedback/{feedback_id}/answer", {"note": " "}), 400)["fields"]
    assert_error(client.post(f"/feedback/{feedback_id}/answer", {}), 422)


def test_who_may_use_it(
    api_as: Api, case_gr: Case, counsellor_gr: User, finance_gr: User, counsellor_ro: User, anonymous_api: ApiClient
) -> None:
    feedback_id = api_as(counsellor_gr).post(f"/cases/{case_gr.pk}/feedback", {"text": "ok"}).json()["id"]
    assert_error(api_as(finance_gr).get(f"/cases/{case_gr.pk}/feedback"), 403)
    assert_error(api_as(finance_gr).post(f"/feedback/{feedback_id}/read"), 403)
    assert_error(api_as(finance_gr).get(f"/cases/{case_gr.pk}/feedback-link"), 403)
    assert_error(api_as(counsellor_ro).get(f"/cases/{case_gr.pk}/feedback"), 404)
    assert_error(api_as(counsellor_ro).post(f"/feedback/{feedback_id}/read"), 404)
    assert anonymous_api.get(f"/cases/{case_gr.pk}/feedback").status_code == 401
    assert Feedback.objects.get().status == "new"


def test_the_link_for_case_staff_and_its_regeneration_for_supervisors(
    api_as: Api, case_gr: Case, counsellor_gr: User, supervisor_gr: User, public: Client
) -> None:
    body = api_as(counsellor_gr).get(f"/cases/{case_gr.pk}/feedback-link").json()
    link = FeedbackLink.objects.get(case=case_gr)
    assert body["code"] == link.display_code
    assert body["url"] == f"http://testserver/f/{link.token}/?lang=en"
    assert body["code_url"] == "http://testserver/f/"
    assert_error(api_as(counsellor_gr).post(f"/cases/{case_gr.pk}/feedback-link/regenerate"), 403)
    new = api_as(supervisor_gr).post(f"/cases/{case_gr.pk}/feedback-link/regenerate").json()
    assert new["code"] != body["code"]
    send(public, link.token)
    assert not Feedback.objects.exists()


def test_the_public_form_has_no_api(anonymous_api: ApiClient, link: FeedbackLink) -> None:
    assert anonymous_api.post(f"/feedback/{link.token}", {"text": "x"}).status_code in (401, 404, 405)
