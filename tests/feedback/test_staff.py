"""Staff side: the case's feedback page, phone logging, reading and answering, the link card, who may do what."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.feedback import services
from homeward.feedback.models import Feedback, FeedbackLink
from tests import journey
from tests.feedback.conftest import send

pytestmark = pytest.mark.django_db


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(case: Case) -> str:
    return f"/cases/{case.reference}/feedback/"


def test_a_counsellor_logs_feedback_given_by_phone(case_gr: Case, counsellor_gr: User) -> None:
    response = as_user(counsellor_gr).post(
        f"{page(case_gr)}phone/",
        {"phone-language": "ur", "phone-rating": "2", "phone-text": "The hotel was far from the airport.",
         "phone-is_complaint": "on", "phone-contact_ok": "on", "phone-contact": "+92 300 1111111"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.logged_by, feedback.language, feedback.rating, feedback.is_complaint) == (
        "phone", counsellor_gr, "ur", 2, True
    )  # fmt: skip
    assert LogEntry.objects.get_for_object(feedback).get().actor == counsellor_gr
    html = as_user(counsellor_gr).get(page(case_gr)).content.decode()
    assert "The hotel was far from the airport." in html


def test_phone_logging_refuses_empty_feedback_with_the_fields_marked(case_gr: Case, counsellor_gr: User) -> None:
    response = as_user(counsellor_gr).post(f"{page(case_gr)}phone/", {"phone-text": ""})
    assert response.status_code == 400
    assert "Write your feedback or choose a rating." in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_page_lists_feedback_and_offers_read_answer_complaint(
    public: Client, link: FeedbackLink, case_gr: Case, counsellor_gr: User
) -> None:
    send(public, link.token, text="The grant came late.")
    feedback = Feedback.objects.get()
    client = as_user(counsellor_gr)
    html = client.get(page(case_gr)).content.decode()
    assert "The grant came late." in html
    assert link.display_code in html
    assert "data:image/svg+xml" in html
    assert client.post(f"/feedback/{feedback.pk}/read/").status_code == 302
    assert client.post(f"/feedback/{feedback.pk}/complaint/").status_code == 302
    assert client.post(f"/feedback/{feedback.pk}/answer/", {f"a{feedback.pk}-note": ""}).status_code == 400
    assert client.post(f"/feedback/{feedback.pk}/answer/", {f"a{feedback.pk}-note": "Paid now."}).status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.is_complaint, feedback.answered_by, feedback.answer_note) == (
        "answered", True, counsellor_gr, "Paid now."
    )  # fmt: skip
    with pytest.raises(ServiceError):
        services.feedback_answer(acting_user=counsellor_gr, feedback=feedback, note="again")


def test_the_case_card_counts_new_feedback_and_complaints(
    public: Client, link: FeedbackLink, case_gr: Case, counsellor_gr: User
) -> None:
    send(public, link.token)
    send(public, link.token, is_complaint="on")
    html = as_user(counsellor_gr).get(f"/cases/{case_gr.reference}/").content.decode()
    assert 'id="feedback-panel"' in html
    assert "2 new" in html
    assert "1 complaint to review" in html


def test_who_may_see_a_cases_feedback(
    case_gr: Case, finance_gr: User, movement_gr: User, counsellor_ro: User, supervisor_gr: User, pk: Mission,
    reintegration_pk: User,
) -> None:  # fmt: skip
    assert as_user(finance_gr).get(page(case_gr)).status_code == 403
    assert as_user(movement_gr).get(page(case_gr)).status_code == 403
    assert as_user(counsellor_ro).get(page(case_gr)).status_code == 404
    assert "feedback-panel" not in as_user(finance_gr).get(f"/cases/{case_gr.reference}/").content.decode()
    assert as_user(supervisor_gr).get(page(case_gr)).status_code == 200
    assert as_user(reintegration_pk).get(page(case_gr)).status_code == 404
    journey.referred(case_gr, supervisor_gr, pk)
    assert as_user(reintegration_pk).get(page(case_gr)).status_code == 200


def test_who_may_log_read_and_answer(case_gr: Case, finance_gr: User, counsellor_gr: User) -> None:
    data = services.FeedbackInput(text="x")
    with pytest.raises(PermissionDenied):
        services.feedback_log_phone(acting_user=finance_gr, case=case_gr, data=data)
    feedback = services.feedback_log_phone(acting_user=counsellor_gr, case=case_gr, data=data)
    with pytest.raises(PermissionDenied):
        services.feedback_mark_read(acting_user=finance_gr, feedback=feedback)
    assert as_user(finance_gr).post(f"/feedback/{feedback.pk}/read/").status_code == 403


def test_only_a_supervisor_regenerates_the_link_and_the_old_one_then_stores_nothing(
    public: Client, link: FeedbackLink, case_gr: Case, counsellor_gr: User, supervisor_gr: User
) -> None:
    assert as_user(counsellor_gr).post(f"{page(case_gr)}link/regenerate/").status_code == 403
    html = as_user(counsellor_gr).get(page(case_gr)).content.decode()
    assert "link/regenerate/" not in html
    assert as_user(supervisor_gr).post(f"{page(case_gr)}link/regenerate/").status_code == 302
    new = FeedbackLink.objects.get(case=case_gr, revoked_at__isnull=True)
    assert (new.token, new.code) != (link.token, link.code)
    send(public, link.token)
    assert not Feedback.objects.exists()
    send(public, new.token)
    assert Feedback.objects.count() == 1
    # The history says the link changed, never what it was.
    for entry in LogEntry.objects.get_for_model(FeedbackLink):
        assert link.token not in str(entry.changes)
        assert link.code not in str(entry.changes)


def test_a_revoked_link_is_not_replaced_until_it_is_printed_again(
    link: FeedbackLink, case_gr: Case, supervisor_gr: User
) -> None:
    client = as_user(supervisor_gr)
    assert client.post(f"{page(case_gr)}link/revoke/").status_code == 302
    assert "No live link" in client.get(page(case_gr)).content.decode()
    printed = client.get(f"{page(case_gr)}link/").content.decode()
    new = FeedbackLink.objects.get(case=case_gr, revoked_at__isnull=True)
    assert new.display_code in printed
    assert f"http://testserver/f/{new.token}/?lang=en" in printed
    assert "data:image/svg+xml" in printed


def test_the_link_is_made_once_per_case(case_gr: Case, case_ro: Case) -> None:
    first = services.feedback_link_for(case_gr)
    assert services.feedback_link_for(case_gr) == first
    other = services.feedback_link_for(case_ro)
    assert other.code != first.code
    assert len(first.code) == 8
    assert not set(first.code + other.code) & set("01OI")
    assert len(first.token) >= 32
