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
