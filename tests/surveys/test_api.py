"""Surveys over JSON: the same services and permissions as the pages, the one error shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.surveys.models import Instrument
from tests.api.conftest import ApiClient, assert_error
from tests.money import money_programme
from tests.surveys.conftest import best
from tests.surveys.test_services import EQUAL

pytestmark = pytest.mark.django_db
Api = Callable[..., ApiClient]


def test_instruments_and_a_definition(api_as: Api, me_gr: User) -> None:
    client = api_as(me_gr)
    listed = client.get("/surveys/instruments").json()
    assert [(i["code"], i["version"], i["status"]) for i in listed] == [("rss", 1, "active")]
    assert listed[0]["weight_tables"][0]["name"] == EQUAL
    detail = client.get(f"/surveys/instruments/{listed[0]['id']}").json()
    assert [d["code"] for d in detail["definition"]["dimensions"]] == ["economic", "social", "psychosocial"]
    assert detail["weights"][EQUAL]["composite"]["min_dimensions"] == 2
    assert_error(client.get("/surveys/instruments/999"), 404)


def test_record_and_list_responses_with_scores(api_as: Api, rss: Instrument, case: Case,
                                               reintegration_pk: User) -> None:  # fmt: skip
    client = api_as(reintegration_pk)
    answers = best(rss) | {"debt": "refuses"}
    created = client.post(f"/cases/{case.pk}/survey-responses",
                          {"kind": "baseline", "taken_on": str(timezone.localdate()), "answers": answers})  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["instrument"], body["source"], body["recorded_by"]) == ("rss v1", "staff", "reintegration.pk")
    assert body["scores"] == [{"weight_table": EQUAL, "weight_table_id": body["scores"][0]["weight_table_id"],
                               "dimensions": {"economic": 1.0, "social": 1.0, "psychosocial": 1.0},
                               "composite": 1.0,
                               "bands": {"economic": "high", "social": "high", "psychosocial": "high",
                                         "composite": "high"}}]  # fmt: skip
    listed = client.get(f"/cases/{case.pk}/survey-responses").json()
    assert [r["id"] for r in listed] == [body["id"]]


def test_refusals_have_the_one_error_shape(api_as: Api, rss: Instrument, case: Case, reintegration_pk: User,
                                           counsellor_gr: User, counsellor_ro: User) -> None:  # fmt: skip
    payload = {"kind": "baseline", "taken_on": str(timezone.localdate()), "answers": best(rss) | {"debt": "x"}}
    body = assert_error(api_as(reintegration_pk).post(f"/cases/{case.pk}/survey-responses", payload), 400)
    assert body["fields"] == {"answers.debt": ["The answer to debt is not one of its options."]}
    payload["answers"] = best(rss)
    assert_error(api_as(counsellor_gr).post(f"/cases/{case.pk}/survey-responses", payload), 403)
    assert_error(api_as(counsellor_ro).post(f"/cases/{case.pk}/survey-responses", payload), 404)
    assert_error(api_as(counsellor_ro).get(f"/cases/{case.pk}/survey-responses"), 404)
    assert_error(api_as(reintegration_pk).post(f"/cases/{case.pk}/survey-responses", {"kind": "baseline"}), 422)


def test_a_retired_version_is_refused(api_as: Api, rss: Instrument, case: Case, reintegration_pk: User) -> None:
    Instrument.objects.filter(pk=rss.pk).update(status="retired")
    payload = {"instrument_id": rss.pk, "kind": "follow_up", "taken_on": str(timezone.localdate()),
               "answers": best(rss)}  # fmt: skip
    body = assert_error(api_as(reintegration_pk).post(f"/cases/{case.pk}/survey-responses", payload), 400)
    assert "retired" in body["message"]


def test_satisfaction_and_the_programme_rate(api_as: Api, rss: Instrument, case: Case, reintegration_pk: User,
                                             supervisor_gr: User, counsellor_ro: User, counsellor_gr: User) -> None:  # fmt: skip
    programme = money_programme()
    Case.objects.filter(pk=case.pk).update(programme=programme)
    client = api_as(reintegration_pk)
    for overall in (5, 3):
        created = client.post(f"/cases/{case.pk}/satisfaction",
                              {"questionnaire": "travel", "taken_on": "2025-05-01",
                               "answers": {"overall": overall, "improve": "More notice."}})  # fmt: skip
        assert created.status_code == 201, created.content
    assert created.json()["answers"] == {"overall": 3, "improve": "More notice."}
    bad = client.post(f"/cases/{case.pk}/satisfaction",
                      {"questionnaire": "travel", "taken_on": "2025-05-01", "answers": {"overall": 9}})  # fmt: skip
    assert assert_error(bad, 400)["fields"] == {
        "answers.overall": ["Answer from 1 (very dissatisfied) to 5 (very satisfied)."]
    }
    assert_error(client.post(f"/cases/{case.pk}/satisfaction",
                             {"questionnaire": "hotel", "taken_on": "2025-05-01", "answers": {}}), 404)  # fmt: skip
    # true is not the answer 1: JSON booleans are not Likert answers.
    yes = client.post(f"/cases/{case.pk}/satisfaction",
                      {"questionnaire": "travel", "taken_on": "2025-05-01", "answers": {"overall": True}})  # fmt: skip
    assert yes.status_code in (400, 422), yes.content
    assert [s["overall"] for s in client.get(f"/cases/{case.pk}/satisfaction").json()] == [5, 3]

    rates = api_as(supervisor_gr).get(f"/programmes/{programme.pk}/satisfaction",
                                      {"from": "2025-01-01", "to": "2025-12-31"}).json()  # fmt: skip
    travel = next(r for r in rates if r["questionnaire"] == "travel")
    assert (travel["respondents"], travel["satisfied"], travel["rate"]) == (2, 1, 0.5)
    later = api_as(supervisor_gr).get(f"/programmes/{programme.pk}/satisfaction",
                                      {"from": str(dt.date(2025, 6, 1))}).json()  # fmt: skip
    assert next(r for r in later if r["questionnaire"] == "travel")["respondents"] == 0
    assert_error(api_as(reintegration_pk).get(f"/programmes/{programme.pk}/satisfaction"), 404)  # not its programme
    assert_error(api_as(counsellor_ro).get(f"/programmes/{programme.pk}/satisfaction"), 404)
    # A counsellor of the programme's mission sees the programme, not its figures.
    assert_error(api_as(counsellor_gr).get(f"/programmes/{programme.pk}/satisfaction"), 403)
