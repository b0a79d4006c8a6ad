"""Segments: local times at each airport made into instants, and flights that must connect."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.travel import services
from homeward.travel.models import Itinerary, Segment
from homeward.travel.selectors import segment_view
from tests.travel.conftest import at

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def itinerary(movement_gr: User, preparing: Case) -> Itinerary:
    return services.itinerary_create(acting_user=movement_gr, case=preparing)


def add(user: User, itinerary: Itinerary, number: str, origin: str, destination: str,
        departs: dt.datetime, arrives: dt.datetime) -> Segment:  # fmt: skip
    return services.segment_add(
        acting_user=user, itinerary=itinerary, carrier="TK", number=number, origin=origin,
        destination=destination, departs_local=departs, arrives_local=arrives,
    )  # fmt: skip


def test_athens_local_time_is_stored_in_utc(movement_gr: User, itinerary: Itinerary) -> None:
    segment = add(movement_gr, itinerary, "TK1846", "ATH", "IST", at(2026, 12, 1, 10), at(2026, 12, 1, 12, 20))
    segment.refresh_from_db()
    assert segment.departs_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert segment.arrives_at == dt.datetime(2026, 12, 1, 9, 20, tzinfo=UTC)
    assert (segment.origin_tz, segment.destination_tz) == ("Europe/Athens", "Europe/Istanbul")


def test_summer_time_in_athens_is_three_hours_ahead(movement_gr: User, itinerary: Itinerary) -> None:
    segment = add(movement_gr, itinerary, "A3990", "ATH", "IST", at(2026, 7, 1, 10), at(2026, 7, 1, 11, 20))
    assert segment.departs_at == dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
    assert str(segment_view(segment).departs) == "2026-07-01 10:00 EEST"


def test_istanbul_to_islamabad_crosses_two_hours_of_zones_and_midnight(movement_gr: User, itinerary: Itinerary) -> None:
    segment = add(movement_gr, itinerary, "TK710", "IST", "ISB", at(2026, 12, 1, 20, 30), at(2026, 12, 2, 4, 0))
    segment.refresh_from_db()
    # 20:30 at UTC+3 and 04:00 next day at UTC+5: five and a half hours in the air.
    assert segment.departs_at == dt.datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    assert segment.arrives_at == dt.datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    view = segment_view(segment)
    assert str(view.departs) == "2026-12-01 20:30 UTC+03"
    assert str(view.arrives) == "2026-12-02 04:00 PKT"
    assert view.days_later == 1
    assert view.duration == "5h30"


def test_a_flight_that_lands_before_it_takes_off_is_refused_even_if_the_clocks_say_otherwise(
    movement_gr: User, itinerary: Itinerary
) -> None:
    # 10:00 in Athens is 11:00 in Istanbul: landing at 10:30 Istanbul time is before take-off.
    with pytest.raises(ServiceError) as refused:
        add(movement_gr, itinerary, "TK1846", "ATH", "IST", at(2026, 12, 1, 10), at(2026, 12, 1, 10, 30))
    assert "arrives before it departs" in refused.value.message
    assert "2026-12-01 10:00 EET" in refused.value.message
    assert "2026-12-01 10:30 UTC+03" in refused.value.message
    assert "arrives_local" in refused.value.fields
    assert not Segment.objects.exists()


def test_arriving_at_the_moment_of_departure_is_refused(movement_gr: User, itinerary: Itinerary) -> None:
    with pytest.raises(ServiceError, match="arrives before it departs"):
        add(movement_gr, itinerary, "OA1", "ATH", "SKG", at(2026, 12, 1, 10), at(2026, 12, 1, 10))


def test_an_unknown_airport_code_is_a_field_error(movement_gr: User, itinerary: Itinerary) -> None:
    with pytest.raises(ServiceError) as refused:
        add(movement_gr, itinerary, "TK1", "XQZ", "IST", at(2026, 12, 1, 10), at(2026, 12, 1, 12))
    assert refused.value.fields["origin"] == ["XQZ is not a known IATA airport code."]


def test_a_time_the_clocks_skip_is_refused(movement_gr: User, itinerary: Itinerary) -> None:
    # Greece moves from 03:00 to 04:00 on 29 March 2026.
    with pytest.raises(ServiceError) as refused:
        add(movement_gr, itinerary, "OA1", "ATH", "IST", at(2026, 3, 29, 3, 30), at(2026, 3, 29, 7))
    assert "does not exist at ATH" in refused.value.fields["departs_local"][0]


def test_a_transit_from_another_airport_does_not_connect(movement_gr: User, itinerary: Itinerary) -> None:
    add(movement_gr, itinerary, "TK1846", "ATH", "IST", at(2026, 12, 1, 10), at(2026, 12, 1, 12, 20))
    with pytest.raises(ServiceError) as refused:
        add(movement_gr, itinerary, "PC100", "SAW", "ISB", at(2026, 12, 1, 20, 30), at(2026, 12, 2, 4))
    message = refused.value.message
    assert "do not connect" in message
    assert "TK1846 lands at IST at 2026-12-01 12:20 UTC+03" in message
    assert "PC100 departs from SAW" in message
    assert "origin" in refused.value.fields


def test_a_connection_shorter_than_45_minutes_is_refused_with_both_times(
    movement_gr: User, itinerary: Itinerary
) -> None:
    add(movement_gr, itinerary, "TK1846", "ATH", "IST", at(2026, 12, 1, 10), at(2026, 12, 1, 12, 20))
    with pytest.raises(ServiceError) as refused:
        add(movement_gr, itinerary, "TK710", "IST", "ISB", at(2026, 12, 1, 12, 50), at(2026, 12, 1, 20))
    message = refused.value.message
    assert "lands at IST at 2026-12-01 12:20 UTC+03" in message
    assert "departs from IST at 2026-12-01 12:50 UTC+03" in message
    assert "45 minutes" in message
    assert "departs_local" in refused.value.fields


def test_exactly_45_minutes_is_enough(movement_gr: User, itinerary: Itinerary) -> None:
    add(movement_gr, itinerary, "TK1846", "ATH", "IST", at(2026, 12, 1, 10), at(2026, 12, 1, 12, 20))
    add(movement_gr, itinerary, "TK710", "IST", "ISB", at(2026, 12, 1, 13, 5), at(2026, 12, 1, 20))
    assert itinerary.segments.count() == 2


def test_an_earlier_flight_added_later_must_connect_to_the_one_after_it(
    movement_gr: User, itinerary: Itinerary
) -> None:
    add(movement_gr, itinerary, "TK710", "IST", "ISB", at(2026, 12, 1, 20, 30), at(2026, 12, 2, 4))
    with pytest.raises(ServiceError) as refused:
        add(movement_gr, itinerary, "A3994", "ATH", "SAW", at(2026, 12, 1, 10), at(2026, 12, 1, 12, 20))
    assert "destination" in refused.value.fields


def test_segments_are_kept_in_time_order_whatever_order_they_are_typed_in(
    movement_gr: User, itinerary: Itinerary
) -> None:
    second = add(movement_gr, itinerary, "TK710", "IST", "ISB", at(2026, 12, 1, 20, 30), at(2026, 12, 2, 4))
    first = add(movement_gr, itinerary, "TK1846", "ATH", "IST", at(2026, 12, 1, 10), at(2026, 12, 1, 12, 20))
    assert list(itinerary.segments.values_list("number", "position")) == [("TK1846", 1), ("TK710", 2)]
    services.segment_remove(acting_user=movement_gr, segment=first)
    second.refresh_from_db()
    assert second.position == 1


def test_a_confirmed_itinerary_keeps_its_segments_until_put_back_to_draft(
    movement_gr: User, confirmed: Itinerary
) -> None:
    with pytest.raises(ServiceError, match="Put it back to draft first"):
        add(movement_gr, confirmed, "PK300", "ISB", "LHE", at(2026, 12, 2, 9), at(2026, 12, 2, 10))
    with pytest.raises(ServiceError, match="Put it back to draft first"):
        services.segment_remove(acting_user=movement_gr, segment=confirmed.segments.first())
    services.itinerary_back_to_draft(acting_user=movement_gr, itinerary=confirmed)
    add(movement_gr, confirmed, "PK300", "ISB", "LHE", at(2026, 12, 2, 9), at(2026, 12, 2, 10))
    assert list(confirmed.segments.values_list("destination", flat=True)) == ["IST", "ISB", "LHE"]
