"""The embassy of a travel document comes from the directory, and each embassy's turnaround from the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.partners import selectors, services
from homeward.partners.models import Partner
from homeward.travel import services as travel
from homeward.travel.forms import DocumentRequestForm
from homeward.travel.models import TravelDocumentRequest
from tests.partners.conftest import client_for
from tests.partners.helpers import partner

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def preparing(case_gr: Case) -> Case:
    Case.objects.filter(pk=case_gr.pk).update(status=CaseStatus.TRAVEL_PREPARATION)
    case_gr.refresh_from_db()
    return case_gr


def _ask(user: User, case: Case, embassy: Partner, relationship: str = "child") -> TravelDocumentRequest:
    member = case.members.select_related("person").get(relationship=relationship)
    return travel.travel_document_request(
        acting_user=user, case=case, member=member, kind="laissez_passer", embassy=embassy, requested_on=D(2026, 11, 2)
    )


def _history(embassy: Partner, case: Case, user: User, rows: list[tuple[str, dt.date, dt.date | None]]) -> None:
    """Past requests to ``embassy``: (status, requested on, issued on)."""
    member = case.members.first()
    for status, requested_on, issued_on in rows:
        TravelDocumentRequest.objects.create(
            case=case, member=member, kind="passport", embassy=embassy, authority=embassy.name, status=status,
            requested_on=requested_on, issued_on=issued_on, created_by=user,
        )  # fmt: skip


# ---------------------------------------------------------------- choosing the embassy


def test_the_embassy_asked_is_recorded_with_its_name(movement_gr: User, preparing: Case, embassy_pk: Partner) -> None:
    document = _ask(movement_gr, preparing, embassy_pk)
    assert (document.embassy, document.authority) == (embassy_pk, "Embassy of Pakistan, Athens")
    services.partner_update(acting_user=movement_gr, partner=embassy_pk, data=services.PartnerInput(
        kind="embassy", name="Embassy of the Islamic Republic of Pakistan", country="PK"))  # fmt: skip
    document.refresh_from_db()
    assert document.authority == "Embassy of Pakistan, Athens"  # the name when it was asked


def test_an_embassy_of_another_mission_is_refused_in_words(
    movement_gr: User, preparing: Case, embassy_pk_ro: Partner
) -> None:
    with pytest.raises(ServiceError) as refused:
        _ask(movement_gr, preparing, embassy_pk_ro)
    assert refused.value.fields["embassy"] == [
        "Embassy of Pakistan, Bucharest is a partner of another mission: choose one of GR."
    ]
    assert not TravelDocumentRequest.objects.exists()


def test_a_partner_that_is_not_an_embassy_or_consulate_is_refused(
    movement_gr: User, preparing: Case, ngo_gr: Partner
) -> None:
    with pytest.raises(ServiceError) as refused:
        _ask(movement_gr, preparing, ngo_gr)
    assert refused.value.fields["embassy"] == [
        "JRS Greece is not an embassy or consulate: travel documents are asked of those."
    ]


def test_a_deactivated_embassy_is_refused(movement_gr: User, preparing: Case, embassy_pk: Partner) -> None:
    services.partner_set_active(acting_user=movement_gr, partner=embassy_pk, active=False)
    with pytest.raises(ServiceError) as refused:
        _ask(movement_gr, preparing, embassy_pk)
    assert refused.value.fields["embassy"] == [
        "Embassy of Pakistan, Athens is no longer active in the partners directory."
    ]


def test_the_form_offers_the_destination_countrys_embassies_first(
    movement_gr: User, preparing: Case, gr: Mission, embassy_pk: Partner, embassy_af: Partner, ngo_gr: Partner,
    embassy_pk_ro: Partner,
) -> None:  # fmt: skip
    consulate = partner(gr, movement_gr, "Consulate of Pakistan, Thessaloniki", kind=Partner.Kind.CONSULATE)
    partner(gr, movement_gr, "Old embassy of Pakistan", active=False)
    form = DocumentRequestForm(prefix="document", members=preparing.members.all(), case=preparing)
    (_value, blank), (first_label, first), (other_label, others) = form.fields["embassy"].choices
    assert (blank, first_label) == ("—", "Pakistan")
    assert [pk for pk, _name in first] == [consulate.pk, embassy_pk.pk]
    assert [label for _pk, label in others] == ["Embassy of Afghanistan, Athens (Afghanistan)"]
    assert other_label == "Other embassies and consulates"
    # The page's form refuses what it did not offer.
    bound = DocumentRequestForm(
        {"document-member": preparing.members.first().pk, "document-kind": "passport",  # type: ignore[union-attr]
         "document-embassy": embassy_pk_ro.pk, "document-requested_on": "2026-11-02"},
        prefix="document", members=preparing.members.all(), case=preparing,
    )  # fmt: skip
    assert not bound.is_valid()
    assert "embassy" in bound.errors


def test_a_request_through_the_page_without_an_embassy_is_refused_at_the_field(
    movement_gr: User, preparing: Case, embassy_pk: Partner
) -> None:
    response = client_for(movement_gr).post(
        reverse("travel:document_request", args=[preparing.reference]),
        {"document-member": preparing.members.first().pk, "document-kind": "passport",  # type: ignore[union-attr]
         "document-requested_on": "2026-11-02"},
    )  # fmt: skip
    assert response.status_code == 200
    assert 'id="id_document-embassy_error"' in response.content.decode()
    assert not TravelDocumentRequest.objects.exists()


def test_an_embassy_asked_for_documents_stays_an_issuer(
    movement_gr: User, preparing: Case, embassy_pk: Partner
) -> None:
    _ask(movement_gr, preparing, embassy_pk)
    with pytest.raises(ServiceError) as refused:
        services.partner_update(acting_user=movement_gr, partner=embassy_pk,
                                data=services.PartnerInput(kind="ngo", name=embassy_pk.name, country="PK"))  # fmt: skip
    assert "kind" in refused.value.fields


# ---------------------------------------------------------------- turnaround


def test_turnaround_on_known_dates(
    movement_gr: User, preparing: Case, embassy_pk: Partner, embassy_af: Partner, ngo_gr: Partner
) -> None:
    _history(embassy_pk, preparing, movement_gr, [
        ("issued", D(2026, 9, 1), D(2026, 9, 6)),     # 5 days
        ("issued", D(2026, 9, 1), D(2026, 9, 10)),    # 9
        ("issued", D(2026, 9, 1), D(2026, 9, 11)),    # 10
        ("issued", D(2026, 9, 1), D(2026, 9, 13)),    # 12
        ("issued", D(2026, 9, 1), D(2026, 9, 21)),    # 20
        ("refused", D(2026, 10, 1), None),
        ("requested", D(2026, 11, 1), None),
        ("requested", D(2026, 11, 2), None),
        ("cancelled", D(2026, 10, 1), None),          # counts nowhere
    ])  # fmt: skip
    _history(embassy_af, preparing, movement_gr, [
        ("issued", D(2026, 10, 1), D(2026, 10, 8)),   # 7
        ("issued", D(2026, 10, 1), D(2026, 10, 9)),   # 8
    ])  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        figures = selectors.turnaround([embassy_pk.pk, embassy_af.pk, ngo_gr.pk])
    assert len(queries) == 1
    assert figures[embassy_pk.pk] == selectors.Turnaround(issued=5, median_days=10, p80_days=13.6, refused=1, pending=2)
    assert figures[embassy_af.pk] == selectors.Turnaround(issued=2, median_days=7.5, p80_days=7.8)
    assert ngo_gr.pk not in figures
    assert figures[embassy_pk.pk].text == "usually 14 days (median of 10)"
    assert figures[embassy_af.pk].text == "usually 8 days (median of 7.5)"


def test_turnaround_is_shown_on_the_partner_page_the_list_and_the_request_form(
    movement_gr: User, counsellor_gr: User, preparing: Case, embassy_pk: Partner
) -> None:
    _history(embassy_pk, preparing, movement_gr, [
        ("issued", D(2026, 9, 1), D(2026, 9, 10)), ("issued", D(2026, 9, 1), D(2026, 9, 13)),
        ("refused", D(2026, 10, 1), None),
    ])  # fmt: skip
    reader = client_for(counsellor_gr)
    page = reader.get(reverse("partners:detail", args=[embassy_pk.pk])).content.decode()
    assert '<dd class="col-sm-8 col-lg-9" id="turnaround-issued">2</dd>' in page
    assert "median 10.5, 8 in 10 within 11.4" in page
    assert '<dd class="col-sm-8 col-lg-9" id="turnaround-refused">1</dd>' in page
    listing = reader.get(reverse("partners:list")).content.decode()
    assert "usually 12 days (median of 10.5) · 2 issued · 1 refused" in listing
    travel_page = client_for(movement_gr).get(reverse("travel:case", args=[preparing.reference])).content.decode()
    assert "Embassy of Pakistan, Athens: usually 12 days (median of 10.5)" in travel_page


def test_the_request_form_says_when_the_directory_has_no_embassy_of_the_country(
    movement_gr: User, preparing: Case, embassy_af: Partner
) -> None:
    form = DocumentRequestForm(prefix="document", members=preparing.members.all(), case=preparing)
    assert "No embassy or consulate of this country in the partners directory yet" in str(
        form.fields["embassy"].help_text
    )


def test_an_issue_date_before_the_request_is_refused(movement_gr: User, preparing: Case, embassy_pk: Partner) -> None:
    document = _ask(movement_gr, preparing, embassy_pk)
    with pytest.raises(ServiceError) as refused:
        travel.travel_document_update(acting_user=movement_gr, request=document, status="issued",
                                      issued_on=D(2026, 11, 1), number="LP1")  # fmt: skip
    assert refused.value.fields["issued_on"] == ["The document was issued before it was requested."]
