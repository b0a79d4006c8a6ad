from __future__ import annotations

from collections.abc import Callable

import pytest

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from tests.api.conftest import ApiClient
from tests.cases.test_eligibility import RULES

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(gr: Mission, pk: Mission) -> Programme:
    return programme_load(acting_user=None, data=RULES)


def test_programmes_are_listed_with_rules_and_targets(
    api_as: Callable[..., ApiClient], counsellor_gr: User, counsellor_ro: User, programme: Programme
) -> None:
    listing = api_as(counsellor_gr).get("/programmes").json()
    assert [p["code"] for p in listing] == ["RO/TEST"]
    assert api_as(counsellor_ro).get("/programmes").json() == []
    detail = api_as(counsellor_gr).get(f"/programmes/{programme.pk}").json()
    assert detail["rule_versions"][0]["rules"]["benefits"]["pre_departure_cash"]["currency"] == "USD"
    assert api_as(counsellor_ro).get(f"/programmes/{programme.pk}").status_code == 404


def test_eligibility_is_run_and_read_and_entitlements_follow(
    api_as: Callable[..., ApiClient],
    counsellor_gr: User,
    finance_gr: User,
    counsellor_ro: User,
    case_gr: Case,
    programme: Programme,
) -> None:
    api = api_as(counsellor_gr)
    assert api.get(f"/cases/{case_gr.pk}/eligibility").status_code == 404
    assert api.patch(f"/cases/{case_gr.pk}", {"legal_status": "return_decision"}).status_code == 200
    run = api.post(f"/cases/{case_gr.pk}/eligibility", {"programme": "RO/TEST"})
    assert run.status_code == 201, run.content
    assert run.json()["outcome"] == "eligible"
    assert any("Romania category" in o["explanation"] for o in run.json()["outcomes"])
    read = api_as(finance_gr).get(f"/cases/{case_gr.pk}/eligibility").json()
    assert read["final_outcome"] == "eligible"
    money = api_as(finance_gr).get(f"/cases/{case_gr.pk}/entitlements").json()
    assert {"benefit": "pre_departure_cash", "currency": "USD", "amount": "300.00"} in money["totals"]
    assert money["payable"] is True
    assert api_as(finance_gr).post(f"/cases/{case_gr.pk}/eligibility", {}).status_code == 403
    assert api_as(counsellor_ro).get(f"/cases/{case_gr.pk}/entitlements").status_code == 404
    unknown = api.post(f"/cases/{case_gr.pk}/eligibility", {"programme": "NOPE"})
    assert unknown.status_code == 400
