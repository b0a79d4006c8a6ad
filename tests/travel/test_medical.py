"""Medical facts of a journey (special needs, fitness to travel) reach only roles that see medical facts."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from homeward.accounts.models import User
from homeward.travel import services
from homeward.travel.models import Itinerary
from tests.api.conftest import ApiClient, make_token
from tests.travel.conftest import at, client_for, set_status


def test_a_finance_officer_sees_neither_oxygen_nor_why_a_check_failed(
    movement_gr: User, finance_gr: User, confirmed: Itinerary
) -> None:
    case = confirmed.case
    services.itinerary_back_to_draft(acting_user=movement_gr, itinerary=confirmed)
    services.itinerary_update(acting_user=movement_gr, itinerary=confirmed, special_needs=["oxygen", "special_meal"])
    services.itinerary_confirm(acting_user=movement_gr, itinerary=confirmed)
    set_status(case, "travel_booked")
    with time_machine.travel(at(2026, 11, 30, 9, 0).replace(tzinfo=None), tick=False):
        services.pre_departure_check_record(
            acting_user=movement_gr, itinerary=confirmed, fit_to_travel=False, documents_in_order=True,
            still_willing=True, note="cardiac episode last night",
        )  # fmt: skip
    secret = ("oxygen", "cardiac episode", "not fit to travel")
    for url in (reverse("cases:detail", args=[case.reference]), reverse("travel:case", args=[case.reference])):
        finance_page = client_for(finance_gr).get(url).content.decode()
        movement_page = client_for(movement_gr).get(url).content.decode()
        assert not [s for s in secret if s in finance_page], url
        assert "cardiac episode" in movement_page, url
    api = ApiClient(make_token(finance_gr)).get(f"/cases/{case.pk}/itineraries/{confirmed.pk}").json()
    assert api["checks"][0]["fit_to_travel"] is None
    assert api["checks"][0]["note"] == ""
    assert api["special_needs"] == ["special_meal"]
