"""The outreach pages: campaigns, the hotline log and its one-click inquiry, the funnel, the case card."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.outreach import services
from homeward.outreach.models import Campaign, CaseSource, HotlineCall
from homeward.programmes.models import Programme
from tests.outreach.conftest import call, days_ago, session

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_counsellor_logs_a_call_and_turns_it_into_an_inquiry_case(counsellor_gr: User, gr: Mission) -> None:
    client = client_for(counsellor_gr)
    assert "Log a call" in client.get(reverse("outreach:hotline")).content.decode()
    response = client.post(reverse("outreach:call_log"), {
        "call-mission": gr.pk, "call-received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "call-caller_kind": "migrant", "call-caller_name": "Farid Noori", "call-caller_phone": "6901234567",
        "call-language": "fa", "call-destination_country": "AF", "call-topic": "eligibility",
        "call-outcome": "information_given", "call-notes": "Asked whether a rejected claim counts.",
    })  # fmt: skip
    logged = HotlineCall.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:hotline") + f"#call-{logged.pk}"
    html = client.get(reverse("outreach:hotline")).content.decode()
    assert "Farid Noori" in html
    assert "Turn into an inquiry case" in html
    # A counselling appointment can be booked from the call before any case exists.
    book = reverse("appointments:book") + f"?call={logged.pk}"
    assert f'href="{book}"' in html
    assert client.get(book).status_code == 200

    response = client.post(reverse("outreach:call_to_inquiry", args=[logged.pk]))
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    html = client.get(response["Location"]).content.decode()
    assert "Farid Noori" in html
    assert "inquiry" in html
    assert 'id="outreach-source"' in html
    assert "Hotline" in html


def test_a_call_missing_what_a_case_needs_asks_for_it(counsellor_gr: User, gr: Mission) -> None:
    logged = call(counsellor_gr, gr, caller_kind="ngo", caller_name="Caritas", destination_country="")
    client = client_for(counsellor_gr)
    html = client.get(reverse("outreach:hotline")).content.decode()
    assert f'id="id_inquiry{logged.pk}-given_names"' in html
    assert f'id="id_inquiry{logged.pk}-destination_country"' in html

    response = client.post(reverse("outreach:call_to_inquiry", args=[logged.pk]))
    assert response.status_code == 400
    assert "The caller is not the migrant" in response.content.decode()
    response = client.post(reverse("outreach:call_to_inquiry", args=[logged.pk]), {
        f"inquiry{logged.pk}-given_names": "Ali", f"inquiry{logged.pk}-family_name": "Rezai",
        f"inquiry{logged.pk}-destination_country": "AF",
    })  # fmt: skip
    assert response.status_code == 302
    assert Case.objects.get().members.get().person.full_name == "Ali Rezai"


def test_the_hotline_log_takes_a_fixed_number_of_queries(counsellor_gr: User, gr: Mission) -> None:
    client = client_for(counsellor_gr)
    call(counsellor_gr, gr)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("outreach:hotline"))
    calls = [call(counsellor_gr, gr) for _i in range(5)]
    services.call_to_inquiry(acting_user=counsellor_gr, call=calls[0])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("outreach:hotline"))
    assert len(many) == len(few)


def test_the_campaign_page_records_a_session(counsellor_gr: User, campaign: Campaign) -> None:
    client = client_for(counsellor_gr)
    html = client.get(reverse("outreach:campaigns")).content.decode()
    assert "Spring on the islands" in html
    response = client.post(reverse("outreach:session_add", args=[campaign.pk]), {
        "session-held_on": days_ago(1).isoformat(), "session-venue_kind": "detention_facility",
        "session-venue_name": "Amygdaleza", "session-languages": ["ar", "fa"], "session-women": "0",
        "session-men": "25", "session-girls": "0", "session-boys": "0", "session-other_participants": "0",
        "session-interpreters": "2",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("outreach:campaign", args=[campaign.pk])).content.decode()
    assert "Amygdaleza" in html
    assert campaign.sessions.get().languages == ["ar", "fa"]


def test_a_refused_session_shows_the_reason_in_the_form(counsellor_gr: User, campaign: Campaign) -> None:
    response = client_for(counsellor_gr).post(reverse("outreach:session_add", args=[campaign.pk]), {
        "session-held_on": days_ago(1).isoformat(), "session-venue_kind": "online", "session-women": "0",
        "session-men": "0", "session-girls": "0", "session-boys": "0", "session-other_participants": "0",
        "session-interpreters": "0",
    })  # fmt: skip
    assert response.status_code == 400
    assert "A session without participants" in response.content.decode()


def test_a_campaign_is_started_from_the_list(counsellor_gr: User, gr: Mission, programme: Programme) -> None:
    response = client_for(counsellor_gr).post(reverse("outreach:campaign_create"), {
        "campaign-mission": gr.pk, "campaign-programme": programme.pk, "campaign-name": "Radio autumn",
        "campaign-start": days_ago(3).isoformat(), "campaign-end": days_ago(-60).isoformat(),
    })  # fmt: skip
    campaign = Campaign.objects.get()
    assert response["Location"] == reverse("outreach:campaign", args=[campaign.pk])
    assert campaign.created_by == counsellor_gr


def test_the_case_card_sets_how_the_case_heard_of_us(counsellor_gr: User, case_gr: Case, campaign: Campaign) -> None:
    s = session(counsellor_gr, campaign)
    client = client_for(counsellor_gr)
    html = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert "How they heard of the programme" in html
    assert "Not recorded yet." in html
    response = client.post(reverse("outreach:case_source", args=[case_gr.reference]),
                           {"source-how": "information_session", "source-session": s.pk})  # fmt: skip
    assert response.status_code == 302
    assert CaseSource.objects.get(case=case_gr).session == s
    html = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert "Spring on the islands" in html


def test_the_funnel_page(supervisor_gr: User, programme: Programme, counsellor_gr: User, gr: Mission) -> None:
    call(counsellor_gr, gr)
    url = reverse("outreach:funnel") + f"?programme={programme.pk}&from={days_ago(30)}&to={days_ago(0)}"
    response = client_for(supervisor_gr).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="funnel-table"' in html
    assert 'Contacts (hotline calls and session participants)</th><td class="text-end">1</td>' in html


def test_the_menu_entries_follow_the_role(counsellor_gr: User, viewer: User) -> None:
    def nav(user: User) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return Template("{% load outreach_panels %}{% outreach_nav %}").render(Context({"request": request}))

    assert "Hotline" in nav(counsellor_gr)
    assert "Outreach" in nav(counsellor_gr)
    assert "Hotline" not in nav(viewer)
    assert "Outreach" in nav(viewer)
