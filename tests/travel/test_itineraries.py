"""Itineraries: travellers, confirmation, one confirmed at a time, cancellation and reconciliation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.travel import services
from homeward.travel.models import Itinerary
from homeward.work import services as work
from homeward.work.models import Task, TaskKind
from tests.travel.conftest import add_route, at, members_of, set_status, ticket_everyone

pytestmark = pytest.mark.django_db
DUE = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def test_an_itinerary_takes_every_member_unless_told_otherwise(movement_gr: User, preparing: Case) -> None:
    itinerary = services.itinerary_create(
        acting_user=movement_gr, case=preparing, special_needs=["wheelchair"], baggage_allowance=" 2 x 23 kg "
    )
    assert itinerary.status == "draft"
    assert itinerary.travellers.count() == 3
    assert (itinerary.special_needs, itinerary.baggage_allowance) == (["wheelchair"], "2 x 23 kg")


def test_travellers_come_from_the_case(movement_gr: User, preparing: Case, case_ro: Case) -> None:
    with pytest.raises(ServiceError) as refused:
        services.itinerary_create(acting_user=movement_gr, case=preparing, travellers=[members_of(case_ro)["Imran"]])
    assert "travellers" in refused.value.fields
    with pytest.raises(ServiceError, match="at least one traveller"):
        services.itinerary_create(acting_user=movement_gr, case=preparing, travellers=[])


def test_unknown_special_needs_are_refused(movement_gr: User, preparing: Case) -> None:
    with pytest.raises(ServiceError) as refused:
        services.itinerary_create(acting_user=movement_gr, case=preparing, special_needs=["jetpack"])
    assert "special_needs" in refused.value.fields


def test_a_counsellor_does_not_book(counsellor_gr: User, preparing: Case) -> None:
    with pytest.raises(PermissionDenied):
        services.itinerary_create(acting_user=counsellor_gr, case=preparing)


def test_a_supervisor_may_book(supervisor_gr: User, preparing: Case) -> None:
    assert services.itinerary_create(acting_user=supervisor_gr, case=preparing).pk


def test_confirming_needs_a_segment(movement_gr: User, preparing: Case) -> None:
    itinerary = services.itinerary_create(acting_user=movement_gr, case=preparing)
    with pytest.raises(ServiceError, match="at least one segment"):
        services.itinerary_confirm(acting_user=movement_gr, itinerary=itinerary)


def test_confirming_needs_a_ticket_for_every_traveller(movement_gr: User, draft: Itinerary) -> None:
    imran = members_of(draft.case)["Imran"]
    services.ticket_add(
        acting_user=movement_gr, itinerary=draft, member=imran, number="2351", cost="100", currency="EUR"
    )
    with pytest.raises(ServiceError) as refused:
        services.itinerary_confirm(acting_user=movement_gr, itinerary=draft)
    assert refused.value.message == "No ticket for Ayesha Khan, Sana Khan."
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_confirming_closes_the_booking_task(movement_gr: User, draft: Itinerary, gr: Mission) -> None:
    work.task_open(case=draft.case, kind=TaskKind.BOOK_TRAVEL, due_at=DUE, mission=gr, role=Role.MOVEMENT_OFFICER)
    ticket_everyone(movement_gr, draft)
    services.itinerary_confirm(acting_user=movement_gr, itinerary=draft)
    assert draft.status == "confirmed"
    assert Task.objects.get(case=draft.case, kind=TaskKind.BOOK_TRAVEL).status == Task.Status.DONE


def test_a_gap_left_by_a_removed_segment_stops_the_confirmation(movement_gr: User, draft: Itinerary) -> None:
    services.segment_add(acting_user=movement_gr, itinerary=draft, carrier="PK", number="PK300", origin="ISB",
                         destination="LHE", departs_local=at(2026, 12, 2, 9), arrives_local=at(2026, 12, 2, 10))  # fmt: skip
    ticket_everyone(movement_gr, draft)
    services.segment_remove(acting_user=movement_gr, segment=draft.segments.get(number="TK710"))
    with pytest.raises(ServiceError, match="do not connect"):
        services.itinerary_confirm(acting_user=movement_gr, itinerary=draft)


def test_only_one_itinerary_is_confirmed_at_a_time(movement_gr: User, confirmed: Itinerary) -> None:
    other = services.itinerary_create(acting_user=movement_gr, case=confirmed.case, booking_reference="ZZ9")
    add_route(movement_gr, other)
    ticket_everyone(movement_gr, other)
    with pytest.raises(ServiceError, match="XK7P2Q is already confirmed"):
        services.itinerary_confirm(acting_user=movement_gr, itinerary=other)


def test_travellers_change_only_on_a_draft_and_keep_their_tickets(movement_gr: User, draft: Itinerary) -> None:
    people = members_of(draft.case)
    ticket_everyone(movement_gr, draft)
    with pytest.raises(ServiceError, match="Sana Khan still has a ticket"):
        services.itinerary_update(
            acting_user=movement_gr, itinerary=draft, travellers=[people["Imran"], people["Ayesha"]]
        )
    services.itinerary_confirm(acting_user=movement_gr, itinerary=draft)
    with pytest.raises(ServiceError, match="Put it back to draft"):
        services.itinerary_update(acting_user=movement_gr, itinerary=draft, travellers=[people["Imran"]])
    services.itinerary_update(acting_user=movement_gr, itinerary=draft, booking_reference="XK7P2Q",
                              onward_transport="IOM Pakistan car to Lahore")  # fmt: skip
    draft.refresh_from_db()
    assert draft.onward_transport == "IOM Pakistan car to Lahore"


def test_a_booked_case_changes_its_booking_on_the_case(movement_gr: User, confirmed: Itinerary) -> None:
    set_status(confirmed.case, CaseStatus.TRAVEL_BOOKED)
    with pytest.raises(ServiceError, match="Change the booking"):
        services.itinerary_back_to_draft(acting_user=movement_gr, itinerary=confirmed)
    with pytest.raises(ServiceError, match="Change the booking"):
        services.itinerary_cancel(acting_user=movement_gr, itinerary=confirmed)


def test_cancelling_a_bought_journey_flags_it_for_reconciliation(movement_gr: User, confirmed: Itinerary) -> None:
    services.itinerary_cancel(acting_user=movement_gr, itinerary=confirmed)
    assert (confirmed.status, confirmed.needs_reconciliation) == ("cancelled", True)


def test_cancelling_an_empty_draft_leaves_nothing_to_reconcile(movement_gr: User, draft: Itinerary) -> None:
    services.itinerary_cancel(acting_user=movement_gr, itinerary=draft)
    assert (draft.status, draft.needs_reconciliation) == ("cancelled", False)
    with pytest.raises(ServiceError, match="nothing to reconcile"):
        services.itinerary_reconciled(acting_user=movement_gr, itinerary=draft)


def test_reconciling_a_no_show_closes_its_task(movement_gr: User, confirmed: Itinerary, gr: Mission) -> None:
    Itinerary.objects.filter(pk=confirmed.pk).update(status="not_departed", needs_reconciliation=True)
    work.task_open(case=confirmed.case, kind=TaskKind.RECONCILE_NO_SHOW, due_at=DUE, mission=gr,
                   role=Role.MOVEMENT_OFFICER)  # fmt: skip
    services.itinerary_reconciled(acting_user=movement_gr, itinerary=confirmed, note="Tickets refunded, 3 x 380 EUR.")
    confirmed.refresh_from_db()
    assert confirmed.needs_reconciliation is False
    assert confirmed.reconciled_at == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    task = Task.objects.get(case=confirmed.case, kind=TaskKind.RECONCILE_NO_SHOW)
    assert (task.status, task.outcome) == (Task.Status.DONE, "Tickets refunded, 3 x 380 EUR.")
