"""Cases over JSON: list and search, registration, scoping, sensitive facts and edits."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases import services
from homeward.cases.models import Case, CaseMember, CaseSequence, Relationship
from homeward.people.models import IdentityDocument, Person, PersonVulnerability
from tests import journey
from tests.api.conftest import ApiClient, assert_error
from tests.factories import UserFactory, family_of_three, person, register_case

pytestmark = pytest.mark.django_db

ApiAs = Callable[..., ApiClient]
THIS_YEAR = dt.date.today().year
CHILD_YEAR = THIS_YEAR - 8


# --- helpers ---------------------------------------------------------------------------------------------------------


def family_payload(**overrides: Any) -> dict[str, Any]:
    """A valid registration of the Raza family: principal, spouse and an 8-year-old child."""
    payload: dict[str, Any] = {
        "host_mission": "GR",
        "destination_country": "PK",
        "destination_place": "Lahore",
        "referral_source": "ngo",
        "members": [
            {
                "relationship": "principal",
                "given_names": "Imran",
                "family_name": "Raza",
                "sex": "M",
                "birth_date": {"year": 1985, "month": 3, "day": 14},
                "nationality": "PK",
                "languages": ["ur", "en"],
                "phone": "6912345678",
                "documents": [
                    {"kind": "passport", "number": "ab1234567", "issuing_country": "PK", "expires_on": "2030-01-01"}
                ],
            },
            {
                "relationship": "spouse",
                "given_names": "Ayesha",
                "family_name": "Raza",
                "sex": "F",
                "birth_date": {"year": 1988},
                "nationality": "PK",
            },
            {
                "relationship": "child",
                "given_names": "Sana",
                "family_name": "Raza",
                "sex": "F",
                "birth_date": {"year": CHILD_YEAR, "month": 6},
                "nationality": "PK",
            },
        ],
    }
    payload.update(overrides)
    return payload


def counts() -> dict[str, int]:
    models = (Case, Person, CaseMember, IdentityDocument, PersonVulnerability, CaseSequence)
    return {
        m.__name__: m.objects.filter(**({"last_number__gt": 0} if m is CaseSequence else {})).count() for m in models
    }


def references(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["reference"] for c in response.json()["results"]]


def member_named(case_body: dict[str, Any], given_names: str) -> dict[str, Any]:
    return next(m for m in case_body["members"] if m["person"]["given_names"] == given_names)


def vulnerability_codes(member: dict[str, Any]) -> set[str]:
    return {v["code"] for v in member["person"]["vulnerabilities"]}


@pytest.fixture
def counsellor_api(api_as: ApiAs, counsellor_gr: User) -> ApiClient:
    return api_as(counsellor_gr)


# --- list, search and filters ----------------------------------------------------------------------------------------


def test_the_list_is_paginated_with_count_page_pages_and_results(counsellor_api: ApiClient, case_gr: Case) -> None:
    response = counsellor_api.get("/cases")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "page", "pages", "results"}
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    [row] = body["results"]
    assert row["id"] == case_gr.pk
    assert row["reference"] == case_gr.reference
    assert row["principal_name"] == "Imran Khan"
    assert row["member_count"] == 3
    assert row["case_type"] == "family"
    assert row["host_mission"] == "GR"
    assert row["referred_to_mission"] is None
    assert row["counsellor"] == "counsellor.gr"
    assert row["status"] == "inquiry"


def test_the_list_pages_through_many_cases(counsellor_api: ApiClient, counsellor_gr: User, gr: Mission) -> None:
    for i in range(51):
        register_case(counsellor_gr, gr, [services.MemberInput(Relationship.PRINCIPAL, person(f"Person{i}", "Many"))])
    first = counsellor_api.get("/cases").json()
    assert (first["count"], first["page"], first["pages"], len(first["results"])) == (51, 1, 2, 50)
    second = counsellor_api.get("/cases", {"page": 2}).json()
    assert (second["page"], len(second["results"])) == (2, 1)
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_search_finds_a_name_typed_without_accents_and_in_another_case(
    counsellor_api: ApiClient, counsellor_gr: User, gr: Mission, case_gr: Case
) -> None:
    maria = register_case(
        counsellor_gr,
        gr,
        [services.MemberInput(Relationship.PRINCIPAL, person("María José", "Pérez Núñez", nationality="VE"))],
    )
    for query in ("maria", "MARIA", "perez nunez", "NÚÑEZ", "jose PEREZ", "María"):
        assert references(counsellor_api.get("/cases", {"q": query})) == [maria.reference], query
    assert references(counsellor_api.get("/cases", {"q": "maria khan"})) == []


def _greek_maria(counsellor_gr: User, gr: Mission) -> Case:
    return register_case(
        counsellor_gr, gr, [services.MemberInput(Relationship.PRINCIPAL, person("", "", given_names_original="Μαρία", family_name_original="Παπαδοπούλου"))]
    )  # fmt: skip


def test_search_finds_a_name_recorded_only_in_greek_when_typed_in_latin_letters(
    counsellor_api: ApiClient, counsellor_gr: User, gr: Mission, case_gr: Case
) -> None:
    greek = _greek_maria(counsellor_gr, gr)
    assert references(counsellor_api.get("/cases", {"q": "maria"})) == [greek.reference]
    assert references(counsellor_api.get("/cases", {"q": "Μαρία"})) == [greek.reference]


def test_search_finds_a_greek_family_name_by_its_usual_latin_spelling(
    counsellor_api: ApiClient, counsellor_gr: User, gr: Mission, case_gr: Case
) -> None:
    greek = _greek_maria(counsellor_gr, gr)
    assert references(counsellor_api.get("/cases", {"q": "papadopoulou"})) == [greek.reference]


def test_search_finds_any_member_of_a_family(counsellor_api: ApiClient, case_gr: Case) -> None:
    assert references(counsellor_api.get("/cases", {"q": "sana"})) == [case_gr.reference]


def test_search_by_reference(counsellor_api: ApiClient, counsellor_gr: User, gr: Mission, case_gr: Case) -> None:
    other = register_case(counsellor_gr, gr, family_of_three("Ahmadi"))
    assert references(counsellor_api.get("/cases", {"q": other.reference})) == [other.reference]
    assert references(counsellor_api.get("/cases", {"q": case_gr.reference.lower()})) == [case_gr.reference]


def test_filter_by_nationality(counsellor_api: ApiClient, counsellor_gr: User, gr: Mission, case_gr: Case) -> None:
    afghan = register_case(
        counsellor_gr, gr, [services.MemberInput(Relationship.PRINCIPAL, person("Ahmad", "Karimi", nationality="AF"))]
    )
    assert references(counsellor_api.get("/cases", {"nationality": "AF"})) == [afghan.reference]
    assert references(counsellor_api.get("/cases", {"nationality": "pk"})) == [case_gr.reference]
    assert references(counsellor_api.get("/cases", {"nationality": "SY"})) == []


def test_filter_by_status(counsellor_api: ApiClient, counsellor_gr: User, gr: Mission, case_gr: Case) -> None:
    other = register_case(counsellor_gr, gr, family_of_three("Ahmadi"))
    services.case_transition(acting_user=counsellor_gr, case=other, to="registered")
    assert references(counsellor_api.get("/cases", {"status": "registered"})) == [other.reference]
    assert references(counsellor_api.get("/cases", {"status": "inquiry"})) == [case_gr.reference]


def test_filter_by_case_type(counsellor_api: ApiClient, counsellor_gr: User, gr: Mission, case_gr: Case) -> None:
    single = register_case(counsellor_gr, gr, [services.MemberInput(Relationship.PRINCIPAL, person("Ahmad", "Karimi"))])
    individual = counsellor_api.get("/cases", {"case_type": "individual"})
    assert references(individual) == [single.reference]
    assert individual.json()["results"][0]["case_type"] == "individual"
    assert references(counsellor_api.get("/cases", {"case_type": "family"})) == [case_gr.reference]


# --- registration ----------------------------------------------------------------------------------------------------


def test_registering_a_family_returns_201_with_its_reference_and_members(counsellor_api: ApiClient) -> None:
    response = counsellor_api.post("/cases", family_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert re.fullmatch(r"^GR-\d{4}-\d{6}$", body["reference"])
    assert body["reference"] == f"GR-{timezone.localdate().year}-000001"
    assert body["status"] == "inquiry"
    assert body["registered_on"] is None
    assert body["inquiry_date"] == timezone.localdate().isoformat()
    assert body["counsellor"] == "counsellor.gr"
    assert body["host_mission"] == "GR"
    assert body["destination_country"] == "PK"
    assert body["destination_place"] == "Lahore"
    assert (body["case_type"], body["member_count"], body["principal_name"]) == ("family", 3, "Imran Raza")
    assert [(m["relationship"], m["person"]["given_names"]) for m in body["members"]] == [
        ("principal", "Imran"),
        ("spouse", "Ayesha"),
        ("child", "Sana"),
    ]
    case = Case.objects.get(reference=body["reference"])
    assert body["id"] == case.pk
    assert case.members.count() == 3


def test_a_registered_member_keeps_its_details(counsellor_api: ApiClient) -> None:
    body = counsellor_api.post("/cases", family_payload()).json()
    principal = member_named(body, "Imran")["person"]
    assert principal["phone"] == "+306912345678"  # a local number is read in the host mission's country
    assert principal["languages"] == ["en", "ur"]
    assert principal["nationality"] == "PK"
    assert principal["country_of_origin"] == "PK"
    assert principal["birth_date"] == {"value": "1985-03-14", "precision": "exact", "display": "14 Mar 1985"}
    [document] = principal["documents"]
    assert (document["kind"], document["number"], document["issuing_country"]) == ("passport", "AB1234567", "PK")
    assert document["expires_on"] == "2030-01-01"


def test_a_partial_birth_date_comes_back_with_its_precision_and_display(counsellor_api: ApiClient) -> None:
    body = counsellor_api.post("/cases", family_payload()).json()
    child = member_named(body, "Sana")["person"]
    assert child["birth_date"] == {
        "value": f"{CHILD_YEAR}-06-01",
        "precision": "month",
        "display": f"June {CHILD_YEAR}",
    }
    spouse = member_named(body, "Ayesha")["person"]
    assert spouse["birth_date"] == {"value": "1988-01-01", "precision": "year", "display": "1988"}


def test_an_estimated_birth_year_comes_back_as_about(counsellor_api: ApiClient) -> None:
    payload = family_payload()
    payload["members"][1]["birth_date"] = {"year": 1988, "estimated": True}
    body = counsellor_api.post("/cases", payload).json()
    spouse = member_named(body, "Ayesha")["person"]
    assert spouse["birth_date"] == {"value": "1988-01-01", "precision": "estimated", "display": "about 1988"}


def test_registering_as_registered_dates_the_registration_today(counsellor_api: ApiClient) -> None:
    body = counsellor_api.post("/cases", family_payload(status="registered")).json()
    assert body["status"] == "registered"
    assert body["registered_on"] == timezone.localdate().isoformat()


def test_references_count_up(counsellor_api: ApiClient) -> None:
    first = counsellor_api.post("/cases", family_payload()).json()["reference"]
    payload = family_payload()
    for member in payload["members"]:
        member["family_name"] = "Ahmadi"
    second = counsellor_api.post("/cases", payload).json()["reference"]
    assert first.endswith("-000001")
    assert second.endswith("-000002")


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the payload at a dotted path such as ``members.2.birth_date``."""

    def apply(payload: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = payload
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return apply


def _drop_principal(payload: dict[str, Any]) -> None:
    payload["members"][0]["relationship"] = "sibling"


def _two_principals(payload: dict[str, Any]) -> None:
    payload["members"][1]["relationship"] = "principal"


def _duplicate_member(payload: dict[str, Any]) -> None:
    twin = copy.deepcopy(payload["members"][1])
    twin.update(relationship="sibling", given_names="Áyesha")  # the same person, typed with an accent
    payload["members"].append(twin)


def _duplicate_document(payload: dict[str, Any]) -> None:
    documents = payload["members"][0]["documents"]
    documents.append({**documents[0], "number": "AB 1234567".replace(" ", "")})


BAD_REGISTRATIONS = [
    pytest.param(
        _set("members.2.birth_date", {"year": 1980}), "members.2.birth_date", "older", id="child-older-than-parent"
    ),
    pytest.param(_drop_principal, "members", "principal", id="missing-principal"),
    pytest.param(_two_principals, "members", "one", id="two-principals"),
    pytest.param(_duplicate_member, "members.3.given_names", "repeats member 2", id="duplicate-member"),
    pytest.param(_set("destination_country", "XX"), "destination_country", "valid choice", id="unknown-country"),
    pytest.param(
        _set("members.1.birth_date", {"year": 1988, "month": 13}), "members.1.birth_date", "month", id="month-13"
    ),
    pytest.param(
        _set("members.2.birth_date", {"year": 2019, "month": 2, "day": 31}),
        "members.2.birth_date",
        "no day 31",
        id="31-february",
    ),
    pytest.param(
        _set("members.1.birth_date", {"year": 1988, "day": 3}), "members.1.birth_date", "month", id="day-without-month"
    ),
    pytest.param(
        _set("members.1.birth_date", {"year": THIS_YEAR + 1}), "members.1.birth_date", "future", id="born-in-the-future"
    ),
    pytest.param(_set("members.0.phone", "12"), "members.0.phone", "phone number", id="bad-phone"),
    pytest.param(
        _set("members.1.relationship", "cousin"), "members.1.relationship", "relationship", id="unknown-relationship"
    ),
    pytest.param(_set("members.1.given_names", ""), "members.1.given_names", "given names", id="no-name"),
    pytest.param(
        _set("members.0.nationality", "QQ"), "members.0.nationality", "valid choice", id="unknown-nationality"
    ),
    pytest.param(_set("referral_source", "rumour"), "referral_source", "referral source", id="unknown-referral-source"),
    pytest.param(_set("inquiry_date", f"{THIS_YEAR + 1}-01-01"), "inquiry_date", "future", id="inquiry-in-the-future"),
    pytest.param(_set("host_mission", "ZZ"), "host_mission", "ZZ", id="unknown-mission"),
    pytest.param(
        _set("counsellor", "no.such.user"), "counsellor", "caseworker of this mission", id="unknown-counsellor"
    ),
    # Refused only while saving, after the case and the first members were written:
    pytest.param(
        _set("members.2.vulnerabilities", ["bad_luck"]),
        "members.2.vulnerabilities",
        "bad_luck",
        id="unknown-vulnerability",
    ),
    pytest.param(_duplicate_document, "members.0.documents.1.number", "already recorded", id="duplicate-document"),
    pytest.param(
        _set("members.2.documents", [{"kind": "passport", "number": "C1", "issuing_country": "QQ"}]),
        "members.2.documents.0.issuing_country",
        "valid choice",
        id="document-from-unknown-country",
    ),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_REGISTRATIONS)
def test_a_bad_registration_gets_400_with_the_field_marked_and_saves_nothing(
    counsellor_api: ApiClient, case_gr: Case, change: Callable[[dict[str, Any]], None], field: str, message: str
) -> None:
    payload = family_payload()
    change(payload)
    before = counts()
    body = assert_error(counsellor_api.post("/cases", payload), 400)
    assert field in body["fields"], body["fields"]
    assert message.lower() in " ".join(body["fields"][field]).lower(), body["fields"][field]
    assert counts() == before


def test_every_member_with_an_impossible_birth_date_is_reported_at_once(counsellor_api: ApiClient) -> None:
    payload = family_payload()
    payload["members"][1]["birth_date"] = {"year": 1988, "month": 13}
    payload["members"][2]["birth_date"] = {"year": 2019, "month": 2, "day": 30}
    body = assert_error(counsellor_api.post("/cases", payload), 400)
    assert set(body["fields"]) == {"members.1.birth_date", "members.2.birth_date"}
    assert Case.objects.count() == 0


def test_every_member_with_a_bad_detail_is_reported_at_once(counsellor_api: ApiClient) -> None:
    payload = family_payload()
    payload["members"][0]["phone"] = "12"
    payload["members"][1]["given_names"] = ""
    payload["members"][2]["relationship"] = "cousin"
    body = assert_error(counsellor_api.post("/cases", payload), 400)
    assert set(body["fields"]) == {"members.0.phone", "members.1.given_names", "members.2.relationship"}
    assert Case.objects.count() == 0


def test_a_failed_registration_does_not_use_up_a_reference(counsellor_api: ApiClient) -> None:
    bad = family_payload()
    bad["members"][2]["vulnerabilities"] = ["bad_luck"]
    assert counsellor_api.post("/cases", bad).status_code == 400
    assert counsellor_api.post("/cases", family_payload()).json()["reference"].endswith("-000001")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param(lambda p: p.pop("members"), "members", id="members-missing"),
        pytest.param(lambda p: p.pop("referral_source"), "referral_source", id="referral-source-missing"),
        pytest.param(_set("members.0.sex", "Q"), "members.0.sex", id="unknown-sex"),
        pytest.param(
            _set("members.1.birth_date", {"year": "nineteen"}), "members.1.birth_date.year", id="year-not-a-number"
        ),
        pytest.param(_set("inquiry_date", "yesterday"), "inquiry_date", id="date-not-a-date"),
        pytest.param(_set("status", "closed"), "status", id="unknown-status"),
        pytest.param(
            lambda p: p["members"][1].pop("relationship"), "members.1.relationship", id="relationship-missing"
        ),
    ],
)
def test_a_malformed_registration_gets_422_with_the_field_marked_and_saves_nothing(
    counsellor_api: ApiClient, change: Callable[[dict[str, Any]], Any], field: str
) -> None:
    payload = family_payload()
    change(payload)
    before = counts()
    body = assert_error(counsellor_api.post("/cases", payload), 422)
    assert field in body["fields"], body["fields"]
    assert counts() == before


