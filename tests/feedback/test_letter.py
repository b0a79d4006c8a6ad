"""The travel letter carries the case's feedback code, the link and its QR code."""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.feedback.models import Feedback, FeedbackLink
from homeward.people.models import Person
from homeward.travel.letter import letter_html
from tests import journey
from tests.feedback.conftest import send_code

pytestmark = pytest.mark.django_db


def test_the_letter_prints_the_code_the_link_and_a_qr_code(case_gr: Case, movement_gr: User, public: Client) -> None:
    itinerary = journey.book(case_gr, movement_gr)
    html = letter_html(itinerary, user=movement_gr, base_url="https://homeward.example.org")
    link = FeedbackLink.objects.get(case=case_gr)
    assert link.display_code in html
    assert f"https://homeward.example.org/f/{link.token}/?lang=en" in html
    assert "https://homeward.example.org/f/" in html
    assert 'src="data:image/svg+xml' in html
    # The code as printed works on the public form.
    send_code(public, link.display_code)
    assert Feedback.objects.get().case == case_gr


def test_a_greek_speakers_link_opens_the_form_in_greek(case_gr: Case, movement_gr: User) -> None:
    principal = case_gr.members.get(relationship="principal")
    Person.objects.filter(pk=principal.person_id).update(languages=["el"])
    itinerary = journey.book(case_gr, movement_gr)
    html = letter_html(itinerary, user=movement_gr)
    link = FeedbackLink.objects.get(case=case_gr)
    assert html.count(f"/f/{link.token}/?lang=el") == 2  # in the Greek section and the English one
    assert html.count(link.display_code) == 2


def test_printing_the_letter_again_keeps_the_same_code(case_gr: Case, movement_gr: User) -> None:
    itinerary = journey.book(case_gr, movement_gr)
    letter_html(itinerary, user=movement_gr)
    letter_html(itinerary, user=movement_gr)
    assert FeedbackLink.objects.filter(case=case_gr).count() == 1


def test_the_letter_pdf_is_made_with_the_feedback_block(case_gr: Case, movement_gr: User) -> None:
    itinerary = journey.book(case_gr, movement_gr)
    client = Client()
    client.force_login(movement_gr)
    response = client.get(f"/cases/{case_gr.reference}/travel/itineraries/{itinerary.pk}/letter.pdf")
    assert response.status_code == 200, response.content[:500]
    assert response.content.startswith(b"%PDF")
    assert FeedbackLink.objects.filter(case=case_gr).count() == 1
