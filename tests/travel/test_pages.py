"""The travel page, its forms, the panel on the case page, and who sees what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.partners.models import Partner
from homeward.travel import services
from homeward.travel.models import Itinerary, Segment
from tests import journey
from tests.travel.conftest import add_route, client_for, members_of

pytestmark = pytest.mark.django_db


def page(case: Case) -> str:
    return reverse("travel:case", args=[case.reference])


def test_the_movement_officer_sees_the_route_in_local_times_and_the_forms(
    movement_gr: User, confirmed: Itinerary
) -> None:
    response = client_for(movement_gr).get(page(confirmed.case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ATH → IST → ISB" in html
    assert "2026-12-01 10:00 EET" in html
    assert "2026-12-02 04:00 PKT" in html
    assert 'title="Asia/Karachi (UTC+05)"' in html
    assert "Request a travel document" in html
    assert "Record the check" in html


def test_a_finance_officer_reads_travel_but_gets_no_forms_and_cannot_post(
    finance_gr: User, confirmed: Itinerary
) -> None:
    client = client_for(finance_gr)
    html = client.get(page(confirmed.case)).content.decode()
    assert "XK7P2Q" in html
    assert "Request a travel document" not in html
    assert "Start an itinerary" not in html
    url = reverse("travel:itinerary_create", args=[confirmed.case.reference])
    assert client.post(url, {"itinerary-travellers": []}).status_code == 403


def test_the_movement_officer_of_another_mission_does_not_find_the_case(
    movement_ro: User, confirmed: Itinerary
) -> None:
    client = client_for(movement_ro)
    reference = confirmed.case.reference
    assert client.get(page(confirmed.case)).status_code == 404
    assert client.get(reverse("travel:letter", args=[reference, confirmed.pk])).status_code == 404
    assert client.post(reverse("travel:itinerary_create", args=[reference])).status_code == 404


def test_the_origin_mission_reads_the_travel_of_a_case_referred_to_it(
    supervisor_gr: User, reintegration_pk: User, confirmed: Itinerary, pk: Mission
) -> None:
    client = client_for(reintegration_pk)
    assert client.get(page(confirmed.case)).status_code == 404
    journey.referred(confirmed.case, supervisor_gr, pk)
    response = client.get(page(confirmed.case))
    assert response.status_code == 200
    assert "Start an itinerary" not in response.content.decode()
    assert client.get(reverse("travel:letter", args=[confirmed.case.reference, confirmed.pk])).status_code == 200


def test_a_segment_posted_through_the_page_is_saved_and_redirects(movement_gr: User, preparing: Case) -> None:
    itinerary = services.itinerary_create(acting_user=movement_gr, case=preparing)
    client = client_for(movement_gr)
    prefix = f"segment{itinerary.pk}"
    response = client.post(
        reverse("travel:segment_add", args=[preparing.reference, itinerary.pk]),
        {f"{prefix}-carrier": "Turkish Airlines", f"{prefix}-number": "tk1846", f"{prefix}-origin": "ath",
         f"{prefix}-destination": "IST", f"{prefix}-departs_local": "2026-12-01T10:00",
         f"{prefix}-arrives_local": "2026-12-01T12:20"},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0].endswith(f"#itinerary-{itinerary.pk}")
    assert "Segment added." in response.content.decode()
    segment = Segment.objects.get(itinerary=itinerary)
    assert (segment.number, segment.origin, segment.departs_at.hour) == ("TK1846", "ATH", 8)


def test_a_segment_arriving_before_it_departs_is_shown_next_to_its_field(movement_gr: User, preparing: Case) -> None:
    itinerary = services.itinerary_create(acting_user=movement_gr, case=preparing)
    prefix = f"segment{itinerary.pk}"
    response = client_for(movement_gr).post(
        reverse("travel:segment_add", args=[preparing.reference, itinerary.pk]),
        {f"{prefix}-carrier": "TK", f"{prefix}-number": "1846", f"{prefix}-origin": "ATH",
         f"{prefix}-destination": "IST", f"{prefix}-departs_local": "2026-12-01T10:00",
         f"{prefix}-arrives_local": "2026-12-01T10:30"},
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "The segment arrives before it departs" in html  # the message
    assert f'id="id_{prefix}-arrives_local_error"' in html  # and the error under the field
    assert "The arrival must be after the departure." in html
    assert not Segment.objects.exists()


def test_a_document_request_and_its_update_through_the_pages(
    movement_gr: User, preparing: Case, embassy_pk: Partner
) -> None:
    client = client_for(movement_gr)
    sana = members_of(preparing)["Sana"]
    response = client.post(
        reverse("travel:document_request", args=[preparing.reference]),
        {"document-member": sana.pk, "document-kind": "laissez_passer", "document-embassy": embassy_pk.pk,
         "document-requested_on": "2026-11-02", "document-expected_on": "2026-11-16"},
    )  # fmt: skip
    assert response.status_code == 302
    document = sana.travel_documents.get()
    edit = reverse("travel:document_edit", args=[preparing.reference, document.pk])
    response = client.post(edit, {"status": "issued", "issued_on": "2026-11-18"})
    assert response.status_code == 200
    assert "Give the document number." in response.content.decode()
    response = client.post(edit, {"status": "issued", "issued_on": "2026-11-18", "number": "LP 991",
                                  "expires_on": "2027-05-18"})  # fmt: skip
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.number) == ("issued", "LP 991")


def test_confirming_through_the_page_reports_what_is_missing(movement_gr: User, draft: Itinerary) -> None:
    response = client_for(movement_gr).post(
        reverse("travel:itinerary_confirm", args=[draft.case.reference, draft.pk]), follow=True
    )
    assert "No ticket for Imran Khan, Ayesha Khan, Sana Khan." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_travel_page_does_not_query_per_itinerary(movement_gr: User, draft: Itinerary) -> None:
    client = client_for(movement_gr)
    url = page(draft.case)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for reference in ("B2", "B3"):
        other = services.itinerary_create(acting_user=movement_gr, case=draft.case, booking_reference=reference)
        add_route(movement_gr, other)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_the_case_page_panel_shows_documents_and_the_confirmed_route(movement_gr: User, confirmed: Itinerary) -> None:
    request = RequestFactory().get("/")
    request.user = movement_gr
    html = Template("{% load travel_panels %}{% travel_panel case %}").render(
        Context({"request": request, "case": confirmed.case})
    )
    assert 'id="travel"' in html
    assert "TK1846: ATH 2026-12-01 10:00 EET → IST 2026-12-01 12:20 UTC+03" in html
    assert "no valid travel document" in html  # Ayesha and Sana have none yet
    assert reverse("travel:case", args=[confirmed.case.reference]) in html


def test_medical_special_needs_are_not_shown_to_a_finance_officer(
    movement_gr: User, finance_gr: User, preparing: Case
) -> None:
    services.itinerary_create(acting_user=movement_gr, case=preparing, special_needs=["wheelchair", "special_meal"])
    finance = client_for(finance_gr).get(page(preparing)).content.decode()
    movement = client_for(movement_gr).get(page(preparing)).content.decode()
    assert "wheelchair" in movement
    assert "wheelchair" not in finance
    assert "special meal" in finance


def test_the_case_page_shows_the_travel_panel(movement_gr: User, confirmed: Itinerary) -> None:
    response = client_for(movement_gr).get(reverse("cases:detail", args=[confirmed.case.reference]))
    assert response.status_code == 200
    assert 'id="travel"' in response.content.decode()


def test_the_day_board_is_in_the_menu_of_those_who_arrange_travel(movement_gr: User, counsellor_gr: User) -> None:
    board = reverse("travel:board")
    assert f'href="{board}"' in client_for(movement_gr).get(reverse("cases:list")).content.decode()
    assert f'href="{board}"' not in client_for(counsellor_gr).get(reverse("cases:list")).content.decode()
