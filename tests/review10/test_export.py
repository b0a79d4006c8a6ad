"""Review of issue 10: a person's export must withhold what the exporting role may not see, wherever it is stored."""

from __future__ import annotations

import pytest

from homeward.travel.models import Itinerary
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_medical_special_needs_are_withheld_from_a_finance_officer(client, case_gr, counsellor_gr, finance_gr):
    """The travel pages hide medical special needs (oxygen, stretcher…) from roles without medical facts;
    the export gave them away because it withheld only the health and safeguarding apps."""
    member = case_gr.members.get(relationship="principal")
    Itinerary.objects.create(case=case_gr, special_needs=["oxygen"], created_by=counsellor_gr)
    client.login(username=counsellor_gr.username, password=PASSWORD)
    assert "oxygen" in client.get(f"/api/v1/persons/{member.person_id}/export").content.decode()  # can fail
    client.logout()
    client.login(username=finance_gr.username, password=PASSWORD)
    data = client.get(f"/api/v1/persons/{member.person_id}/export").json()
    assert "oxygen" not in str(data)
    assert data["cases"][0]["withheld"]


def test_a_referral_package_in_the_export_keeps_only_the_vulnerabilities_of_the_exporters_level(
    client, case_gr, counsellor_gr, supervisor_gr, finance_gr, pk
):
    """The referral package names the household's vulnerabilities (trafficking…): exported as stored, it gave
    them to any role that may export the person."""
    from homeward.cases import referrals
    from homeward.people.models import PersonVulnerability, VulnerabilityType
    from tests import journey

    member = case_gr.members.get(relationship="principal")
    PersonVulnerability.objects.create(person=member.person, type=VulnerabilityType.objects.get(code="trafficking"))
    journey.declare(case_gr, counsellor_gr)  # consent to sharing: the vulnerabilities travel
    journey.set_status(case_gr, "return_declared")
    referrals.referral_send(acting_user=supervisor_gr, case=case_gr, mission=pk)
    client.login(username=counsellor_gr.username, password=PASSWORD)
    assert "victim of trafficking" in client.get(f"/api/v1/persons/{member.person_id}/export").content.decode()
    client.logout()
    client.login(username=finance_gr.username, password=PASSWORD)
    exported = client.get(f"/api/v1/persons/{member.person_id}/export").content.decode()
    assert "victim of trafficking" not in exported
    assert "vulnerability_sensitivities" not in exported
