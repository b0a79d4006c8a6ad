"""Campaigns, sessions, materials, meetings, the hotline log and how a case heard of us: the rules of each write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.outreach import services
from homeward.outreach.models import Campaign, CaseSource, HotlineCall
from homeward.programmes.models import Programme
from tests.outreach.conftest import call, days_ago, session

pytestmark = pytest.mark.django_db


def test_a_campaign_is_for_a_programme_of_its_mission(counsellor_ro: User, ro: Mission, programme: Programme) -> None:
    data = services.CampaignInput(programme=programme, name="Bucharest", start=days_ago(5), end=days_ago(0))
    with pytest.raises(ServiceError) as refused:
        services.campaign_create(acting_user=counsellor_ro, mission=ro, data=data)
    assert "programme" in refused.value.fields
    assert not Campaign.objects.exists()


def test_a_campaign_ends_after_it_starts(counsellor_gr: User, gr: Mission, programme: Programme) -> None:
    data = services.CampaignInput(programme=programme, name="Backwards", start=days_ago(0), end=days_ago(5))
    with pytest.raises(ServiceError) as refused:
        services.campaign_create(acting_user=counsellor_gr, mission=gr, data=data)
    assert "end" in refused.value.fields


def test_a_campaign_cannot_shrink_past_what_was_recorded_in_it(counsellor_gr: User, campaign: Campaign) -> None:
    session(counsellor_gr, campaign, held_on=days_ago(50))
    data = services.CampaignInput(programme=campaign.programme, name="Shorter", start=days_ago(20), end=campaign.end)
    with pytest.raises(ServiceError):
        services.campaign_update(acting_user=counsellor_gr, campaign=campaign, data=data)
    campaign.refresh_from_db()
    assert campaign.name == "Spring on the islands"

    data.start = days_ago(55)
    services.campaign_update(acting_user=counsellor_gr, campaign=campaign, data=data)
    campaign.refresh_from_db()
    assert (campaign.name, campaign.start) == ("Shorter", days_ago(55))


def test_a_session_records_who_came_by_sex_and_age(counsellor_gr: User, campaign: Campaign) -> None:
    s = session(counsellor_gr, campaign, languages=["UR", "ps", "ur"])
    assert (s.women, s.men, s.girls, s.boys, s.other_participants, s.participants) == (4, 11, 2, 3, 0, 20)
    assert s.languages == ["ps", "ur"]
    assert s.recorded_by == counsellor_gr


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"held_on": days_ago(-3)}, "held_on"),
        ({"held_on": days_ago(90)}, "held_on"),
        ({"venue_kind": "beach"}, "venue_kind"),
        ({"languages": ["xx1"]}, "languages"),
        ({"men": -1}, "men"),
        ({"women": 0, "men": 0, "girls": 0, "boys": 0}, "women"),
    ],
)
def test_a_session_out_of_bounds_is_refused(
    counsellor_gr: User, campaign: Campaign, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        session(counsellor_gr, campaign, **overrides)
    assert field in refused.value.fields
    assert not campaign.sessions.exists()


def test_a_session_can_be_corrected(counsellor_gr: User, campaign: Campaign) -> None:
    s = session(counsellor_gr, campaign)
    data = services.SessionInput(held_on=s.held_on, venue_kind="online", women=1)
    services.session_update(acting_user=counsellor_gr, session=s, data=data)
    s.refresh_from_db()
    assert (s.venue_kind, s.participants) == ("online", 1)


def test_materials_and_meetings(counsellor_gr: User, campaign: Campaign) -> None:
    material = services.material_record(
        acting_user=counsellor_gr, campaign=campaign,
        data=services.MaterialInput(kind="leaflet", quantity=500, distributed_on=days_ago(3), language="UR"),
    )  # fmt: skip
    assert (material.kind, material.quantity, material.language) == ("leaflet", 500, "ur")
    with pytest.raises(ServiceError) as refused:
        services.material_record(
            acting_user=counsellor_gr, campaign=campaign,
            data=services.MaterialInput(kind="leaflet", quantity=0, distributed_on=days_ago(3)),
        )  # fmt: skip
    assert "quantity" in refused.value.fields
    meeting = services.meeting_record(
        acting_user=counsellor_gr, campaign=campaign,
        data=services.MeetingInput(held_on=days_ago(2), with_whom="authority",
                                   organisation="Border and alien police, Athens", participants=6),
    )  # fmt: skip
    assert meeting.get_with_whom_display() == "authority"
    services.meeting_update(
        acting_user=counsellor_gr, meeting=meeting,
        data=services.MeetingInput(held_on=days_ago(2), with_whom="authority", organisation="Police", participants=7),
    )  # fmt: skip
    meeting.refresh_from_db()
    assert (meeting.organisation, meeting.participants) == ("Police", 7)


def test_an_me_officer_reads_but_does_not_record_outreach(me_gr: User, campaign: Campaign, gr: Mission) -> None:
    with pytest.raises(PermissionDenied):
        session(me_gr, campaign)
    with pytest.raises(PermissionDenied):
        call(me_gr, gr)


def test_a_call_is_logged_with_its_phone_in_international_form(counsellor_gr: User, gr: Mission) -> None:
    logged = call(counsellor_gr, gr)
    assert (logged.caller_phone, logged.caller_name, logged.taken_by) == (
        "+306901234567",
        "Tariq Mehmood",
        counsellor_gr,
    )
    assert logged.interpreter is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_at": timezone.now() + dt.timedelta(hours=1)}, "received_at"),
        ({"caller_kind": "alien"}, "caller_kind"),
        ({"topic": "weather"}, "topic"),
        ({"outcome": "inquiry_opened"}, "outcome"),
        ({"caller_phone": "12"}, "caller_phone"),
        ({"language": "zz9"}, "language"),
        ({"destination_country": "XX"}, "destination_country"),
    ],
)
def test_a_call_out_of_bounds_is_refused(
    counsellor_gr: User, gr: Mission, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        call(counsellor_gr, gr, **overrides)
    assert field in refused.value.fields
    assert not HotlineCall.objects.exists()


def test_a_converted_call_keeps_its_outcome_when_corrected(counsellor_gr: User, gr: Mission) -> None:
    logged = call(counsellor_gr, gr)
    services.call_to_inquiry(acting_user=counsellor_gr, call=logged)
    logged.refresh_from_db()
    data = services.CallInput(received_at=logged.received_at, caller_kind="migrant", topic="documents",
                              outcome="no_follow_up", caller_phone=logged.caller_phone)  # fmt: skip
    services.call_update(acting_user=counsellor_gr, call=logged, data=data)
    logged.refresh_from_db()
    assert (logged.topic, logged.outcome) == ("documents", "inquiry_opened")


def test_how_a_case_heard_of_us_links_the_session(counsellor_gr: User, case_gr: Case, campaign: Campaign) -> None:
    s = session(counsellor_gr, campaign)
    with pytest.raises(ServiceError) as refused:
        services.case_source_set(acting_user=counsellor_gr, case=case_gr, how="website", session=s)
    assert "how" in refused.value.fields

    services.case_source_set(acting_user=counsellor_gr, case=case_gr, how="information_session", session=s)
    services.case_source_set(acting_user=counsellor_gr, case=case_gr, how="friend_or_relative", note="A cousin")
    source = CaseSource.objects.get(case=case_gr)
    assert (source.how, source.session, source.note) == ("friend_or_relative", None, "A cousin")


def test_a_call_given_as_the_source_is_linked_to_the_case(counsellor_gr: User, case_gr: Case, gr: Mission) -> None:
    logged = call(counsellor_gr, gr)
    services.case_source_set(acting_user=counsellor_gr, case=case_gr, how="hotline", call=logged)
    logged.refresh_from_db()
    assert logged.case == case_gr


def test_a_call_of_another_case_or_mission_is_not_a_source(
    counsellor_gr: User, counsellor_ro: User, case_gr: Case, gr: Mission, ro: Mission
) -> None:
    converted = call(counsellor_gr, gr)
    services.call_to_inquiry(acting_user=counsellor_gr, call=converted)
    converted.refresh_from_db()
    romanian = call(counsellor_ro, ro, caller_phone="")
    for other in (converted, romanian):
        with pytest.raises(ServiceError) as refused:
            services.case_source_set(acting_user=counsellor_gr, case=case_gr, how="hotline", call=other)
        assert "call" in refused.value.fields
    assert not CaseSource.objects.filter(case=case_gr).exists()


def test_only_the_host_missions_caseworkers_set_how_a_case_heard_of_us(
    me_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    for user in (me_gr, counsellor_ro):
        with pytest.raises(PermissionDenied):
            services.case_source_set(acting_user=user, case=case_gr, how="website")
