"""The triage pages: the queue and its scoping, one inquiry and its actions, the confirm page, the case card."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.triage import services
from homeward.triage.models import ContactAttempt, Inquiry
from tests.factories import UserFactory
from tests.triage.conftest import make_inquiry

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- the queue and who sees it


def test_a_counsellor_of_gr_sees_the_inquiries_of_gr_and_not_of_ro(
    counsellor_gr: User, gr: Mission, ro: Mission
) -> None:
    mine = make_inquiry(gr, given_names="Bilal", family_name="Qureshi")
    theirs = make_inquiry(ro, given_names="Ion", family_name="Popescu")

    html = client_for(counsellor_gr).get(reverse("triage:queue")).content.decode()

    assert mine.code in html
    assert "Qureshi" in html
    assert theirs.code not in html
    assert "Popescu" not in html
    assert client_for(counsellor_gr).get(reverse("triage:inquiry", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "finance_gr", "movement_gr"])
def test_who_does_not_register_cases_is_refused_the_queue_and_the_inquiry(
    persona: str, request: pytest.FixtureRequest, inquiry: Inquiry
) -> None:
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("triage:queue")).status_code == 403
    assert client.get(reverse("triage:inquiry", args=[inquiry.pk])).status_code == 404
    assert client.post(reverse("triage:close", args=[inquiry.pk]), {"close-reason": "duplicate"}).status_code == 404
    assert "nav-triage" not in client.get(reverse("home"), follow=True).content.decode()


def test_the_queue_puts_new_ones_first_the_longest_waiting_first(counsellor_gr: User, gr: Mission) -> None:
    old_assigned = make_inquiry(gr, hours_ago=50)
    services.inquiry_assign(acting_user=counsellor_gr, inquiry=old_assigned, counsellor=counsellor_gr)
    recent = make_inquiry(gr, hours_ago=1)
    oldest_new = make_inquiry(gr, hours_ago=20)
    closed = make_inquiry(gr, hours_ago=70)
    services.inquiry_close(acting_user=counsellor_gr, inquiry=closed, reason="duplicate")
    client = client_for(counsellor_gr)

    html = client.get(reverse("triage:queue")).content.decode()

    assert html.index(oldest_new.code) < html.index(recent.code) < html.index(old_assigned.code)
    assert closed.code not in html
    closed_html = client.get(reverse("triage:queue"), {"status": "closed"}).content.decode()
    assert closed.code in closed_html
    assert recent.code not in closed_html
    mine_html = client.get(reverse("triage:queue"), {"status": "mine"}).content.decode()
    assert old_assigned.code in mine_html
    assert recent.code not in mine_html
    response = client.get(reverse("triage:queue"), {"status": "new"})
    assert [i.code for i in response.context["queue"].rows] == [oldest_new.code, recent.code]
    assert response.context["queue"].counts == {"open": 3, "new": 2, "mine": 1, "contacted": 0, "converted": 0,
                                                "closed": 1}  # fmt: skip


def test_the_queue_searches_by_code_or_name(counsellor_gr: User, gr: Mission) -> None:
    bilal = make_inquiry(gr, given_names="Bilal", family_name="Qureshi")
    omar = make_inquiry(gr, given_names="Omar", family_name="Haidari")
    client = client_for(counsellor_gr)

    rows = client.get(reverse("triage:queue"), {"q": "qureshi bil"}).context["queue"].rows
    assert rows == [bilal]
    rows = client.get(reverse("triage:queue"), {"q": omar.code.lower()}).context["queue"].rows
    assert rows == [omar]


def test_the_queue_takes_a_fixed_number_of_queries(counsellor_gr: User, supervisor_gr: User, gr: Mission) -> None:
    client = client_for(counsellor_gr)
    make_inquiry(gr)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("triage:queue"))
    for n in range(5):
        made = make_inquiry(gr, hours_ago=n + 2)
        services.inquiry_assign(acting_user=supervisor_gr, inquiry=made, counsellor=counsellor_gr)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("triage:queue"))
    assert len(many) == len(few)


def test_the_menu_shows_inquiries_with_the_number_of_new_ones(counsellor_gr: User, gr: Mission) -> None:
    make_inquiry(gr)
    make_inquiry(gr)
    html = client_for(counsellor_gr).get(reverse("home"), follow=True).content.decode()
    assert 'id="nav-triage"' in html
    assert 'id="nav-triage-new">2<' in html


# ---------------------------------------------------------------- one inquiry


def test_the_inquiry_page_shows_what_the_person_gave_with_links(counsellor_gr: User, inquiry: Inquiry) -> None:
    html = client_for(counsellor_gr).get(reverse("triage:inquiry", args=[inquiry.pk])).content.decode()

    assert 'href="tel:+306907654321"' in html
    assert 'href="mailto:bilal.q@example.org"' in html
    assert 'href="https://wa.me/923007654321"' in html
    assert "Malakasa open centre" in html
    assert "I want to go home to Lahore" in html
    assert "I agree that IOM keeps what I wrote" in html
    assert "Turn into a case" in html
    assert "Nobody has tried to reach the person yet." in html


def test_a_counsellor_takes_the_inquiry_and_records_reaching_the_person(counsellor_gr: User, inquiry: Inquiry) -> None:
    client = client_for(counsellor_gr)
    url = reverse("triage:inquiry", args=[inquiry.pk])

    response = client.post(reverse("triage:assign", args=[inquiry.pk]), {"assign-counsellor": counsellor_gr.pk})
    assert response.status_code == 302
    response = client.post(reverse("triage:contact", args=[inquiry.pk]), {
        "contact-channel": "phone", "contact-reached": "yes", "contact-note": "Wants an appointment on Monday.",
    })  # fmt: skip
    assert response.status_code == 302

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to) == (Inquiry.Status.CONTACTED, counsellor_gr)
    html = client.get(url).content.decode()
    assert "Wants an appointment on Monday." in html


def test_a_refused_attempt_is_shown_at_its_field(counsellor_gr: User, inquiry: Inquiry) -> None:
    response = client_for(counsellor_gr).post(
        reverse("triage:contact", args=[inquiry.pk]), {"contact-channel": "pigeon", "contact-reached": "yes"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert ContactAttempt.objects.count() == 0


def test_closing_as_other_without_a_note_is_refused_at_the_note(counsellor_gr: User, inquiry: Inquiry) -> None:
    client = client_for(counsellor_gr)
    response = client.post(reverse("triage:close", args=[inquiry.pk]), {"close-reason": "other"})

    assert response.status_code == 400
    assert 'id="id_close-note_error"' in response.content.decode()
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.NEW

    response = client.post(reverse("triage:close", args=[inquiry.pk]), {"close-reason": "other", "close-note": "Left."})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Left." in html
    assert "Turn into a case" not in html
    assert "Reopen" not in html


def test_a_supervisor_reopens_a_closed_inquiry(supervisor_gr: User, counsellor_gr: User, inquiry: Inquiry) -> None:
    services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="duplicate")
    client = client_for(supervisor_gr)
    assert "Reopen" in client.get(reverse("triage:inquiry", args=[inquiry.pk])).content.decode()

    client.post(reverse("triage:reopen", args=[inquiry.pk]))

    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.NEW
    # A counsellor's click is refused.
    services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="duplicate")
    assert client_for(counsellor_gr).post(reverse("triage:reopen", args=[inquiry.pk])).status_code == 403


# ---------------------------------------------------------------- turning it into a case


def test_turn_into_a_case_shows_the_values_and_creates_the_case(counsellor_gr: User, inquiry: Inquiry) -> None:
    client = client_for(counsellor_gr)
    confirm = client.get(reverse("triage:convert", args=[inquiry.pk]))
    html = confirm.content.decode()
    assert "Create the case" in html
    assert 'value="Bilal Ahmed"' in html
    assert 'value="Qureshi"' in html
    assert 'value="+30 690 765 4321"' in html
    assert "Malakasa open centre" in html

    response = client.post(reverse("triage:convert", args=[inquiry.pk]), {
        "case-given_names": "Bilal", "case-family_name": "Ahmed Qureshi", "case-phone": "+30 690 765 4321",
        "case-destination_country": "PK",
    })  # fmt: skip

    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    assert case.members.get().person.full_name == "Bilal Ahmed Qureshi"
    case_html = client.get(response["Location"]).content.decode()
    assert 'id="inquiry-panel"' in case_html
    assert f'href="{reverse("triage:inquiry", args=[inquiry.pk])}"' in case_html
    # The person's message is on the card for caseworkers, and nowhere on the case for a finance officer.
    assert inquiry.message in case_html
    finance = UserFactory(username="finance.triage", roles=[(inquiry.mission, Role.FINANCE_OFFICER)])
    finance_html = client_for(finance).get(response["Location"]).content.decode()
    assert 'id="inquiry-panel"' in finance_html
    assert inquiry.message not in finance_html
    # Back to the confirm page: it says where the case is instead of making another.
    again = client.get(reverse("triage:convert", args=[inquiry.pk]))
    assert again["Location"] == reverse("cases:detail", args=[case.reference])
    response = client.post(reverse("triage:convert", args=[inquiry.pk]), {
        "case-given_names": "Bilal", "case-destination_country": "PK",
    })  # fmt: skip
    assert Case.objects.count() == 1


def test_a_bad_phone_on_the_confirm_page_is_shown_at_the_phone(counsellor_gr: User, gr: Mission) -> None:
    inquiry = make_inquiry(gr, phone="12")
    response = client_for(counsellor_gr).post(reverse("triage:convert", args=[inquiry.pk]), {
        "case-given_names": "Bilal", "case-phone": "12", "case-destination_country": "PK",
    })  # fmt: skip
    assert response.status_code == 400
    assert 'id="id_case-phone_error"' in response.content.decode()
    assert Case.objects.count() == 0


def test_a_case_without_an_inquiry_has_no_inquiry_card(counsellor_gr: User, case_gr: Case) -> None:
    html = client_for(counsellor_gr).get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert 'id="inquiry-panel"' not in html
