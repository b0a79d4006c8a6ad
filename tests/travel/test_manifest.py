"""The arrival manifest for a destination country's authorities never shows a confidential return."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus
from homeward.travel import manifest
from homeward.travel.models import Itinerary
from tests import journey
from tests.factories import family_of_three, register_case
from tests.travel.conftest import book, client_for, set_status

pytestmark = pytest.mark.django_db
# The flight lands in Islamabad at 23:00 UTC on 1 December: 04:00 on the 2nd in Pakistan.
LANDING_DAY = dt.date(2026, 12, 2)


@pytest.fixture
def confidential(counsellor_gr: User, movement_gr: User, gr: Mission) -> Case:
    case = register_case(counsellor_gr, gr, family_of_three("Durrani"), confidential_return=True)
    set_status(case, CaseStatus.TRAVEL_PREPARATION)
    book(movement_gr, case)
    return case


def names(rows: list[manifest.ManifestRow]) -> list[str]:
    return [r.name for r in rows]


def test_the_manifest_lists_travellers_landing_that_day_in_local_time(movement_gr: User, confirmed: Itinerary) -> None:
    rows = manifest.arrival_manifest(movement_gr, on=LANDING_DAY, country="pk")
    assert sorted(names(rows)) == ["Ayesha Khan", "Imran Khan", "Sana Khan"]
    imran = next(r for r in rows if r.name == "Imran Khan")
    assert imran.document == "passport AB1234567"
    assert str(imran.segment.arrives) == "2026-12-02 04:00 PKT"
    assert manifest.arrival_manifest(movement_gr, on=dt.date(2026, 12, 1), country="PK") == []
    assert manifest.arrival_manifest(movement_gr, on=LANDING_DAY, country="GR") == []


def test_a_confidential_return_is_never_listed_nor_counted(
    movement_gr: User, confirmed: Itinerary, confidential: Case
) -> None:
    rows = manifest.arrival_manifest(movement_gr, on=LANDING_DAY, country="PK")
    assert "Durrani" not in " ".join(names(rows))
    assert len(rows) == 3
    response = client_for(movement_gr).get(reverse("travel:manifest"), {"date": "2026-12-02", "country": "PK"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 travellers arriving." in html
    assert "Durrani" not in html
    assert confidential.reference not in html
    assert confirmed.case.reference in html


def test_a_confidential_case_alone_leaves_an_empty_manifest(movement_gr: User, confidential: Case) -> None:
    assert manifest.arrival_manifest(movement_gr, on=LANDING_DAY, country="PK") == []


def test_the_receiving_mission_sees_the_manifest_of_cases_referred_to_it(
    supervisor_gr: User, reintegration_pk: User, confirmed: Itinerary, pk: Mission
) -> None:
    assert manifest.arrival_manifest(reintegration_pk, on=LANDING_DAY, country="PK") == []
    journey.referred(confirmed.case, supervisor_gr, pk)
    assert len(manifest.arrival_manifest(reintegration_pk, on=LANDING_DAY, country="PK")) == 3


def test_the_manifest_page_is_not_for_counsellors(counsellor_gr: User) -> None:
    assert client_for(counsellor_gr).get(reverse("travel:manifest")).status_code == 403
