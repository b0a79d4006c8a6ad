"""A person's data export: what it holds, for whom, and that it is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from homeward.health.models import Medicine
from homeward.privacy.models import Export
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def principal_of(case):
    return case.members.select_related("person").get(relationship="principal")


def test_json_export_holds_the_person_their_documents_and_their_case(client, case_gr, counsellor_gr):
    client.login(username=counsellor_gr.username, password=PASSWORD)
    member = principal_of(case_gr)
    response = client.get(f"/api/v1/persons/{member.person_id}/export")
    assert response.status_code == 200
    data = response.json()
    assert data["person"]["given_names"] == "Imran"
    assert [d["number"] for d in data["identity_documents"]] == ["AB1234567"]
    assert [c["reference"] for c in data["cases"]] == [case_gr.reference]
    assert data["cases"][0]["membership"]["relationship"] == "principal applicant"


def test_export_leaves_out_cases_the_user_cannot_see(client, case_gr, case_ro, counsellor_gr, counsellor_ro, gr):
    from homeward.cases.models import CaseMember

    # The same person in a case of Romania too (re-migration).
    imran = principal_of(case_gr).person
    CaseMember.objects.create(case=case_ro, person=imran, relationship="other")
    client.login(username=counsellor_gr.username, password=PASSWORD)
    data = client.get(f"/api/v1/persons/{imran.pk}/export").json()
    assert [c["reference"] for c in data["cases"]] == [case_gr.reference]
    assert case_ro.reference not in str(data)
    client.logout()
    client.login(username=counsellor_ro.username, password=PASSWORD)
    only_gr = case_gr.members.get(relationship="spouse").person
    assert client.get(f"/api/v1/persons/{only_gr.pk}/export").status_code == 404


def test_medical_rows_are_withheld_from_a_finance_officer(client, case_gr, counsellor_gr, finance_gr):
    member = principal_of(case_gr)
    Medicine.objects.create(
        case=case_gr,
        member=member,
        name="Insulin",
        dosage="10 units",
        quantity=1,
        supplied_on=dt.date(2025, 1, 2),
        recorded_by=counsellor_gr,
    )
    client.login(username=counsellor_gr.username, password=PASSWORD)
    assert "Insulin" in client.get(f"/api/v1/persons/{member.person_id}/export").content.decode()
    client.logout()
    client.login(username=finance_gr.username, password=PASSWORD)
    data = client.get(f"/api/v1/persons/{member.person_id}/export").json()
    assert "Insulin" not in str(data)
    assert data["cases"][0]["withheld"]


def test_export_is_audited(client, case_gr, counsellor_gr):
    client.login(username=counsellor_gr.username, password=PASSWORD)
    member = principal_of(case_gr)
    response = client.post(reverse("privacy:export", args=[member.person_id]), {"format": "pdf"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert f"personal-data-{member.person_id}.pdf" in response["Content-Disposition"]
    export = Export.objects.get(person=member.person)
    assert (export.by, export.format, export.cases) == (counsellor_gr, "pdf", [case_gr.reference])
    entry = LogEntry.objects.get_for_object(export).get()
    assert entry.actor == counsellor_gr


def test_programme_viewer_cannot_export(client, case_gr, viewer):
    client.login(username=viewer.username, password=PASSWORD)
    member = principal_of(case_gr)
    assert client.post(reverse("privacy:export", args=[member.person_id]), {"format": "json"}).status_code == 404
    assert not Export.objects.exists()
