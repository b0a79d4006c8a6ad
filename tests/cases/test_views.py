from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from tests.factories import family_of_three, register_case

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _registration(**extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "host_mission": Mission.objects.get(code="GR").pk,
        "status": "registered",
        "inquiry_date": "2026-01-10",
        "destination_country": "PK",
        "referral_source": "ngo",
        "principal-relationship": "principal",
        "principal-given_names": "Zoé",
        "principal-family_name": "Núñez",
        "principal-sex": "F",
        "principal-birth_year": "1990",
        "principal-birth_month": "4",
        "principal-birth_day": "2",
        "member_prefix": ["mabc"],
        "mabc-relationship": "child",
        "mabc-given_names": "Leo",
        "mabc-family_name": "Núñez",
        "mabc-sex": "M",
        "mabc-birth_year": "2018",
        "action": "save",
    }
    data.update(extra)
    return data


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_page_logs_a_user_in(client: Client, counsellor_gr: User) -> None:
    from tests.factories import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "counsellor.gr", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:list")
    assert response.context["user"] == counsellor_gr


def test_case_list_shows_the_missions_cases_with_a_fixed_number_of_queries(counsellor_gr: User, gr: Mission) -> None:
    for name in ("Khan", "Malik", "Butt"):
        register_case(counsellor_gr, gr, family_of_three(name))
    client = _client(counsellor_gr)
    client.get(reverse("cases:list"))  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("cases:list"))
    for name in ("Hussain", "Qureshi", "Karimi"):
        register_case(counsellor_gr, gr, family_of_three(name))
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("cases:list"))
    assert response.status_code == 200
    assert "Imran Khan" in response.content.decode()
    assert len(more) == len(few), "the list page makes a query per case"


def test_the_list_answers_htmx_with_the_results_only(counsellor_gr: User, case_gr: Case) -> None:
    response = _client(counsellor_gr).get(
        reverse("cases:list"), {"q": "imran"}, headers={"HX-Request": "true", "HX-Target": "case-results"}
    )
    body = response.content.decode()
    assert case_gr.reference in body
    assert "<html" not in body


def test_registration_saves_the_family_and_shows_the_case(counsellor_gr: User) -> None:
    response = _client(counsellor_gr).post(reverse("cases:register"), _registration(), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.reference])
    body = response.content.decode()
    assert "Zoé Núñez" in body
    assert "Leo Núñez" in body
    assert "2018" in body
    assert "year only" in body


