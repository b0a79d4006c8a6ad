"""Outreach over JSON: the same services and permissions as the pages, the one error shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.outreach.models import Campaign, HotlineCall
from homeward.programmes.models import Programme
from tests.api.conftest import ApiClient, assert_error
from tests.outreach.conftest import call, days_ago, session

pytestmark = pytest.mark.django_db
Api = Callable[..., ApiClient]


def test_campaigns_are_started_and_listed(api_as: Api, counsellor_gr: User, gr: Mission, programme: Programme) -> None:
    client = api_as(counsellor_gr)
    response = client.post("/campaigns", {"mission": "GR", "programme_id": programme.pk, "name": "Radio",
                                          "start": str(days_ago(5)), "end": str(days_ago(-5))})  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["programme"] == "GR/TEST"
    assert [c["name"] for c in client.get("/campaigns").json()] == ["Radio"]
    body = assert_error(client.post("/campaigns", {"mission": "GR", "programme_id": programme.pk, "name": "",
                                                   "start": str(days_ago(5)), "end": str(days_ago(6))}), 400)  # fmt: skip
    assert {"name", "end"} <= set(body["fields"])


def test_sessions_of_a_campaign(api_as: Api, counsellor_gr: User, me_gr: User, campaign: Campaign) -> None:
    response = api_as(counsellor_gr).post(f"/campaigns/{campaign.pk}/sessions", {
        "held_on": str(days_ago(2)), "venue_kind": "community_venue", "venue_name": "Mosque of Athens",
        "languages": ["ar"], "men": 30, "women": 12,
    })  # fmt: skip
    assert response.status_code == 201, response.content
    assert (response.json()["participants"], response.json()["recorded_by"]) == (42, "counsellor.gr")
    listed = api_as(me_gr).get(f"/campaigns/{campaign.pk}/sessions").json()
    assert [s["venue_name"] for s in listed] == ["Mosque of Athens"]
    assert_error(api_as(me_gr).post(f"/campaigns/{campaign.pk}/sessions",
                                     {"held_on": str(days_ago(2)), "venue_kind": "online", "men": 1}), 403)  # fmt: skip


def test_another_missions_campaign_and_call_are_404(
    api_as: Api, counsellor_ro: User, counsellor_gr: User, campaign: Campaign, gr: Mission
) -> None:
    logged = call(counsellor_gr, gr)
    client = api_as(counsellor_ro)
    assert client.get("/campaigns").json() == []
    assert_error(client.get(f"/campaigns/{campaign.pk}/sessions"), 404)
    assert_error(client.post(f"/campaigns/{campaign.pk}/sessions", {"held_on": str(days_ago(1)),
                                                                    "venue_kind": "online", "men": 1}), 404)  # fmt: skip
    assert client.get("/hotline/calls").json() == []
    assert_error(client.post(f"/hotline/calls/{logged.pk}/inquiry", {}), 404)
    assert_error(client.post("/hotline/calls", {"mission": "GR", "received_at": timezone.now().isoformat(),
                                                "caller_kind": "migrant", "topic": "travel",
                                                "outcome": "information_given"}), 403)  # fmt: skip


def test_a_call_is_logged_and_turned_into_an_inquiry_once(api_as: Api, counsellor_gr: User) -> None:
    client = api_as(counsellor_gr)
    response = client.post("/hotline/calls", {
        "mission": "GR", "received_at": timezone.now().isoformat(), "caller_kind": "migrant", "topic": "travel",
        "outcome": "referred_to_counselling", "caller_name": "Omar Haidari", "caller_phone": "+93 70 123 4567",
        "language": "prs", "destination_country": "AF", "notes": "Family of four in Athens.",
    })  # fmt: skip
    assert response.status_code == 201, response.content
    call_id = response.json()["id"]
    assert response.json()["caller_phone"] == "+93701234567"

    response = client.post(f"/hotline/calls/{call_id}/inquiry", {})
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["case_id"])
    assert (case.status, case.referral_source, case.notes) == ("inquiry", "hotline", "Family of four in Athens.")
    assert body["call"]["case_reference"] == case.reference
    assert body["call"]["outcome"] == "inquiry_opened"
    assert case.members.get().person.languages == ["prs"]

    body = assert_error(client.post(f"/hotline/calls/{call_id}/inquiry", {}), 400)
    assert case.reference in body["message"]
    assert Case.objects.count() == 1
    assert [c["id"] for c in client.get("/hotline/calls").json()] == [call_id]


def test_a_call_with_bad_input_has_the_one_error_shape(api_as: Api, counsellor_gr: User) -> None:
    body = assert_error(api_as(counsellor_gr).post("/hotline/calls", {
        "mission": "GR", "received_at": timezone.now().isoformat(), "caller_kind": "martian", "topic": "travel",
        "outcome": "information_given",
    }), 400)  # fmt: skip
    assert "caller_kind" in body["fields"]
    assert_error(api_as(counsellor_gr).post("/hotline/calls", {"mission": "GR"}), 422)
    assert not HotlineCall.objects.exists()


def test_the_funnel_of_a_programme(
    api_as: Api, me_gr: User, counsellor_gr: User, gr: Mission, campaign: Campaign, programme: Programme
) -> None:
    call(counsellor_gr, gr)
    session(counsellor_gr, campaign)
    response = api_as(me_gr).get(f"/programmes/{programme.pk}/funnel", {"from": str(days_ago(30)),
                                                                         "to": str(days_ago(0))})  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["funnel"] == {"contacts": 21, "calls": 1, "participants": 20, "inquiries": 0, "registrations": 0,
                              "declarations": 0, "departures": 0}  # fmt: skip
    assert body["calls_by_topic"] == {"return_process": 1}
    assert (body["date_from"], body["date_to"]) == (str(days_ago(30)), str(days_ago(0)))
    assert_error(api_as(counsellor_gr).get(f"/programmes/{programme.pk}/funnel"), 403)
