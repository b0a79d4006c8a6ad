"""Who sees and does what: another mission's campaigns and calls are a 404, a write the role may not make a 403."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.outreach.models import Campaign, CaseSource, HotlineCall
from homeward.programmes.models import Programme
from tests.outreach.conftest import call, days_ago
from tests.outreach.test_pages import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_gr(counsellor_gr: User, gr: Mission) -> HotlineCall:
    return call(counsellor_gr, gr)


def test_counsellor_of_ro_cannot_open_a_campaign_of_gr(counsellor_ro: User, campaign: Campaign) -> None:
    client = client_for(counsellor_ro)
    assert client.get(reverse("outreach:campaign", args=[campaign.pk])).status_code == 404
    assert "Spring on the islands" not in client.get(reverse("outreach:campaigns")).content.decode()
    session_data = {"session-held_on": days_ago(1).isoformat(), "session-venue_kind": "online", "session-men": "3"}
    assert client.post(reverse("outreach:session_add", args=[campaign.pk]), session_data).status_code == 404
    assert not campaign.sessions.exists()


def test_counsellor_of_ro_cannot_see_or_convert_a_call_of_gr(counsellor_ro: User, call_gr: HotlineCall) -> None:
    client = client_for(counsellor_ro)
    assert "Tariq" not in client.get(reverse("outreach:hotline")).content.decode()
    assert client.post(reverse("outreach:call_to_inquiry", args=[call_gr.pk])).status_code == 404
    call_gr.refresh_from_db()
    assert call_gr.case is None


def test_an_me_officer_reads_the_hotline_and_campaigns_but_may_not_write(
    me_gr: User, call_gr: HotlineCall, campaign: Campaign, gr: Mission
) -> None:
    client = client_for(me_gr)
    html = client.get(reverse("outreach:hotline")).content.decode()
    assert "Tariq Mehmood" in html
    assert "Turn into an inquiry case" not in html
    assert "Log a call" not in html
    html = client.get(reverse("outreach:campaign", args=[campaign.pk])).content.decode()
    assert "Record a session" not in html
    assert client.post(reverse("outreach:call_to_inquiry", args=[call_gr.pk])).status_code == 403
    assert client.post(reverse("outreach:call_log"), {"call-mission": gr.pk}).status_code == 403
    assert client.post(reverse("outreach:session_add", args=[campaign.pk]), {}).status_code == 403
    assert client.post(reverse("outreach:campaign_edit", args=[campaign.pk]), {}).status_code == 403


def test_a_programme_viewer_sees_campaigns_and_figures_but_no_callers(
    viewer: User, call_gr: HotlineCall, campaign: Campaign, programme: Programme
) -> None:
    client = client_for(viewer)
    assert client.get(reverse("outreach:hotline")).status_code == 403
    assert client.get(reverse("outreach:campaign", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("outreach:funnel") + f"?programme={programme.pk}").status_code == 200


def test_a_counsellor_does_not_see_programme_figures(counsellor_gr: User, programme: Programme) -> None:
    assert client_for(counsellor_gr).get(reverse("outreach:funnel")).status_code == 403


def test_the_funnel_of_another_missions_programme_is_a_404(me_gr: User, programme: Programme, ro: Mission) -> None:
    other = Programme.objects.create(code="RO/X", name="Romania", donor="EU", currency="RON",
                                     start=days_ago(10), end=days_ago(-10))  # fmt: skip
    other.missions.add(ro)
    client = client_for(me_gr)
    assert client.get(reverse("outreach:funnel") + f"?programme={other.pk}").status_code == 404
    assert client.get(reverse("outreach:funnel") + f"?programme={programme.pk}").status_code == 200


def test_only_the_host_missions_caseworkers_set_how_a_case_heard_of_us(
    me_gr: User, counsellor_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    url = reverse("cases:detail", args=[case_gr.reference])
    assert 'name="source-how"' in client_for(counsellor_gr).get(url).content.decode()
    html = client_for(me_gr).get(url).content.decode()
    assert "How they heard of the programme" in html
    assert 'name="source-how"' not in html
    source_url = reverse("outreach:case_source", args=[case_gr.reference])
    assert client_for(me_gr).post(source_url, {"source-how": "website"}).status_code == 403
    assert client_for(counsellor_ro).post(source_url, {"source-how": "website"}).status_code == 404
    assert not CaseSource.objects.exists()
