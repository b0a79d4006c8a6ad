"""The travel letter: the journey in local times, help at each leg, in the traveller's language and English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.people.models import Person
from homeward.travel import services
from homeward.travel.letter import letter_html, letter_languages
from homeward.travel.models import Itinerary
from tests.travel.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def assisted(movement_gr: User, confirmed: Itinerary, gr: Mission, pk: Mission) -> Itinerary:
    Mission.objects.filter(pk=pk.pk).update(contact_phone="+92 51 111 222 333")
    for kind, airport, mission, meeting, contact in [
        ("departure", "ATH", gr, "Check-in row 5", "Eleni, +30 694 000 0000"),
        ("transit", "IST", gr, "Transfer desk, gate area F", "IOM Türkiye, +90 212 000 0000"),
        ("arrival", "ISB", pk, "Arrivals hall, IOM sign", "Bilal, +92 300 000 0000"),
    ]:
        services.assistance_add(acting_user=movement_gr, itinerary=confirmed, kind=kind, airport=airport,
                                mission=mission, meeting_point=meeting, contact=contact, status="confirmed")  # fmt: skip
    services.itinerary_update(acting_user=movement_gr, itinerary=confirmed, booking_reference="XK7P2Q",
                              onward_transport="IOM car to Lahore", final_address="House 12, Street 4, Lahore",
                              special_needs=["wheelchair"])  # fmt: skip
    return confirmed


def speaks(itinerary: Itinerary, *languages: str) -> None:
    principal = itinerary.case.members.get(relationship="principal")
    Person.objects.filter(pk=principal.person_id).update(languages=list(languages))


def test_the_letter_gives_local_times_and_who_helps_at_each_leg(movement_gr: User, assisted: Itinerary) -> None:
    html = letter_html(assisted, user=movement_gr)
    for text in ["TK1846", "TK710", "Athens (ATH)", "Islamabad (ISB)", "Tue 1 Dec 2026, 10:00 EET",
                 "Wed 2 Dec 2026, 04:00 PKT", "Asia/Karachi (UTC+05)", "IOM Pakistan", "+92 51 111 222 333",
                 "Transfer desk, gate area F", "Bilal, +92 300 000 0000", "IOM car to Lahore",
                 "House 12, Street 4, Lahore", "Imran Khan, Ayesha Khan, Sana Khan", "wheelchair"]:  # fmt: skip
        assert text in html, text
    assert html.count('<section class="language"') == 1


def test_a_greek_speaker_gets_greek_first_and_english_too(movement_gr: User, assisted: Itinerary) -> None:
    speaks(assisted, "el", "en")
    assert letter_languages(assisted.case) == ["el", "en"]
    html = letter_html(assisted, user=movement_gr)
    greek, english = html.split('<section class="language" lang="en">')
    assert 'lang="el"' in greek
    assert "Δεκ" in greek  # the month, as Greek readers write it
    assert "Tue 1 Dec 2026, 10:00 EET" in english


def test_a_language_we_do_not_translate_into_gives_english_only(assisted: Itinerary) -> None:
    speaks(assisted, "ur")
    assert letter_languages(assisted.case) == ["en"]


def test_medical_needs_are_left_out_of_a_letter_printed_by_a_finance_officer(
    finance_gr: User, assisted: Itinerary
) -> None:
    assert "wheelchair" not in letter_html(assisted, user=finance_gr)


def test_the_letter_downloads_as_a_pdf(finance_gr: User, assisted: Itinerary) -> None:
    url = reverse("travel:letter", args=[assisted.case.reference, assisted.pk])
    response = client_for(finance_gr).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000
