"""What a review of the matching change found, each kept as a test: phones as typed, what a match in
another mission reveals, long input, decisions remembered on edit, evidence across missions."""
# ruff: noqa: F811 - the api_as fixture is imported from tests.api.conftest

from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.accounts.roles import Role
from homeward.cases import eligibility
from homeward.cases import services as case_services
from homeward.cases.models import CaseStatus, Relationship, Transition
from homeward.cases.services import MemberInput
from homeward.matching import services
from homeward.programmes.services import programme_load
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture
from tests.factories import UserFactory, person, register_case
from tests.journey import set_status
from tests.matching.conftest import REASON, passport, registered

pytestmark = pytest.mark.django_db


def test_the_check_reads_a_phone_as_typed_in_the_form(api_as, counsellor_gr, later):
    assert later.phone == "+306912345678"
    typed = {"given_names": "Mohamad", "family_name": "Alhasan", "birth_year": 1990, "phone": "+30 691 234 5678"}
    [match] = api_as(counsellor_gr).post("/matching/check", typed).json()["matches"]
    words = {r["feature"]: r["weight"] for r in match["reasons"]}
    assert words["phone"] > 0


@pytest.mark.parametrize("phone", ["+306912345678", "+30 691 234 5678", "691 234 5678"])
def test_name_and_phone_find_the_person_however_the_phone_is_typed(phone, api_as, counsellor_gr, later):
    body = (
        api_as(counsellor_gr)
        .post("/matching/check", {"given_names": "Mohamad", "family_name": "Alhasan", "phone": phone})
        .json()
    )
    assert [m["person"]["id"] for m in body["matches"]] == [later.pk]


def test_the_api_check_gives_no_reasons_for_a_match_the_caller_may_not_open(api_as, counsellor_ro, earlier):
    typed = {"given_names": "Mohamad", "family_name": "Alhasan", "birth_year": 1991, "nationality": "IQ", "sex": "M"}
    [match] = api_as(counsellor_ro).post("/matching/check", typed).json()["matches"]
    assert match["person"] is None
    assert match["reasons"] == []
    assert match["other_missions"][0]["code"] == "GR"


def test_after_an_undo_the_merge_is_shown_only_to_who_may_see_both_records(
    client, api_as, counsellor_gr, counsellor_ro, gr, ro, earlier
):
    in_ro = registered(counsellor_ro, ro, "Mohammed", "Al Hasan", [passport("RO998877")], year=1990,
                       phone="+40 721 234 567", place_of_birth="Basra")  # fmt: skip
    both = UserFactory(username="supervisor.both", roles=[(gr, Role.CASE_SUPERVISOR), (ro, Role.CASE_SUPERVISOR)])
    merge = services.person_merge(acting_user=both, survivor=earlier, merged=in_ro, reason=REASON)
    services.merge_undo(acting_user=both, merge=merge)
    client.force_login(counsellor_gr)
    assert client.get(reverse("matching:merge", args=[merge.pk])).status_code == 404
    assert api_as(counsellor_gr).get(f"/matching/merges/{merge.pk}").status_code == 404
    client.force_login(both)
    assert "RO998877" in client.get(reverse("matching:merge", args=[merge.pk])).content.decode()


def test_the_check_refuses_names_longer_than_a_person_may_have(api_as, counsellor_gr):
    assert api_as(counsellor_gr).post("/matching/check", {"given_names": "Muhammad " * 2000}).status_code == 422


def test_the_live_check_reads_no_more_of_a_name_than_a_record_holds(client, counsellor_gr, earlier):
    client.force_login(counsellor_gr)
    response = client.post(reverse("matching:check"), {"given_names": "Muhammad " * 2000, "family_name": "Al-Hassan"})
    assert response.status_code == 200


