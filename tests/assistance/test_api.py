"""Providers over JSON: a round trip, who sees bank details, and the one error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from homeward.accounts.models import Mission, User
from homeward.assistance.models import Provider
from tests.api.conftest import assert_error
from tests.assistance.conftest import VALID_IBAN

pytestmark = pytest.mark.django_db

Api = Callable[..., Any]

NEW = {
    "mission": "pk",
    "name": "Quetta Carpentry Workshop",
    "country": "PK",
    "category": "training",
    "contact_person": "Naveed Khan",
    "phone": "+92 81 2830000",
}
BANK = {
    "account_holder": "Quetta Carpentry Workshop",
    "bank_name": "Habib Bank",
    "account_number": "pk36 scbl 0000 0011 2345 6702",
    "swift_bic": "habbpkka",
}


def test_a_provider_goes_round_from_registration_to_vetting(
    api_as: Api, reintegration_pk: User, finance_pk: User, supervisor_pk: User, pk: Mission
) -> None:
    officer = api_as(reintegration_pk)
    created = officer.post("/providers", NEW)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["mission"] == "PK"
    assert body["phone"] == "+92812830000"
    assert body["vetting_status"] == "not_vetted"
    assert body["bank_details"] is None
    assert body["created_by"] == "reintegration.pk"
    url = f"/providers/{body['id']}"

    changed = officer.patch(url, {"contact_person": "Zainab Khan"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["contact_person"] == "Zainab Khan"
    assert changed.json()["name"] == "Quetta Carpentry Workshop"  # what was not sent stays

    finance = api_as(finance_pk)
    banked = finance.patch(url, {"bank_details": BANK})
    assert banked.status_code == 200, banked.content
    assert banked.json()["bank_details"] == {**BANK, "account_number": VALID_IBAN, "swift_bic": "HABBPKKA"}
    assert officer.get(url).json()["bank_details"] is None

    vetted = api_as(supervisor_pk).post(f"{url}/vetting", {"status": "vetted", "note": "Workshop visited."})
    assert vetted.status_code == 200, vetted.content
    assert vetted.json()["vetting_status"] == "vetted"
    assert vetted.json()["vetted_by"] == "supervisor.pk"
    assert vetted.json()["bank_details"]["account_number"] == VALID_IBAN  # a supervisor sees them

    listed = officer.get("/providers", {"vetting_status": "vetted", "category": "training"})
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()["results"]] == ["Quetta Carpentry Workshop"]
    assert listed.json()["results"][0]["bank_details"] is None
    assert officer.get("/providers", {"country": "AF"}).json()["count"] == 0


def test_refusals_come_in_the_one_error_shape(
    api_as: Api, reintegration_pk: User, reintegration_af: User, counsellor_gr: User, provider: Provider
) -> None:
    officer = api_as(reintegration_pk)
    bad = assert_error(officer.post("/providers", {**NEW, "email": "naveed@", "category": "bakery"}), 400)
    assert set(bad["fields"]) == {"email", "category"}
    duplicate = assert_error(officer.post("/providers", {**NEW, "name": "LAHORE TOOLS & CO"}), 400)
    assert "already has a provider" in duplicate["fields"]["name"][0]
    assert_error(officer.post("/providers", {**NEW, "mission": "XX"}), 400)
    assert_error(officer.post("/providers", {"name": "No country"}), 422)
    assert_error(officer.post("/providers", {**NEW, "mission": "AF", "country": "AF", "phone": ""}), 403)
    assert_error(officer.post("/providers", {**NEW, "name": "Banked", "bank_details": BANK}), 403)
    assert_error(officer.patch(f"/providers/{provider.pk}", {"bank_details": BANK}), 403)
    decision = assert_error(officer.post(f"/providers/{provider.pk}/vetting", {"status": "vetted"}), 403)
    assert "separation of duties" in decision["message"]
    assert_error(officer.post(f"/providers/{provider.pk}/vetting", {"status": "nope"}), 400)

    af = api_as(reintegration_af)
    assert af.get("/providers").json()["count"] == 0
    assert_error(af.get(f"/providers/{provider.pk}"), 404)
    assert_error(af.patch(f"/providers/{provider.pk}", {"name": "Mine now"}), 404)
    assert_error(af.post(f"/providers/{provider.pk}/vetting", {"status": "in_progress"}), 404)

    counsellor = api_as(counsellor_gr)
    assert_error(counsellor.get("/providers"), 403)
    assert_error(counsellor.get(f"/providers/{provider.pk}"), 403)
    provider.refresh_from_db()
    assert provider.name == "Lahore Tools & Co"


def test_a_bad_iban_is_refused_by_field(api_as: Api, finance_pk: User, provider: Provider) -> None:
    body = assert_error(
        api_as(finance_pk).patch(
            f"/providers/{provider.pk}", {"bank_details": {**BANK, "account_number": "PK36SCBL0000001123456703"}}
        ),
        400,
    )
    assert list(body["fields"]) == ["account_number"]


def test_the_finance_officer_sees_bank_details_and_the_m_and_e_officer_nothing(
    api_as: Api, finance_pk: User, me_pk: User, with_bank: Provider
) -> None:
    seen = api_as(finance_pk).get(f"/providers/{with_bank.pk}").json()
    assert seen["bank_details"]["account_number"] == VALID_IBAN
    assert_error(api_as(me_pk).get(f"/providers/{with_bank.pk}"), 403)


def test_an_administrator_lists_every_mission(api_as: Api, administrator: User, provider: Provider) -> None:
    listed = api_as(administrator).get("/providers", {"mission": "pk"}).json()
    assert [p["id"] for p in listed["results"]] == [provider.pk]
    assert listed["results"][0]["bank_details"] == {
        "account_holder": "",
        "bank_name": "",
        "account_number": "",
        "swift_bic": "",
    }