def test_a_session_post_without_a_csrf_token_is_refused(counsellor_gr: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(counsellor_gr)
    response = client.post("/api/v1/cases", json.dumps(family_payload()), content_type="application/json")
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_a_session_post_with_a_csrf_token_registers(counsellor_gr: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(counsellor_gr)
    client.get("/cases/")  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/cases", json.dumps(family_payload()), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.content
    assert Case.objects.count() == 1


def _post_not_json(counsellor_gr: User, token: str) -> Any:
    return Client().post(
        "/api/v1/cases", "{not json", content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


def _post_without_csrf(counsellor_gr: User, token: str) -> Any:
    client = Client(enforce_csrf_checks=True)
    client.force_login(counsellor_gr)
    return client.post("/api/v1/cases", json.dumps(family_payload()), content_type="application/json")


@pytest.mark.parametrize("send", [_post_not_json, _post_without_csrf], ids=["body-not-json", "csrf-check-failed"])
def test_errors_raised_by_ninja_itself_come_in_the_one_shape(
    counsellor_gr: User, token_for: Callable[[User], str], send: Callable[[User, str], Any]
) -> None:
    response = send(counsellor_gr, token_for(counsellor_gr))
    assert response.status_code in (400, 403)
    assert set(response.json()) == {"message", "fields"}
    assert Case.objects.count() == 0


# --- scoping ---------------------------------------------------------------------------------------------------------


def test_counsellor_of_gr_cannot_read_case_of_ro(counsellor_api: ApiClient, case_ro: Case) -> None:
    body = assert_error(counsellor_api.get(f"/cases/{case_ro.pk}"), 404)
    assert "Popal" not in str(body)


def test_a_case_that_does_not_exist_and_a_case_of_another_mission_look_the_same(
    counsellor_api: ApiClient, case_ro: Case
) -> None:
    hidden = counsellor_api.get(f"/cases/{case_ro.pk}")
    missing = counsellor_api.get(f"/cases/{case_ro.pk + 1000}")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_counsellor_of_gr_does_not_see_cases_of_ro_in_the_list(
    counsellor_api: ApiClient, case_gr: Case, case_ro: Case
) -> None:
    body = counsellor_api.get("/cases").json()
    assert [r["reference"] for r in body["results"]] == [case_gr.reference]
    assert body["count"] == 1


def test_counsellor_of_gr_does_not_find_cases_of_ro_by_name_or_reference(
    counsellor_api: ApiClient, case_gr: Case, case_ro: Case
) -> None:
    assert references(counsellor_api.get("/cases", {"q": "Popal"})) == []
    assert references(counsellor_api.get("/cases", {"q": case_ro.reference})) == []
    assert references(counsellor_api.get("/cases", {"q": "Imran"})) == [
        case_gr.reference
    ]  # Imran Khan, not Imran Popal
    assert references(counsellor_api.get("/cases", {"mission": "RO"})) == []


def test_counsellor_of_gr_gets_404_when_changing_a_case_of_ro(counsellor_api: ApiClient, case_ro: Case) -> None:
    assert_error(counsellor_api.patch(f"/cases/{case_ro.pk}", {"destination_place": "Kabul"}), 404)
    case_ro.refresh_from_db()
    assert case_ro.destination_place == "Lahore"


def test_counsellor_of_gr_gets_404_when_adding_a_member_to_a_case_of_ro(
    counsellor_api: ApiClient, case_ro: Case
) -> None:
    before = counts()
    member = {"relationship": "sibling", "given_names": "Omar", "family_name": "Popal", "birth_date": {"year": 1990}}
    assert_error(counsellor_api.post(f"/cases/{case_ro.pk}/members", member), 404)
    assert counts() == before


def test_counsellor_of_gr_gets_404_when_moving_a_case_of_ro_along(counsellor_api: ApiClient, case_ro: Case) -> None:
    assert_error(counsellor_api.post(f"/cases/{case_ro.pk}/transitions", {"to": "registered"}), 404)
    case_ro.refresh_from_db()
    assert case_ro.status == "inquiry"


def test_counsellor_of_gr_gets_404_on_the_members_documents_and_history_of_a_case_of_ro(
    counsellor_api: ApiClient, case_ro: Case
) -> None:
    spouse = case_ro.members.get(relationship="spouse")
    principal = case_ro.members.get(relationship="principal")
    document = principal.person.documents.get()
    before = counts()
    person_update = {"relationship": "spouse", "given_names": "Changed"}
    new_document = {"kind": "national_id", "number": "X1", "issuing_country": "AF"}
    assert_error(counsellor_api.patch(f"/cases/{case_ro.pk}/members/{spouse.pk}", person_update), 404)
    assert_error(counsellor_api.delete(f"/cases/{case_ro.pk}/members/{spouse.pk}"), 404)
    assert_error(counsellor_api.post(f"/cases/{case_ro.pk}/members/{principal.pk}/documents", new_document), 404)
    assert_error(counsellor_api.delete(f"/cases/{case_ro.pk}/members/{principal.pk}/documents/{document.pk}"), 404)
    assert_error(counsellor_api.get(f"/cases/{case_ro.pk}/history"), 404)
    assert counts() == before
    assert Person.objects.get(pk=spouse.person_id).given_names == "Ayesha"


def test_a_member_of_a_case_of_ro_cannot_be_reached_through_a_case_of_gr(
    counsellor_api: ApiClient, case_gr: Case, case_ro: Case
) -> None:
    ro_spouse = case_ro.members.get(relationship="spouse")
    assert_error(counsellor_api.delete(f"/cases/{case_gr.pk}/members/{ro_spouse.pk}"), 404)
    assert CaseMember.objects.filter(pk=ro_spouse.pk).exists()


def test_counsellor_of_gr_cannot_register_into_ro(counsellor_api: ApiClient, ro: Mission) -> None:
    before = counts()
    assert_error(counsellor_api.post("/cases", family_payload(host_mission="RO")), 403)
    assert counts() == before


def test_an_origin_mission_does_not_register_cases(api_as: ApiAs, pk: Mission) -> None:
    counsellor_pk = UserFactory(username="counsellor.pk", roles=[(pk, "counsellor")])
    body = assert_error(api_as(counsellor_pk).post("/cases", family_payload(host_mission="PK")), 400)
    assert "not a host mission" in body["message"]
    assert Case.objects.count() == 0


def test_programme_viewer_sees_no_cases(api_as: ApiAs, viewer: User, case_gr: Case) -> None:
    api = api_as(viewer)
    body = api.get("/cases").json()
    assert (body["count"], body["results"]) == (0, [])
    assert references(api.get("/cases", {"q": "Khan"})) == []


def test_programme_viewer_gets_404_on_a_case_of_its_own_mission(api_as: ApiAs, viewer: User, case_gr: Case) -> None:
    api = api_as(viewer)
    assert_error(api.get(f"/cases/{case_gr.pk}"), 404)
    assert_error(api.get(f"/cases/{case_gr.pk}/history"), 404)


def test_programme_viewer_cannot_register(api_as: ApiAs, viewer: User) -> None:
    assert_error(api_as(viewer).post("/cases", family_payload()), 403)
    assert Case.objects.count() == 0


def test_finance_officer_of_gr_reads_a_case_of_gr(api_as: ApiAs, finance_gr: User, case_gr: Case) -> None:
    response = api_as(finance_gr).get(f"/cases/{case_gr.pk}")
    assert response.status_code == 200
    assert response.json()["reference"] == case_gr.reference
    assert len(response.json()["members"]) == 3


def test_finance_officer_of_gr_gets_403_when_changing_a_case_of_gr(
    api_as: ApiAs, finance_gr: User, case_gr: Case
) -> None:
    api = api_as(finance_gr)
    spouse = case_gr.members.get(relationship="spouse")
    before = counts()
    assert_error(api.patch(f"/cases/{case_gr.pk}", {"destination_place": "Karachi"}), 403)
    assert_error(api.post(f"/cases/{case_gr.pk}/transitions", {"to": "registered"}), 403)
    assert_error(api.delete(f"/cases/{case_gr.pk}/members/{spouse.pk}"), 403)
    member = {"relationship": "sibling", "given_names": "Omar", "family_name": "Khan", "birth_date": {"year": 1990}}
    assert_error(api.post(f"/cases/{case_gr.pk}/members", member), 403)
    assert_error(api.post("/cases", family_payload()), 403)
    case_gr.refresh_from_db()
    assert (case_gr.destination_place, case_gr.status) == ("Lahore", "inquiry")
    assert counts() == before


def test_reintegration_officer_of_pk_sees_a_case_of_gr_only_once_referred(
    api_as: ApiAs, reintegration_pk: User, supervisor_gr: User, case_gr: Case, pk: Mission
) -> None:
    api = api_as(reintegration_pk)
    assert references(api.get("/cases")) == []
    assert_error(api.get(f"/cases/{case_gr.pk}"), 404)

    referral = journey.refer(case_gr, supervisor_gr, pk)
    assert references(api.get("/cases")) == []  # sent, not accepted: only the package is shown
    assert [r["reference"] for r in api.get("/referrals").json()] == [case_gr.reference]
    assert api.post(f"/referrals/{referral.pk}/accept").status_code == 200

    assert references(api.get("/cases")) == [case_gr.reference]
    assert references(api.get("/cases", {"mission": "PK"})) == [case_gr.reference]
    detail = api.get(f"/cases/{case_gr.pk}")
    assert detail.status_code == 200
    assert detail.json()["referred_to_mission"] == "PK"


def test_reintegration_officer_of_pk_cannot_change_a_referred_case(
    api_as: ApiAs, reintegration_pk: User, supervisor_gr: User, case_gr: Case, pk: Mission
) -> None:
    journey.referred(case_gr, supervisor_gr, pk)
    api = api_as(reintegration_pk)
    assert_error(api.patch(f"/cases/{case_gr.pk}", {"destination_place": "Karachi"}), 403)
    assert_error(api.post(f"/cases/{case_gr.pk}/transitions", {"to": "travel_preparation"}), 403)
    member = {"relationship": "sibling", "given_names": "Omar", "family_name": "Khan", "birth_date": {"year": 1990}}
    assert_error(api.post(f"/cases/{case_gr.pk}/members", member), 403)
    case_gr.refresh_from_db()
    assert (case_gr.destination_place, case_gr.status, case_gr.members.count()) == ("Lahore", "return_declared", 3)


# --- sensitive vulnerabilities ---------------------------------------------------------------------------------------


@pytest.fixture
def vulnerable_case(counsellor_api: ApiClient) -> dict[str, Any]:
    payload = family_payload()
    payload["members"][1]["vulnerabilities"] = ["trafficking", "health_needs"]
    response = counsellor_api.post("/cases", payload)
    assert response.status_code == 201, response.content
    return response.json()


def test_the_counsellor_sees_every_vulnerability(counsellor_api: ApiClient, vulnerable_case: dict[str, Any]) -> None:
    body = counsellor_api.get(f"/cases/{vulnerable_case['id']}").json()
    spouse = member_named(body, "Ayesha")
    assert vulnerability_codes(spouse) == {"trafficking", "health_needs"}
    by_code = {v["code"]: v for v in spouse["person"]["vulnerabilities"]}
    assert by_code["trafficking"] == {
        "code": "trafficking",
        "name": "victim of trafficking",
        "sensitivity": "protection",
        "derived": False,
    }
    assert by_code["health_needs"]["sensitivity"] == "medical"


def test_the_finance_officer_sees_neither_trafficking_nor_health_needs(
    api_as: ApiAs, finance_gr: User, vulnerable_case: dict[str, Any]
) -> None:
    response = api_as(finance_gr).get(f"/cases/{vulnerable_case['id']}")
    assert response.status_code == 200
    assert vulnerability_codes(member_named(response.json(), "Ayesha")) == set()
    assert "trafficking" not in response.content.decode()


def test_the_movement_officer_sees_health_needs_but_not_trafficking(
    api_as: ApiAs, movement_gr: User, vulnerable_case: dict[str, Any]
) -> None:
    response = api_as(movement_gr).get(f"/cases/{vulnerable_case['id']}")
    assert response.status_code == 200
    assert vulnerability_codes(member_named(response.json(), "Ayesha")) == {"health_needs"}
    assert "trafficking" not in response.content.decode()


def test_a_minor_is_marked_child_as_a_derived_vulnerability(
    api_as: ApiAs, finance_gr: User, counsellor_api: ApiClient, vulnerable_case: dict[str, Any]
) -> None:
    for api in (counsellor_api, api_as(finance_gr)):
        body = api.get(f"/cases/{vulnerable_case['id']}").json()
        child = member_named(body, "Sana")
        assert {"code": "child", "name": "child (under 18)", "sensitivity": "general", "derived": True} in child[
            "person"
        ]["vulnerabilities"]
        assert "child" not in vulnerability_codes(member_named(body, "Imran"))
        assert "child" not in vulnerability_codes(member_named(body, "Ayesha"))


def test_a_derived_vulnerability_cannot_be_typed(counsellor_api: ApiClient) -> None:
    payload = family_payload()
    payload["members"][0]["vulnerabilities"] = ["child"]
    body = assert_error(counsellor_api.post("/cases", payload), 400)
    assert "members.0.vulnerabilities" in body["fields"]


def test_the_history_hides_from_the_finance_officer_what_it_may_not_see(
    api_as: ApiAs, finance_gr: User, movement_gr: User, counsellor_api: ApiClient, vulnerable_case: dict[str, Any]
) -> None:
    def vulnerability_entries(api: ApiClient) -> set[str]:
        response = api.get(f"/cases/{vulnerable_case['id']}/history")
        assert response.status_code == 200
        return {e["object_repr"] for e in response.json() if e["object_type"] == "personvulnerability"}

    assert vulnerability_entries(counsellor_api) == {"victim of trafficking", "health needs"}
    assert vulnerability_entries(api_as(movement_gr)) == {"health needs"}
    assert vulnerability_entries(api_as(finance_gr)) == set()
    assert "trafficking" not in api_as(finance_gr).get(f"/cases/{vulnerable_case['id']}/history").content.decode()


# --- changing a case -------------------------------------------------------------------------------------------------


def test_patching_a_case_changes_only_the_fields_given(counsellor_api: ApiClient, case_gr: Case) -> None:
    response = counsellor_api.patch(f"/cases/{case_gr.pk}", {"destination_place": "Karachi"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["destination_place"] == "Karachi"
    assert (body["destination_country"], body["referral_source"], body["counsellor"]) == ("PK", "ngo", "counsellor.gr")
    case_gr.refresh_from_db()
    assert case_gr.destination_place == "Karachi"


def test_the_history_shows_who_changed_what_from_what_to_what(counsellor_api: ApiClient, case_gr: Case) -> None:
    assert counsellor_api.patch(f"/cases/{case_gr.pk}", {"destination_place": "Karachi"}).status_code == 200
    history = counsellor_api.get(f"/cases/{case_gr.pk}/history")
    assert history.status_code == 200
    updates = [e for e in history.json() if e["action"] == "update" and e["object_type"] == "case"]
    assert len(updates) == 1
    [entry] = updates
    assert entry["actor"] == "counsellor.gr"
    assert entry["object_id"] == str(case_gr.pk)
    assert entry["changes"] == {"destination_place": ["Lahore", "Karachi"]}


def test_the_history_starts_with_the_registration(counsellor_api: ApiClient, case_gr: Case) -> None:
    entries = counsellor_api.get(f"/cases/{case_gr.pk}/history").json()
    creations = {(e["object_type"], e["actor"]) for e in entries if e["action"] == "create"}
    assert {("case", "counsellor.gr"), ("person", "counsellor.gr"), ("casemember", "counsellor.gr")} <= creations


def test_a_bad_patch_gets_400_and_changes_nothing(counsellor_api: ApiClient, case_gr: Case) -> None:
    body = assert_error(
        counsellor_api.patch(f"/cases/{case_gr.pk}", {"destination_country": "XX", "destination_place": "Nowhere"}), 400
    )
    assert "destination_country" in body["fields"]
    case_gr.refresh_from_db()
    assert (case_gr.destination_country.code, case_gr.destination_place) == ("PK", "Lahore")


def test_a_counsellor_cannot_assign_a_case_to_a_colleague(
    counsellor_api: ApiClient, case_gr: Case, gr: Mission
) -> None:
    UserFactory(username="colleague.gr", roles=[(gr, "counsellor")])
    body = assert_error(counsellor_api.patch(f"/cases/{case_gr.pk}", {"counsellor": "colleague.gr"}), 400)
    assert "counsellor" in body["fields"]
    case_gr.refresh_from_db()
    assert case_gr.counsellor.username == "counsellor.gr"


def test_a_supervisor_assigns_a_case_to_a_colleague(
    api_as: ApiAs, supervisor_gr: User, case_gr: Case, gr: Mission
) -> None:
    UserFactory(username="colleague.gr", roles=[(gr, "counsellor")])
    response = api_as(supervisor_gr).patch(f"/cases/{case_gr.pk}", {"counsellor": "colleague.gr"})
    assert response.status_code == 200, response.content
    assert response.json()["counsellor"] == "colleague.gr"


@pytest.mark.parametrize("field", ["destination_place", "destination_country", "notes"])
def test_patching_a_case_with_null_is_refused_or_ignored_not_a_crash(
    api_as: ApiAs, counsellor_gr: User, case_gr: Case, field: str
) -> None:
    api = api_as(counsellor_gr, raise_request_exception=False)
    response = api.patch(f"/cases/{case_gr.pk}", {field: None})
    assert response.status_code in (200, 400, 422)
    assert set(response.json()) >= ({"message", "fields"} if response.status_code != 200 else {"reference"})


def test_an_inquiry_becomes_registered_once(counsellor_api: ApiClient, case_gr: Case) -> None:
    response = counsellor_api.post(f"/cases/{case_gr.pk}/transitions", {"to": "registered"})
    assert response.status_code == 201, response.content
    assert response.json()["to_status"] == "registered"
    assert response.json()["by"] == "counsellor.gr"
    case = counsellor_api.get(f"/cases/{case_gr.pk}").json()
    assert case["status"] == "registered"
    assert case["registered_on"] == timezone.localdate().isoformat()

    again = assert_error(counsellor_api.post(f"/cases/{case_gr.pk}/transitions", {"to": "registered"}), 400)
    assert "registered" in again["message"]
    case_gr.refresh_from_db()
    assert case_gr.status == "registered"


def test_a_transition_to_an_unknown_status_gets_400(counsellor_api: ApiClient, case_gr: Case) -> None:
    assert_error(counsellor_api.post(f"/cases/{case_gr.pk}/transitions", {"to": "closed"}), 400)
    case_gr.refresh_from_db()
    assert case_gr.status == "inquiry"


# --- members ---------------------------------------------------------------------------------------------------------


def test_adding_a_member_returns_201_and_the_case_then_has_it(counsellor_api: ApiClient, case_gr: Case) -> None:
    member = {
        "relationship": "child",
        "given_names": "Bilal",
        "family_name": "Khan",
        "sex": "M",
        "birth_date": {"year": THIS_YEAR - 3},
        "nationality": "PK",
        "documents": [{"kind": "birth_certificate", "number": "bc-77", "issuing_country": "GR"}],
    }
    response = counsellor_api.post(f"/cases/{case_gr.pk}/members", member)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["relationship"] == "child"
    assert body["person"]["given_names"] == "Bilal"
    assert body["person"]["documents"][0]["number"] == "BC-77"
    assert "child" in vulnerability_codes(body)
    case = counsellor_api.get(f"/cases/{case_gr.pk}").json()
    assert case["member_count"] == 4
    assert body["id"] in [m["id"] for m in case["members"]]


def test_adding_a_child_older_than_the_principal_gets_400_on_its_birth_date(
    counsellor_api: ApiClient, case_gr: Case
) -> None:
    before = counts()
    member = {"relationship": "child", "given_names": "Old", "family_name": "Khan", "birth_date": {"year": 1960}}
    body = assert_error(counsellor_api.post(f"/cases/{case_gr.pk}/members", member), 400)
    assert "birth_date" in body["fields"]
    assert counts() == before


def test_adding_a_second_principal_gets_400(counsellor_api: ApiClient, case_gr: Case) -> None:
    member = {"relationship": "principal", "given_names": "Other", "family_name": "Khan", "birth_date": {"year": 1970}}
    assert_error(counsellor_api.post(f"/cases/{case_gr.pk}/members", member), 400)
    assert case_gr.members.count() == 3


def test_adding_a_member_with_an_impossible_birth_date_gets_400(counsellor_api: ApiClient, case_gr: Case) -> None:
    member = {
        "relationship": "sibling",
        "given_names": "Omar",
        "family_name": "Khan",
        "birth_date": {"year": 1990, "month": 2, "day": 31},
    }
    body = assert_error(counsellor_api.post(f"/cases/{case_gr.pk}/members", member), 400)
    assert "birth_date" in body["fields"]
    assert case_gr.members.count() == 3


def test_updating_a_member_changes_its_details(counsellor_api: ApiClient, case_gr: Case) -> None:
    spouse = case_gr.members.get(relationship="spouse")
    update = {
        "relationship": "spouse",
        "given_names": "Aisha",
        "family_name": "Khan",
        "sex": "F",
        "birth_date": {"year": 1988, "month": 7},
        "nationality": "PK",
        "vulnerabilities": ["pregnant"],
    }
    response = counsellor_api.patch(f"/cases/{case_gr.pk}/members/{spouse.pk}", update)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == spouse.pk
    assert body["person"]["given_names"] == "Aisha"
    assert body["person"]["birth_date"]["precision"] == "month"
    assert vulnerability_codes(body) == {"pregnant"}
    assert Person.objects.get(pk=spouse.person_id).given_names == "Aisha"


def test_updating_a_member_can_change_its_relationship(counsellor_api: ApiClient, case_gr: Case) -> None:
    spouse = case_gr.members.get(relationship="spouse")
    update = {"relationship": "sibling", "given_names": "Ayesha", "family_name": "Khan", "birth_date": {"year": 1988}}
    response = counsellor_api.patch(f"/cases/{case_gr.pk}/members/{spouse.pk}", update)
    assert response.status_code == 200, response.content
    assert response.json()["relationship"] == "sibling"


def test_the_principal_cannot_be_demoted_by_an_update(counsellor_api: ApiClient, case_gr: Case) -> None:
    principal = case_gr.members.get(relationship="principal")
    update = {"relationship": "spouse", "given_names": "Imran", "family_name": "Khan"}
    body = assert_error(counsellor_api.patch(f"/cases/{case_gr.pk}/members/{principal.pk}", update), 400)
    assert "relationship" in body["fields"]
    assert CaseMember.objects.get(pk=principal.pk).relationship == "principal"


def test_patching_a_members_given_names_keeps_the_rest_of_its_details(counsellor_api: ApiClient, case_gr: Case) -> None:
    principal = case_gr.members.get(relationship="principal")
    phone_before = principal.person.phone
    assert phone_before
    response = counsellor_api.patch(
        f"/cases/{case_gr.pk}/members/{principal.pk}", {"relationship": "principal", "given_names": "Imraan"}
    )
    assert response.status_code == 200, response.content
    person_after = Person.objects.get(pk=principal.person_id)
    assert person_after.given_names == "Imraan"
    assert person_after.family_name == "Khan"
    assert person_after.birth_date == dt.date(1985, 3, 14)
    assert person_after.phone == phone_before


def test_removing_a_member_returns_204_and_keeps_the_persons_record(counsellor_api: ApiClient, case_gr: Case) -> None:
    child = case_gr.members.get(relationship="child")
    response = counsellor_api.delete(f"/cases/{case_gr.pk}/members/{child.pk}")
    assert response.status_code == 204
    assert response.content == b""
    body = counsellor_api.get(f"/cases/{case_gr.pk}").json()
    assert [m["relationship"] for m in body["members"]] == ["principal", "spouse"]
    assert Person.objects.filter(pk=child.person_id).exists()
    assert_error(counsellor_api.delete(f"/cases/{case_gr.pk}/members/{child.pk}"), 404)


def test_the_principal_cannot_be_removed(counsellor_api: ApiClient, case_gr: Case) -> None:
    principal = case_gr.members.get(relationship="principal")
    body = assert_error(counsellor_api.delete(f"/cases/{case_gr.pk}/members/{principal.pk}"), 400)
    assert "principal" in body["message"]
    assert CaseMember.objects.filter(pk=principal.pk).exists()


# --- documents -------------------------------------------------------------------------------------------------------


def test_adding_and_removing_a_document(counsellor_api: ApiClient, case_gr: Case) -> None:
    spouse = case_gr.members.get(relationship="spouse")
    new = {
        "kind": "passport",
        "number": "cd 998877",
        "issuing_country": "pk",
        "issued_on": "2020-01-01",
        "expires_on": "2020-12-31",
    }
    response = counsellor_api.post(f"/cases/{case_gr.pk}/members/{spouse.pk}/documents", new)
    assert response.status_code == 201, response.content
    document = response.json()
    assert (document["kind"], document["number"], document["issuing_country"]) == ("passport", "CD 998877", "PK")
    assert document["expired"] is True
    spouse_out = member_named(counsellor_api.get(f"/cases/{case_gr.pk}").json(), "Ayesha")
    assert [d["id"] for d in spouse_out["person"]["documents"]] == [document["id"]]

    removed = counsellor_api.delete(f"/cases/{case_gr.pk}/members/{spouse.pk}/documents/{document['id']}")
    assert removed.status_code == 204
    assert not IdentityDocument.objects.filter(pk=document["id"]).exists()
    spouse_out = member_named(counsellor_api.get(f"/cases/{case_gr.pk}").json(), "Ayesha")
    assert spouse_out["person"]["documents"] == []


def test_a_duplicate_document_gets_400(counsellor_api: ApiClient, case_gr: Case) -> None:
    principal = case_gr.members.get(relationship="principal")
    before = counts()
    duplicate = {"kind": "passport", "number": "ab1234567", "issuing_country": "PK"}
    body = assert_error(counsellor_api.post(f"/cases/{case_gr.pk}/members/{principal.pk}/documents", duplicate), 400)
    assert "number" in body["fields"]
    assert counts() == before


def test_a_document_expiring_before_issue_gets_400(counsellor_api: ApiClient, case_gr: Case) -> None:
    spouse = case_gr.members.get(relationship="spouse")
    before = IdentityDocument.objects.count()
    bad = {
        "kind": "passport",
        "number": "Z1",
        "issuing_country": "PK",
        "issued_on": "2024-01-01",
        "expires_on": "2023-01-01",
    }
    body = assert_error(counsellor_api.post(f"/cases/{case_gr.pk}/members/{spouse.pk}/documents", bad), 400)
    assert "expires_on" in body["fields"]
    assert IdentityDocument.objects.count() == before  # the number is encrypted: nothing to filter on


def test_a_document_cannot_be_removed_through_another_member(counsellor_api: ApiClient, case_gr: Case) -> None:
    principal = case_gr.members.get(relationship="principal")
    spouse = case_gr.members.get(relationship="spouse")
    passport = principal.person.documents.get()
    assert_error(counsellor_api.delete(f"/cases/{case_gr.pk}/members/{spouse.pk}/documents/{passport.pk}"), 404)
    assert IdentityDocument.objects.filter(pk=passport.pk).exists()


# --- who may learn what from a refused registration ------------------------------------------------------------------


def test_a_user_who_may_not_register_learns_nothing_about_usernames(
    api_as: ApiAs, viewer: User, counsellor_ro: User
) -> None:
    api = api_as(viewer)
    existing = api.post("/cases", family_payload(counsellor="counsellor.ro"))
    unknown = api.post("/cases", family_payload(counsellor="no.such.user"))
    assert existing.status_code == unknown.status_code == 403
    assert existing.json() == unknown.json()


def test_a_supervisor_learns_no_name_from_a_counsellor_of_another_mission(
    api_as: Callable[..., ApiClient], supervisor_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    response = api_as(supervisor_gr).patch(f"/cases/{case_gr.pk}", {"counsellor": "counsellor.ro"})
    body = assert_error(response, 400)
    assert body["fields"]["counsellor"] == ["Choose a caseworker of this mission."]
    assert counsellor_ro.last_name not in response.content.decode()