def test_registration_errors_are_shown_next_to_the_field_and_nothing_is_saved(counsellor_gr: User) -> None:
    response = _client(counsellor_gr).post(reverse("cases:register"), _registration(**{"mabc-birth_year": "1970"}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "A child cannot be older than the principal applicant" in body
    assert 'id="id_mabc-birth_year_error"' in body
    assert 'value="Leo"' in body  # what was typed is kept
    assert Case.objects.count() == 0


def test_an_impossible_date_is_refused_on_the_page(counsellor_gr: User) -> None:
    response = _client(counsellor_gr).post(
        reverse("cases:register"), _registration(**{"principal-birth_month": "2", "principal-birth_day": "31"})
    )
    assert "has no day 31" in response.content.decode()
    assert Case.objects.count() == 0


def test_without_javascript_members_are_added_and_removed_by_the_same_buttons(counsellor_gr: User) -> None:
    client = _client(counsellor_gr)
    added = client.post(reverse("cases:register"), _registration(action="add_member"))
    assert added.content.decode().count('name="member_prefix"') == 2
    removed = client.post(reverse("cases:register"), _registration(action="remove:mabc"))
    assert removed.content.decode().count('name="member_prefix"') == 0
    assert Case.objects.count() == 0


def test_the_member_row_partial_is_one_fieldset(counsellor_gr: User) -> None:
    body = _client(counsellor_gr).get(reverse("cases:member_row")).content.decode()
    assert body.count("<fieldset") == 2  # the member, and its vulnerabilities
    assert "<html" not in body


def test_counsellor_of_gr_cannot_read_or_change_a_case_of_ro_by_page(counsellor_gr: User, case_ro: Case) -> None:
    client = _client(counsellor_gr)
    member = case_ro.members.get(relationship="child")
    assert client.get(reverse("cases:detail", args=[case_ro.reference])).status_code == 404
    assert client.get(reverse("cases:edit", args=[case_ro.reference])).status_code == 404
    assert client.post(reverse("cases:member_remove", args=[case_ro.reference, member.pk])).status_code == 404
    assert client.post(reverse("cases:transition", args=[case_ro.reference]), {"to": "registered"}).status_code == 404
    listing = client.get(reverse("cases:list"), {"q": "Popal"}).content.decode()
    assert case_ro.reference not in listing
    assert case_ro.members.count() == 3


def test_a_finance_officer_reads_but_cannot_edit(finance_gr: User, case_gr: Case) -> None:
    client = _client(finance_gr)
    page = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert "Imran Khan" in page
    assert reverse("cases:edit", args=[case_gr.reference]) not in page
    assert client.get(reverse("cases:edit", args=[case_gr.reference])).status_code == 403
    assert client.get(reverse("cases:register")).status_code == 403


def test_a_programme_viewer_never_sees_a_name(viewer: User, case_gr: Case) -> None:
    client = _client(viewer)
    assert client.get(reverse("cases:list")).status_code == 403
    assert client.get(reverse("cases:detail", args=[case_gr.reference])).status_code == 404


def test_case_page_edits_go_through_and_are_in_the_history(counsellor_gr: User, case_gr: Case) -> None:
    client = _client(counsellor_gr)
    response = client.post(
        reverse("cases:edit", args=[case_gr.reference]),
        {
            "destination_country": "PK",
            "destination_place": "Sialkot",
            "referral_source": "ngo",
            "inquiry_date": "2026-01-10",
            "counsellor": counsellor_gr.pk,
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Sialkot" in body
    assert "Lahore → Sialkot" in body


def test_member_edit_keeps_vulnerabilities_the_editor_cannot_see(
    counsellor_gr: User, gr: Mission, monkeypatch: pytest.MonkeyPatch
) -> None:
    from homeward.accounts.roles import ROLE_SENSITIVITIES, Role, Sensitivity

    case = register_case(counsellor_gr, gr)
    child = case.members.get(relationship="child")
    child.person.vulnerabilities.create(type_id=_type("trafficking"))
    # Policy is data: a caseworker who edits but may not see protection facts.
    monkeypatch.setitem(ROLE_SENSITIVITIES, Role.COUNSELLOR, frozenset({Sensitivity.GENERAL, Sensitivity.MEDICAL}))
    client = _client(counsellor_gr)
    form = client.get(reverse("cases:member_edit", args=[case.reference, child.pk])).content.decode()
    assert "victim of trafficking" not in form
    response = client.post(
        reverse("cases:member_edit", args=[case.reference, child.pk]),
        {"relationship": "child", "given_names": "Sana", "family_name": "Khan", "sex": "F", "birth_year": "2015",
         "birth_month": "6", "vulnerabilities": ["health_needs"]},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(child.person.vulnerabilities.values_list("type__code", flat=True)) == {"trafficking", "health_needs"}


def _type(code: str) -> int:
    from homeward.people.models import VulnerabilityType

    return VulnerabilityType.objects.get(code=code).pk


def test_documents_are_added_and_removed_from_the_case_page(counsellor_gr: User, case_gr: Case) -> None:
    client = _client(counsellor_gr)
    spouse = case_gr.members.get(relationship="spouse")
    url = reverse("cases:document_add", args=[case_gr.reference, spouse.pk])
    bad = client.post(
        url,
        {
            "kind": "passport",
            "number": "P1",
            "issuing_country": "PK",
            "issued_on": "2024-01-01",
            "expires_on": "2023-01-01",
        },
    )
    assert "must come after the issue date" in bad.content.decode()
    client.post(url, {"kind": "passport", "number": "P1", "issuing_country": "PK"})
    document = spouse.person.documents.get()
    client.post(reverse("cases:document_remove", args=[case_gr.reference, spouse.pk, document.pk]))
    assert not spouse.person.documents.exists()


def test_the_start_page_depends_on_the_role(counsellor_gr: User, viewer: User, gr: Mission) -> None:
    from homeward.accounts.models import Membership

    assert _client(counsellor_gr).get("/")["Location"] == reverse("cases:list")
    assert _client(viewer).get("/")["Location"] == reverse("reporting:home")
    Membership.objects.filter(user=viewer).delete()  # no role left: only the profile
    assert _client(viewer).get("/")["Location"] == reverse("accounts:profile")


def test_removing_a_member_that_is_not_on_the_form_is_harmless(counsellor_gr: User) -> None:
    response = _client(counsellor_gr).post(reverse("cases:register"), _registration(action="remove:mzzz"))
    assert response.status_code == 200
    assert response.content.decode().count('name="member_prefix"') == 1


def test_an_unknown_filter_value_does_not_drop_the_other_filters(
    counsellor_gr: User, case_gr: Case, gr: Mission
) -> None:
    register_case(counsellor_gr, gr, family_of_three("Malik"))
    body = (
        _client(counsellor_gr).get(reverse("cases:list"), {"status": "no-such-status", "q": "malik"}).content.decode()
    )
    assert "Imran Malik" in body
    assert "Imran Khan" not in body


def test_the_case_page_makes_the_same_queries_however_long_its_history(
    supervisor_gr: User, counsellor_gr: User, case_gr: Case, gr: Mission
) -> None:
    from homeward.cases import services
    from tests.factories import UserFactory, case_data

    client = _client(supervisor_gr)
    url = reverse("cases:detail", args=[case_gr.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    colleagues = [UserFactory(roles=[(gr, "counsellor")]) for _ in range(3)]
    for colleague in colleagues:  # each change names a counsellor: a foreign key to show by name
        services.case_update(acting_user=supervisor_gr, case=case_gr, data=case_data(counsellor=colleague))
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert f"{colleagues[0]} → {colleagues[1]}" in page
    assert len(after) == len(before)


def test_registration_offers_only_the_vulnerabilities_the_registrar_may_see(
    counsellor_gr: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from homeward.accounts.roles import ROLE_SENSITIVITIES, Role, Sensitivity

    assert "victim of trafficking" in _client(counsellor_gr).get(reverse("cases:register")).content.decode()
    monkeypatch.setitem(ROLE_SENSITIVITIES, Role.COUNSELLOR, frozenset({Sensitivity.GENERAL}))
    client = _client(counsellor_gr)
    for url in (reverse("cases:register"), reverse("cases:member_row")):
        page = client.get(url).content.decode()
        assert "victim of trafficking" not in page
        assert "single parent" in page


def test_a_supervisor_refers_a_case_from_its_page_and_the_origin_mission_accepts_it(
    supervisor_gr: User, counsellor_gr: User, reintegration_pk: User, case_gr: Case, pk: Mission
) -> None:
    from tests import journey

    journey.set_status(case_gr, "return_declared")
    page = _client(counsellor_gr).get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert 'id="refer"' not in page  # a counsellor does not refer
    assert _client(reintegration_pk).get(reverse("cases:detail", args=[case_gr.reference])).status_code == 404
    response = _client(supervisor_gr).post(reverse("cases:refer", args=[case_gr.reference]), {"mission": "PK"})
    assert response.status_code == 302
    receiver = _client(reintegration_pk)
    assert receiver.get(reverse("cases:detail", args=[case_gr.reference])).status_code == 404  # not yet accepted
    inbox = receiver.get(reverse("cases:referrals")).content.decode()
    assert "Imran Khan" in inbox
    assert "AB1234567" not in inbox  # documents do not travel
    referral = case_gr.referrals.get()
    assert receiver.post(reverse("cases:referral_accept", args=[referral.pk])).status_code == 302
    assert receiver.get(reverse("cases:detail", args=[case_gr.reference])).status_code == 200


def test_a_case_is_not_referred_against_the_migrants_refusal_to_share(
    supervisor_gr: User, counsellor_gr: User, case_gr: Case, pk: Mission
) -> None:
    from homeward.core.errors import ServiceError
    from tests import journey

    declaration = journey.declare(case_gr, counsellor_gr)
    declaration.consent_sharing = False
    declaration.save()
    with pytest.raises(ServiceError, match="did not consent to sharing"):
        journey.refer(case_gr, supervisor_gr, pk)
    case_gr.refresh_from_db()
    assert case_gr.referred_to_mission is None


def test_a_long_history_shows_its_latest_entries_and_links_to_the_rest(counsellor_gr: User, case_gr: Case) -> None:
    from homeward.cases import services
    from homeward.cases.views import HISTORY_SHOWN
    from tests.factories import case_data

    for n in range(HISTORY_SHOWN):
        services.case_update(acting_user=counsellor_gr, case=case_gr, data=case_data(notes=f"call {n}",
                             counsellor=counsellor_gr))  # fmt: skip
    url = reverse("cases:detail", args=[case_gr.reference])
    page = _client(counsellor_gr).get(url).content.decode()
    rows = '<td class="text-nowrap">'
    assert "Show the whole history" in page
    assert f"call {HISTORY_SHOWN - 1}" in page
    assert page.count(rows) == HISTORY_SHOWN  # the oldest entries wait behind the link
    whole = _client(counsellor_gr).get(url, {"history": "all"}).content.decode()
    assert whole.count(rows) > HISTORY_SHOWN + 5  # the registration's entries too
    assert "Show the whole history" not in whole
