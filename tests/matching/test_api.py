"""Matching over JSON: the check, a run's pairs, merge, undo and "not the same person"."""
# ruff: noqa: F811 - the api_as fixture is imported from tests.api.conftest

from __future__ import annotations

import pytest

from homeward.jobs.services import job_run
from homeward.matching.models import NotSamePerson, PersonMerge
from homeward.people.models import Person
from tests.api.conftest import api_as, assert_error  # noqa: F401 - the JSON client fixture
from tests.matching.conftest import REASON, registered

pytestmark = pytest.mark.django_db


def test_the_check_shows_visible_cases_and_only_mission_and_contacts_of_others(
    api_as, counsellor_gr, counsellor_ro, supervisor_gr, ro, earlier
):
    typed = {"given_names": "Mohamad", "family_name": "Alhasan", "birth_year": 1990, "nationality": "IQ", "sex": "M"}
    body = api_as(counsellor_gr).post("/matching/check", typed).json()
    assert body["checked"] is True
    [match] = body["matches"]
    assert match["person"]["id"] == earlier.pk
    assert match["cases"][0]["reference"] == earlier.memberships.get().case.reference
    assert any("transliteration" in r["words"] and r["weight"] > 0 for r in match["reasons"])

    hidden = api_as(counsellor_ro).post("/matching/check", typed).json()
    [match] = hidden["matches"]
    assert match["person"] is None
    assert match["cases"] == []
    assert match["other_missions"][0]["code"] == "GR"
    assert supervisor_gr.username in [u["username"] for u in match["other_missions"][0]["ask"]]
    assert "Al-Hassan" not in str(hidden)


def test_the_check_says_when_it_cannot_compare(api_as, counsellor_gr):
    body = api_as(counsellor_gr).post("/matching/check", {"given_names": "M"}).json()
    assert body == {"checked": True, "note": body["note"], "matches": []}
    assert body["note"]
    assert_error(api_as(counsellor_gr).post("/matching/check", {"birth_year": "soon"}), 422)


def test_the_check_is_for_those_who_register_cases(api_as, viewer):
    assert_error(api_as(viewer).post("/matching/check", {"given_names": "Mohamad"}), 403)


def test_duplicates_of_the_latest_run(api_as, supervisor_gr, counsellor_gr, earlier, later):
    client = api_as(supervisor_gr)
    assert client.get("/matching/duplicates").json() == {"job": None, "total": 0, "pairs": []}
    started = client.post("/matching/duplicates/run")
    assert started.status_code == 201
    job_run(started.json()["id"])
    body = client.get("/matching/duplicates").json()
    assert body["job"]["status"] == "done"
    assert body["total"] == 1
    [pair] = body["pairs"]
    assert {pair["first"]["id"], pair["second"]["id"]} == {earlier.pk, later.pk}
    assert pair["reasons"]
    assert_error(api_as(counsellor_gr).get("/matching/duplicates"), 403)


def test_merge_and_undo(api_as, supervisor_gr, earlier, later):
    client = api_as(supervisor_gr)
    response = client.post("/matching/merges", {"survivor": earlier.pk, "merged": later.pk, "reason": REASON})
    assert response.status_code == 201
    merge = response.json()
    assert merge["moved"]["cases.casemember.person"]
    assert Person.objects.get(pk=later.pk).merged_into_id == earlier.pk
    assert client.get(f"/matching/merges/{merge['id']}").json()["reason"] == REASON

    undone = client.post(f"/matching/merges/{merge['id']}/undo")
    assert undone.status_code == 200
    assert undone.json()["undone_by"] == supervisor_gr.username
    assert Person.objects.get(pk=later.pk).merged_into_id is None
    body = assert_error(client.post(f"/matching/merges/{merge['id']}/undo"), 400)
    assert "already undone" in body["message"]


def test_merge_errors(api_as, supervisor_gr, counsellor_gr, counsellor_ro, ro, earlier, later):
    client = api_as(supervisor_gr)
    body = assert_error(
        client.post("/matching/merges", {"survivor": earlier.pk, "merged": later.pk, "reason": "x"}), 400
    )
    assert "reason" in body["fields"]
    body = assert_error(
        client.post("/matching/merges", {"survivor": earlier.pk, "merged": earlier.pk, "reason": REASON}), 400
    )
    assert "itself" in body["message"]
    assert_error(client.post("/matching/merges", {"survivor": earlier.pk}), 422)
    assert_error(
        api_as(counsellor_gr).post("/matching/merges", {"survivor": earlier.pk, "merged": later.pk, "reason": REASON}),
        403,
    )
    in_ro = registered(counsellor_ro, ro, "Mohammed", "Al Hasan", year=1990)
    assert_error(client.post("/matching/merges", {"survivor": earlier.pk, "merged": in_ro.pk, "reason": REASON}), 404)
    assert not PersonMerge.objects.exists()


def test_not_the_same_person(api_as, supervisor_gr, earlier, later):
    client = api_as(supervisor_gr)
    response = client.post("/matching/not-same", {"first": later.pk, "second": earlier.pk, "note": "Brothers"})
    assert response.status_code == 201
    decision = response.json()
    assert (decision["first"], decision["second"]) == tuple(sorted((earlier.pk, later.pk)))
    body = assert_error(client.post("/matching/not-same", {"first": earlier.pk, "second": later.pk}), 400)
    assert "already decided" in body["message"]
    assert client.post(f"/matching/not-same/{decision['id']}/undo").status_code == 204
    assert not NotSamePerson.objects.exists()
