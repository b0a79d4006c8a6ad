"""The duplicate check while a counsellor types: what it shows, to whom, and what it says of bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homeward.cases.models import Relationship
from homeward.cases.services import MemberInput
from tests.factories import person, register_case

URL = reverse("matching:check")


@pytest.fixture
def earlier(counsellor_gr, gr):
    members = [MemberInput(Relationship.PRINCIPAL, person("Muhammad", "Al-Hassan", year=1990, nationality="IQ",
                                                          sex="M", phone="+306912345678"))]  # fmt: skip
    return register_case(counsellor_gr, gr, members)


def _typed(**fields: str) -> dict[str, str]:
    return {f"principal-{k}": v for k, v in fields.items()} | {"match_prefix": "principal"}


def test_the_counsellor_sees_the_earlier_case_with_reasons(client, counsellor_gr, earlier):
    client.force_login(counsellor_gr)
    page = client.post(URL, _typed(given_names="Mohamad", family_name="Alhasan", birth_year="1990",
                                   nationality="IQ", sex="M")).content.decode()  # fmt: skip
    assert earlier.reference in page
    assert "Muhammad Al-Hassan" in page
    assert "names match after transliteration" in page or "same names after transliteration" in page
    assert "same nationality" in page


def test_a_counsellor_of_another_mission_learns_only_that_a_match_exists_and_whom_to_ask(
    client, counsellor_ro, supervisor_gr, earlier
):
    client.force_login(counsellor_ro)
    page = client.post(URL, _typed(given_names="Mohamad", family_name="Alhasan", birth_year="1990",
                                   nationality="IQ", sex="M", phone="+306912345678")).content.decode()  # fmt: skip
    assert "A likely match in a case of GR" in page
    assert supervisor_gr.get_full_name() in page
    for secret in (earlier.reference, "Al-Hassan", "same phone", "1990"):
        assert secret not in page


def test_someone_else_is_not_proposed(client, counsellor_gr, earlier):
    client.force_login(counsellor_gr)
    page = client.post(URL, _typed(given_names="Hussein", family_name="Karimi", birth_year="1990")).content.decode()
    assert earlier.reference not in page
    assert "No earlier record" in page


@pytest.mark.parametrize(
    ("given", "note"),
    [
        ("", ""),
        ("M", "at least two letters"),
        ("𓀀𓀁𓀂", "no letters we can read"),
    ],
)
def test_names_that_cannot_be_compared_say_so(client, counsellor_gr, earlier, given, note):
    client.force_login(counsellor_gr)
    response = client.post(URL, _typed(given_names=given, birth_year="1990"))
    assert response.status_code == 200
    page = response.content.decode()
    assert earlier.reference not in page
    assert note in page


def test_a_birth_date_in_the_future_is_left_out_with_a_note(client, counsellor_gr, earlier):
    client.force_login(counsellor_gr)
    # Muhammad Al-Hassan alone is too common a name to be sure: the phone makes the match.
    page = client.post(URL, _typed(given_names="Muhammad", family_name="Al-Hassan", birth_year="2990",
                                   nationality="IQ", phone="+306912345678")).content.decode()  # fmt: skip
    assert "in the future" in page
    assert earlier.reference in page
    assert "dates of birth differ" not in page


def test_roles_that_do_not_register_may_not_check(client, viewer, earlier):
    client.force_login(viewer)
    assert client.post(URL, _typed(given_names="Muhammad", family_name="Al-Hassan")).status_code == 403


def test_without_javascript_the_registration_form_shows_the_matches(client, counsellor_gr, earlier):
    client.force_login(counsellor_gr)
    page = client.post(reverse("cases:register"), {
        "action": "check", **_typed(given_names="Mohamad", family_name="Alhasan", birth_year="1990",
                                    nationality="IQ", relationship="principal"),
    }).content.decode()  # fmt: skip
    assert earlier.reference in page