def test_editing_a_member_does_not_propose_a_pair_decided_two_people(
    client, supervisor_gr, counsellor_gr, earlier, later
):
    services.not_same_person(acting_user=supervisor_gr, first=earlier, second=later, note="Cousins")
    typed = {"given_names": "Mohamad", "family_name": "Alhasan", "birth_year": "1990", "birth_month": "5",
             "birth_day": "1", "nationality": "IQ", "match_exclude": str(later.pk)}  # fmt: skip
    client.force_login(counsellor_gr)
    assert "Al-Hassan" not in client.post(reverse("matching:check"), typed).content.decode()


def test_a_person_taken_out_of_every_case_is_not_proposed(api_as, counsellor_gr, gr):
    case = registered(counsellor_gr, gr, "Ali", "Rezaei", year=1980).memberships.get().case
    case_services.member_add(acting_user=counsellor_gr, case=case, member=MemberInput(
        Relationship.SIBLING, person("Karim", "Haddad", year=1992, nationality="SY")))  # fmt: skip
    case_services.member_remove(acting_user=counsellor_gr, member=case.members.get(person__given_names="Karim"))
    body = (
        api_as(counsellor_gr)
        .post(
            "/matching/check", {"given_names": "Karim", "family_name": "Hadad", "birth_year": 1992, "nationality": "SY"}
        )
        .json()
    )
    assert body["matches"] == []


def test_a_merge_reason_longer_than_its_column_is_refused(api_as, supervisor_gr, earlier, later):
    response = api_as(supervisor_gr).post(
        "/matching/merges", {"survivor": earlier.pk, "merged": later.pk, "reason": "x" * 5000}
    )
    assert response.status_code == 400


def test_previous_assistance_evidence_names_no_case_of_another_mission(counsellor_gr, counsellor_ro, gr, ro):
    prog = programme_load(acting_user=None, data={
        "programme": {"code": "RO/AVRR", "name": "Romania AVRR", "donor": "EEA", "missions": ["RO"],
                      "currency": "EUR", "start": "2020-01-01", "end": "2030-12-31"},
        "rules": [{"effective_from": "2020-01-01",
                   "eligibility": {"previous_assistance": {"within_years": 5, "excludes": "all"}}}],
    })  # fmt: skip

    def alone(given, family):
        return [MemberInput(Relationship.PRINCIPAL, person(given, family, nationality="IQ", sex="M", year=1990))]

    in_gr = register_case(counsellor_gr, gr, alone("Muhammad", "Al-Hassan"))
    set_status(in_gr, CaseStatus.DEPARTED)
    Transition.objects.create(case=in_gr, from_status=CaseStatus.TRAVEL_BOOKED, to_status=CaseStatus.DEPARTED,
                              by=counsellor_gr)  # fmt: skip
    in_ro = register_case(counsellor_ro, ro, alone("Mohamad", "Alhasan"))
    both = UserFactory(username="supervisor.both", roles=[(gr, Role.CASE_SUPERVISOR), (ro, Role.CASE_SUPERVISOR)])
    services.person_merge(acting_user=both, survivor=in_ro.members.get().person,
                          merged=in_gr.members.get().person, reason=REASON)  # fmt: skip
    text = str(eligibility.case_assess(acting_user=counsellor_ro, case=in_ro, programme=prog).result)
    assert in_gr.reference not in text
    assert "a case of GR" in text


def test_the_case_page_shows_no_match_in_no_case_any_more(client, counsellor_gr, gr):
    case = registered(counsellor_gr, gr, "Ali", "Rezaei", year=1980).memberships.get().case
    case_services.member_add(acting_user=counsellor_gr, case=case, member=MemberInput(
        Relationship.SIBLING, person("Karim", "Haddad", year=1992, nationality="SY")))  # fmt: skip
    case_services.member_remove(acting_user=counsellor_gr, member=case.members.get(person__given_names="Karim"))
    again = registered(counsellor_gr, gr, "Karim", "Hadad", year=1992, nationality="SY")
    client.force_login(counsellor_gr)
    page = client.get(reverse("cases:detail", args=[again.memberships.get().case.reference]))
    assert page.status_code == 200
    assert 'id="matching-panel"' not in page.content.decode()
