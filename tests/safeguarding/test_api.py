"""The safeguarding checklist over JSON: the visible items, a count of the hidden ones, recording with a file."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.safeguarding.models import ChecklistItem
from tests.api.conftest import API, ApiClient
from tests.counselling.uploads import EXE, pdf
from tests.safeguarding.conftest import member

pytestmark = pytest.mark.django_db
Api = Callable[[User], ApiClient]


def form(case: Case, who: str, vulnerability: str, item: str, **extra: object) -> dict[str, object]:
    return {
        "member_id": member(case, who).pk,
        "vulnerability": vulnerability,
        "item": item,
        "done_on": timezone.localdate().isoformat(),
        "evidence": "Certificate on file.",
        **extra,
    }


def post(client: ApiClient, case: Case, data: dict[str, object]) -> object:
    return client.client.post(f"{API}/cases/{case.pk}/safeguarding", data, headers=client._headers())


def test_a_movement_officer_gets_medical_items_and_a_hidden_count(api_as: Api, movement_gr: User, case: Case) -> None:
    body = api_as(movement_gr).get(f"/cases/{case.pk}/safeguarding").json()
    assert {i["item"] for i in body["items"]} == {
        "fit_to_travel", "escort_decision", "continuity_of_care", "travel_assistance_needs"
    }  # fmt: skip
    assert all(i["vulnerability"] != "trafficking" for i in body["items"])
    assert body["hidden_missing"] == 2
    assert body["missing"] == 4
    assert body["complete"] is False


def test_recording_with_an_evidence_file(api_as: Api, movement_gr: User, case: Case) -> None:
    client = api_as(movement_gr)
    evidence_file = SimpleUploadedFile("fit.pdf", pdf(), content_type="application/pdf")
    response = post(client, case, form(case, "Imran", "health_needs", "fit_to_travel", evidence_file=evidence_file))
    assert response.status_code == 201, response.json()
    record = response.json()
    assert record["done_by"] == "movement.gr"
    download = client.client.get(record["evidence_file_url"], headers=client._headers())
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    items = client.get(f"/cases/{case.pk}/safeguarding").json()["items"]
    done = next(i for i in items if i["item"] == "fit_to_travel")
    assert done["done"] is True
    assert done["record"]["id"] == record["id"]


def test_recording_without_a_file(api_as: Api, counsellor_gr: User, case: Case) -> None:
    response = post(api_as(counsellor_gr), case, form(case, "Imran", "trafficking", "specialised_referral"))
    assert response.status_code == 201
    assert response.json()["evidence_file_url"] is None


def test_a_hidden_item_is_forbidden(api_as: Api, movement_gr: User, case: Case) -> None:
    response = post(api_as(movement_gr), case, form(case, "Imran", "trafficking", "safe_return_assessment"))
    assert response.status_code == 403
    assert not ChecklistItem.objects.exists()


def test_a_bad_file_is_refused(api_as: Api, counsellor_gr: User, case: Case) -> None:
    bad = SimpleUploadedFile("fit.pdf", EXE, content_type="application/pdf")
    response = post(
        api_as(counsellor_gr), case, form(case, "Imran", "health_needs", "fit_to_travel", evidence_file=bad)
    )
    assert response.status_code == 400
    assert "evidence_file" in response.json()["fields"]


def test_an_item_the_member_does_not_need_is_refused(api_as: Api, counsellor_gr: User, case: Case) -> None:
    response = post(api_as(counsellor_gr), case, form(case, "Ayesha", "health_needs", "fit_to_travel"))
    assert response.status_code == 400
    assert "item" in response.json()["fields"]


def test_another_missions_case_is_404(api_as: Api, counsellor_ro: User, case: Case) -> None:
    client = api_as(counsellor_ro)
    assert client.get(f"/cases/{case.pk}/safeguarding").status_code == 404
    assert post(client, case, form(case, "Ayesha", "single_parent", "travel_assistance_needs")).status_code == 404


def test_a_supervisor_removes_an_item(api_as: Api, counsellor_gr: User, supervisor_gr: User, case: Case) -> None:
    record = post(api_as(counsellor_gr), case, form(case, "Ayesha", "single_parent", "travel_assistance_needs")).json()
    path = f"/cases/{case.pk}/safeguarding/items/{record['id']}"
    assert api_as(counsellor_gr).delete(path).status_code == 403
    assert api_as(supervisor_gr).delete(path).status_code == 204
    assert not ChecklistItem.objects.exists()
