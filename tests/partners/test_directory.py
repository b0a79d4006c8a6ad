"""The directory: who reads it, who keeps it, what it lists and refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.assistance.models import Provider
from homeward.core.errors import ServiceError
from homeward.partners import selectors, services
from homeward.partners.models import Partner, PartnerContact
from tests.partners.conftest import client_for
from tests.partners.helpers import partner

pytestmark = pytest.mark.django_db


def _input(**overrides: str) -> services.PartnerInput:
    values = {"kind": "ngo", "name": "Caritas Athens", "country": "GR", "city": "Athens", "phone": "210 5203 000"}
    return services.PartnerInput(**{**values, **overrides})


def test_a_counsellor_of_gr_does_not_see_the_partners_of_ro(
    counsellor_gr: User, embassy_pk: Partner, embassy_pk_ro: Partner
) -> None:
    assert list(selectors.partners_for(counsellor_gr)) == [embassy_pk]
    client = client_for(counsellor_gr)
    html = client.get(reverse("partners:list")).content.decode()
    assert "Embassy of Pakistan, Athens" in html
    assert "Bucharest" not in html
    assert client.get(reverse("partners:detail", args=[embassy_pk_ro.pk])).status_code == 404
    assert client.get(reverse("partners:detail", args=[embassy_pk.pk])).status_code == 200


def test_a_counsellor_reads_but_does_not_write(counsellor_gr: User, gr: Mission, embassy_pk: Partner) -> None:
    client = client_for(counsellor_gr)
    page = client.get(reverse("partners:detail", args=[embassy_pk.pk])).content.decode()
    assert "Embassy of Pakistan, Athens" in page
    assert reverse("partners:edit", args=[embassy_pk.pk]) not in page
    assert "Add a partner" not in client.get(reverse("partners:list")).content.decode()
    assert client.get(reverse("partners:create")).status_code == 403
    assert client.post(reverse("partners:deactivate", args=[embassy_pk.pk])).status_code == 403
    assert client.post(reverse("partners:contact_add", args=[embassy_pk.pk]), {"contact-name": "X"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.partner_create(acting_user=counsellor_gr, mission=gr, data=_input())
    embassy_pk.refresh_from_db()
    assert embassy_pk.active


@pytest.mark.parametrize("who", ["supervisor_gr", "movement_gr", "admin_gr"])
def test_supervisors_movement_officers_and_administrators_keep_the_directory(
    who: str, request: pytest.FixtureRequest, gr: Mission
) -> None:
    user = request.getfixturevalue(who)
    response = client_for(user).post(
        reverse("partners:create"),
        {"mission": gr.pk, "kind": "ngo", "name": "Caritas Athens", "country": "GR", "phone": "210 5203 000"},
    )
    caritas = Partner.objects.get(name="Caritas Athens")
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:detail", args=[caritas.pk])
    assert (caritas.mission, caritas.created_by, caritas.phone) == (gr, user, "+302105203000")
    # An administrator reads no case, yet keeps the directory.
    assert client_for(user).get(reverse("partners:list")).status_code == 200


def test_who_reads_no_case_and_keeps_nothing_has_no_directory(viewer: User, embassy_pk: Partner) -> None:
    client = client_for(viewer)
    assert client.get(reverse("partners:list")).status_code == 403
    assert client.get(reverse("partners:detail", args=[embassy_pk.pk])).status_code == 404
    assert reverse("partners:list") not in client.get(reverse("cases:list")).content.decode()


def test_the_menu_has_partners_for_a_reader(counsellor_gr: User) -> None:
    html = client_for(counsellor_gr).get(reverse("cases:list")).content.decode()
    assert f'href="{reverse("partners:list")}">Partners<' in html


def test_bad_input_is_named_at_its_field_and_nothing_is_saved(supervisor_gr: User, gr: Mission) -> None:
    with pytest.raises(ServiceError) as refused:
        services.partner_create(
            acting_user=supervisor_gr, mission=gr,
            data=_input(kind="church", name=" ", country="XX", phone="12", email="nobody", website="nowhere"),
        )  # fmt: skip
    assert set(refused.value.fields) == {"kind", "name", "country", "phone", "email", "website"}
    assert not Partner.objects.exists()


def test_one_partner_of_a_kind_and_name_per_mission(supervisor_gr: User, gr: Mission, ngo_gr: Partner) -> None:
    with pytest.raises(ServiceError) as refused:
        services.partner_create(acting_user=supervisor_gr, mission=gr, data=_input(name="jrs greece"))
    assert refused.value.fields["name"] == ["GR already has jrs greece in its directory (NGO)."]
    response = client_for(supervisor_gr).post(
        reverse("partners:create"), {"mission": gr.pk, "kind": "ngo", "name": "JRS Greece", "country": "GR"}
    )
    assert response.status_code == 400
    assert "GR already has JRS Greece in its directory (NGO)." in response.content.decode()
    assert Partner.objects.count() == 1


def test_the_list_is_grouped_by_kind_and_filtered(
    counsellor_gr: User, embassy_pk: Partner, embassy_af: Partner, ngo_gr: Partner
) -> None:
    client = client_for(counsellor_gr)
    html = client.get(reverse("partners:list")).content.decode()
    assert html.index('id="kind-embassy"') < html.index('id="kind-ngo"')
    assert html.index("Embassy of Afghanistan") < html.index("Embassy of Pakistan") < html.index("JRS Greece")
    html = client.get(reverse("partners:list"), {"country": "PK"}).content.decode()
    assert "Embassy of Pakistan" in html
    assert "Embassy of Afghanistan" not in html
    html = client.get(reverse("partners:list"), {"kind": "ngo"}).content.decode()
    assert ("JRS Greece" in html, "Embassy of Pakistan" in html) == (True, False)
    html = client.get(reverse("partners:list"), {"q": "jrs"}).content.decode()
    assert ("JRS Greece" in html, "Embassy of Pakistan" in html) == (True, False)


def test_the_list_reads_in_a_fixed_number_of_queries(
    counsellor_gr: User, gr: Mission, supervisor_gr: User, django_assert_max_num_queries: object
) -> None:
    client = client_for(counsellor_gr)
    client.get(reverse("partners:list"))  # sessions, menus
    for i in range(12):
        partner(gr, supervisor_gr, f"Embassy {i}", country="PK")
        partner(gr, supervisor_gr, f"NGO {i}", kind=Partner.Kind.NGO, country="GR")
    with django_assert_max_num_queries(7):  # type: ignore[operator]
        response = client.get(reverse("partners:list"))
    assert response.content.decode().count('class="partner-row"') == 24


def test_service_providers_of_the_users_missions_show_read_only(
    reintegration_pk: User, pk: Mission, gr: Mission, counsellor_gr: User
) -> None:
    clinic = Provider.objects.create(name="Shifa Clinic", country="PK", category="health", mission=pk,
                                     created_by=reintegration_pk)  # fmt: skip
    html = client_for(reintegration_pk).get(reverse("partners:list")).content.decode()
    assert 'id="service-providers"' in html
    assert f'href="{reverse("assistance:provider_detail", args=[clinic.pk])}">Shifa Clinic<' in html
    assert not Partner.objects.exists()  # shown, not copied
    assert "Shifa Clinic" not in client_for(counsellor_gr).get(reverse("partners:list")).content.decode()


def test_a_deactivated_partner_leaves_the_list_and_comes_back(movement_gr: User, ngo_gr: Partner) -> None:
    client = client_for(movement_gr)
    assert client.post(reverse("partners:deactivate", args=[ngo_gr.pk])).status_code == 302
    ngo_gr.refresh_from_db()
    assert not ngo_gr.active
    link = f'href="{reverse("partners:detail", args=[ngo_gr.pk])}">JRS Greece<'
    assert link not in client.get(reverse("partners:list")).content.decode()
    assert link in client.get(reverse("partners:list"), {"inactive": "on"}).content.decode()
    assert 'id="partner-inactive"' in client.get(reverse("partners:detail", args=[ngo_gr.pk])).content.decode()
    client.post(reverse("partners:reactivate", args=[ngo_gr.pk]))
    ngo_gr.refresh_from_db()
    assert ngo_gr.active


def test_an_edit_goes_through_the_page(supervisor_gr: User, ngo_gr: Partner) -> None:
    client = client_for(supervisor_gr)
    form = client.get(reverse("partners:edit", args=[ngo_gr.pk]))
    assert 'value="JRS Greece"' in form.content.decode()
    response = client.post(reverse("partners:edit", args=[ngo_gr.pk]), {
        "mission": ngo_gr.mission_id, "kind": "ngo", "name": "JRS Hellas", "country": "GR",
        "address": "Kodrigktonos 15", "role": "Refers migrants and shelters families.",
    })  # fmt: skip
    assert response.status_code == 302
    ngo_gr.refresh_from_db()
    assert (ngo_gr.name, ngo_gr.address) == ("JRS Hellas", "Kodrigktonos 15")


def test_named_contacts_are_added_and_removed(movement_gr: User, embassy_pk: Partner, counsellor_gr: User) -> None:
    client = client_for(movement_gr)
    url = reverse("partners:contact_add", args=[embassy_pk.pk])
    bad = client.post(url, {"contact-name": "Mr Qureshi", "contact-email": "qureshi@"})
    assert bad.status_code == 400
    assert "Enter a valid e-mail address." in bad.content.decode()
    response = client.post(url, {"contact-name": "Mr Qureshi", "contact-title": "Consular officer",
                                 "contact-phone": "210 6729 853", "contact-email": "consular@mofa.gov.pk"})  # fmt: skip
    assert response.status_code == 302
    contact = PartnerContact.objects.get()
    assert (contact.partner, contact.phone) == (embassy_pk, "+302106729853")
    page = client_for(counsellor_gr).get(reverse("partners:detail", args=[embassy_pk.pk])).content.decode()
    assert "Mr Qureshi" in page
    assert "Consular officer" in page
    client.post(reverse("partners:contact_remove", args=[embassy_pk.pk, contact.pk]))
    assert not PartnerContact.objects.exists()
