"""The provider pages: who gets in, what each role sees, the forms, and the list's queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.assistance import services
from homeward.assistance.models import Provider
from tests.assistance.conftest import VALID_IBAN, client_for, make_provider

pytestmark = pytest.mark.django_db

LIST = reverse("assistance:provider_list")
NEW = reverse("assistance:provider_create")


def detail(provider: Provider) -> str:
    return reverse("assistance:provider_detail", args=[provider.pk])


def edit(provider: Provider) -> str:
    return reverse("assistance:provider_edit", args=[provider.pk])


def vetting(provider: Provider) -> str:
    return reverse("assistance:provider_vetting", args=[provider.pk])


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Multan Sewing Centre",
        "country": "PK",
        "category": "training",
        "contact_person": "Farah Iqbal",
        "phone": "061 4512345",
        "email": "",
        "address": "",
        "active": "on",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- who gets in


def test_a_counsellor_of_gr_has_no_access_to_providers(counsellor_gr: User, provider: Provider) -> None:
    client = client_for(counsellor_gr)
    for url in (LIST, NEW, detail(provider), edit(provider), vetting(provider)):
        assert client.get(url).status_code == 403, url
    assert 'href="/providers/"' not in client.get(reverse("cases:list")).content.decode()


def test_the_menu_shows_providers_to_those_who_see_them(
    reintegration_pk: User, finance_pk: User, administrator: User, me_pk: User
) -> None:
    for user in (reintegration_pk, finance_pk, administrator):
        assert f'href="{LIST}"' in client_for(user).get(reverse("home"), follow=True).content.decode(), user
    assert f'href="{LIST}"' not in client_for(me_pk).get(reverse("home"), follow=True).content.decode()


def test_the_reintegration_officer_of_af_does_not_find_pks_provider(reintegration_af: User, provider: Provider) -> None:
    client = client_for(reintegration_af)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Lahore Tools" not in response.content.decode()
    for url in (detail(provider), edit(provider), vetting(provider)):
        assert client.get(url).status_code == 404, url


def test_an_administrator_sees_every_missions_providers(administrator: User, provider: Provider) -> None:
    client = client_for(administrator)
    assert "Lahore Tools &amp; Co" in client.get(LIST).content.decode()
    assert client.get(detail(provider)).status_code == 200


# ---------------------------------------------------------------- bank details and history


def test_the_finance_officer_of_pk_sees_the_bank_details(finance_pk: User, with_bank: Provider) -> None:
    html = client_for(finance_pk).get(detail(with_bank)).content.decode()
    assert "PK36 SCBL 0000 0011 2345 6702" in html
    assert "SCBLPKKX" in html
    assert "Standard Chartered Pakistan" in html


def test_the_reintegration_officer_sees_the_provider_but_not_its_bank_details(
    reintegration_pk: User, with_bank: Provider
) -> None:
    html = client_for(reintegration_pk).get(detail(with_bank)).content.decode()
    assert "Lahore Tools &amp; Co" in html
    assert "Bank details are shown only to the mission's finance officers and supervisors." in html
    for secret in ("PK36", "6702", "SCBLPKKX", "Standard Chartered"):
        assert secret not in html, secret
    assert "changed (hidden)" in html  # the history says bank details changed, not to what


def test_the_m_and_e_officer_of_pk_sees_neither_providers_nor_bank_details(me_pk: User, with_bank: Provider) -> None:
    client = client_for(me_pk)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(with_bank)).status_code == 403


def test_the_history_shows_the_finance_officer_only_masked_bank_values(finance_pk: User, with_bank: Provider) -> None:
    html = client_for(finance_pk).get(detail(with_bank)).content.decode()
    history = html[html.index('id="history"') :]
    assert "••••6702" in history
    assert VALID_IBAN not in history
    assert "Standard Chartered" not in history


def test_the_vetting_history_lists_each_decision_with_its_note(
    provider: Provider, reintegration_pk: User, supervisor_pk: User
) -> None:
    services.provider_vetting_set(acting_user=reintegration_pk, provider=provider, status="in_progress")
    services.provider_vetting_set(acting_user=supervisor_pk, provider=provider, status="vetted", note="Visited.")
    html = client_for(reintegration_pk).get(detail(provider)).content.decode()
    vetting_part = html[html.index('id="vetting-title"') : html.index('id="history"')]
    assert "not vetted → vetting in progress" in vetting_part
    assert "vetting in progress → vetted" in vetting_part
    assert "Visited." in vetting_part
    assert str(supervisor_pk) in vetting_part


# ---------------------------------------------------------------- the list


def test_the_list_filters_by_country_category_vetting_and_name(
    reintegration_pk: User, supervisor_pk: User, pk: Mission
) -> None:
    tools = make_provider(reintegration_pk, pk, "Lahore Tools")
    clinic = make_provider(reintegration_pk, pk, "Punjab Clinic", category=Provider.Category.HEALTH)
    kabul = make_provider(reintegration_pk, pk, "Kabul Road Transport", country="AF", category="transport", phone="")
    services.provider_vetting_set(acting_user=supervisor_pk, provider=clinic, status="vetted")
    client = client_for(reintegration_pk)

    def names(**params: str) -> set[str]:
        html = client.get(LIST, params).content.decode()
        return {p.name for p in (tools, clinic, kabul) if p.name in html}

    assert names() == {"Lahore Tools", "Punjab Clinic", "Kabul Road Transport"}
    assert names(country="AF") == {"Kabul Road Transport"}
    assert names(category="health") == {"Punjab Clinic"}
    assert names(vetting_status="vetted") == {"Punjab Clinic"}
    assert names(vetting_status="not_vetted") == {"Lahore Tools", "Kabul Road Transport"}
    assert names(q="lahore") == {"Lahore Tools"}


def test_inactive_providers_are_listed_only_when_asked(reintegration_pk: User, provider: Provider) -> None:
    data = services.provider_input_of(provider)
    services.provider_update(
        acting_user=reintegration_pk,
        provider=provider,
        data=services.ProviderInput(**{**data.__dict__, "active": False}),
    )
    client = client_for(reintegration_pk)
    assert "Lahore Tools &amp; Co" not in client.get(LIST).content.decode()
    assert "Lahore Tools &amp; Co" in client.get(LIST, {"inactive": "on"}).content.decode()


def test_the_list_reads_in_the_same_number_of_queries_whatever_its_length(
    reintegration_pk: User, supervisor_pk: User, pk: Mission
) -> None:
    client = client_for(reintegration_pk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    make_provider(reintegration_pk, pk, "First")
    few = queries()
    for i in range(12):
        p = make_provider(reintegration_pk, pk, f"Provider {i}", category=Provider.Category.values[i % 7])
        if i % 2:
            services.provider_vetting_set(acting_user=supervisor_pk, provider=p, status="vetted")
    assert queries() == few


def test_the_htmx_search_returns_only_the_results(reintegration_pk: User, provider: Provider) -> None:
    response = client_for(reintegration_pk).get(
        LIST, {"q": "lahore"}, headers={"HX-Request": "true", "HX-Target": "provider-results"}
    )
    html = response.content.decode()
    assert "Lahore Tools &amp; Co" in html
    assert "<html" not in html


# ---------------------------------------------------------------- the forms


def test_the_reintegration_officer_registers_a_provider_without_bank_fields(
    reintegration_pk: User, pk: Mission
) -> None:
    client = client_for(reintegration_pk)
    page = client.get(NEW).content.decode()
    assert 'name="name"' in page
    assert 'name="account_number"' not in page
    response = client.post(NEW, {**form_data(), "mission": str(pk.pk)})
    provider = Provider.objects.get(name="Multan Sewing Centre")
    assert response.status_code == 302
    assert response["Location"] == detail(provider)
    assert provider.phone == "+92614512345"


def test_the_form_shows_the_services_errors_next_to_the_fields(
    reintegration_pk: User, pk: Mission, provider: Provider
) -> None:
    client = client_for(reintegration_pk)
    response = client.post(NEW, {**form_data(phone="12", email="farah@"), "mission": str(pk.pk)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_phone_error"' in html
    assert "is not a valid phone number" in html
    assert 'id="id_email_error"' in html
    duplicate = client.post(NEW, {**form_data(name="lahore tools & co"), "mission": str(pk.pk)})
    html = duplicate.content.decode()
    assert 'id="id_name_error"' in html
    assert "PK already has a provider called lahore tools &amp; co in Pakistan." in html
    assert Provider.objects.count() == 1


def test_the_reintegration_officer_of_pk_cannot_post_a_provider_for_af(
    reintegration_pk: User, pk: Mission, af: Mission
) -> None:
    response = client_for(reintegration_pk).post(NEW, {**form_data(), "mission": str(af.pk)})
    assert response.status_code == 200  # AF is not among the missions offered
    assert "Select a valid choice" in response.content.decode()
    assert not Provider.objects.exists()


def test_the_finance_officer_edits_only_the_bank_details(finance_pk: User, provider: Provider) -> None:
    client = client_for(finance_pk)
    page = client.get(edit(provider)).content.decode()
    assert 'name="account_number"' in page
    assert 'name="name"' not in page
    assert client.get(NEW).status_code == 403
    bad = client.post(edit(provider), {"account_holder": "Lahore Tools", "account_number": "PK36SCBL0000001123456703"})
    assert "check digits do not match" in bad.content.decode()
    response = client.post(
        edit(provider), {"account_holder": "Lahore Tools", "account_number": VALID_IBAN, "swift_bic": ""}
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.account_number == VALID_IBAN
    assert provider.name == "Lahore Tools & Co"


def test_the_reintegration_officer_edits_the_details_but_never_the_bank_details(
    reintegration_pk: User, with_bank: Provider
) -> None:
    client = client_for(reintegration_pk)
    page = client.get(edit(with_bank)).content.decode()
    assert 'name="account_number"' not in page
    assert VALID_IBAN not in page
    response = client.post(edit(with_bank), form_data(name="Lahore Tools", account_number="0000"))
    assert response.status_code == 302
    with_bank.refresh_from_db()
    assert with_bank.name == "Lahore Tools"
    assert with_bank.account_number == VALID_IBAN


def test_the_vetting_form_offers_decisions_only_to_those_who_may_take_them(
    provider: Provider, reintegration_pk: User, supervisor_pk: User
) -> None:
    registrar_page = client_for(reintegration_pk).get(vetting(provider)).content.decode()
    assert 'value="in_progress"' in registrar_page
    assert 'value="vetted"' not in registrar_page
    assert "You registered this provider" in registrar_page
    refused = client_for(reintegration_pk).post(vetting(provider), {"status": "vetted"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()

    client = client_for(supervisor_pk)
    assert 'value="vetted"' in client.get(vetting(provider)).content.decode()
    missing_note = client.post(vetting(provider), {"status": "rejected", "note": ""})
    assert "Say why the provider is rejected or suspended." in missing_note.content.decode()
    response = client.post(vetting(provider), {"status": "vetted", "note": "Checked."})
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.is_vetted


def test_the_finance_officer_does_not_vet(finance_pk: User, provider: Provider) -> None:
    assert client_for(finance_pk).get(vetting(provider)).status_code == 403
