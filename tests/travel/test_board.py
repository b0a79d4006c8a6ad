"""The day board: who leaves today and tomorrow by the departure airport's calendar, and what is missing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import CaseStatus, Relationship
from homeward.cases.services import MemberInput
from homeward.travel import board, services
from homeward.travel.models import Itinerary
from tests.factories import family_of_three, person, register_case
from tests.travel.conftest import book, client_for, members_of, set_status

pytestmark = pytest.mark.django_db


def rows_at(user: User, when: dt.datetime) -> list[board.BoardRow]:
    return board.day_board(user, now=when)


def test_a_flight_leaving_athens_tomorrow_is_on_tomorrows_board(movement_gr: User, confirmed: Itinerary) -> None:
    (row,) = rows_at(movement_gr, dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
    assert row.day == 1
    assert (row.case, row.principal_name, row.traveller_count) == (confirmed.case, "Imran Khan", 3)
    assert str(row.view.first.departs) == "2026-12-01 10:00 EET"  # type: ignore[union-attr]
    assert row.view.route == ["ATH", "IST", "ISB"]


def test_today_is_the_departure_airports_today(movement_gr: User, confirmed: Itinerary) -> None:
    # 22:30 UTC on 30 November is already 00:30 on 1 December in Athens.
    (row,) = rows_at(movement_gr, dt.datetime(2026, 11, 30, 22, 30, tzinfo=dt.UTC))
    assert row.day == 0


def test_flights_further_away_or_gone_are_not_on_the_board(movement_gr: User, confirmed: Itinerary) -> None:
    assert rows_at(movement_gr, dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)) == []
    assert rows_at(movement_gr, dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)) == []


def test_drafts_are_not_on_the_board(movement_gr: User, draft: Itinerary) -> None:
    assert rows_at(movement_gr, dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)) == []


def test_the_board_lists_what_is_still_missing(movement_gr: User, confirmed: Itinerary, gr: Mission) -> None:
    services.assistance_add(acting_user=movement_gr, itinerary=confirmed, kind="departure", airport="ATH", mission=gr,
                            status="confirmed")  # fmt: skip
    (row,) = rows_at(movement_gr, dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
    # Imran has a passport until 2030; his wife and daughter have no travel document yet.
    assert row.missing == [
        "travel document: Ayesha Khan, Sana Khan",
        "pre-embarkation check not done",
        "assistance not confirmed: transit IST",
        "assistance not confirmed: arrival ISB",
    ]
    assert [(leg.kind, leg.airport, leg.arranged) for leg in row.view.legs] == [
        ("departure", "ATH", True), ("transit", "IST", False), ("arrival", "ISB", False)
    ]  # fmt: skip


def test_a_failed_check_and_an_incomplete_safeguarding_checklist_show(
    movement_gr: User, counsellor_gr: User, gr: Mission
) -> None:
    grandfather = MemberInput(Relationship.PARENT, person("Gul", "Khan", year=1940))
    case = register_case(counsellor_gr, gr, [*family_of_three("Khan"), grandfather])
    set_status(case, CaseStatus.TRAVEL_PREPARATION)
    itinerary = book(movement_gr, case)
    with time_machine.travel(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC), tick=False):
        services.pre_departure_check_record(acting_user=movement_gr, itinerary=itinerary, fit_to_travel=False,
                                            documents_in_order=True, still_willing=True, note="Fever")  # fmt: skip
    (row,) = rows_at(movement_gr, dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
    assert "pre-embarkation check failed" in row.missing
    assert "safeguarding: 1 item missing" in row.missing  # the elderly grandfather's travel-assistance needs


def test_another_missions_movement_officer_does_not_see_our_departures(movement_ro: User, confirmed: Itinerary) -> None:
    assert rows_at(movement_ro, dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)) == []


def test_overdue_document_requests_of_the_users_missions(
    movement_gr: User, movement_ro: User, preparing: object, case_ro: object, embassy_pk: object
) -> None:
    people = members_of(preparing)  # type: ignore[arg-type]

    def ask(member: object, expected: dt.date, case: object = preparing) -> object:
        return services.travel_document_request(acting_user=movement_gr, case=case, member=member, kind="laissez_passer",  # type: ignore[arg-type]
                                                embassy=embassy_pk, requested_on=dt.date(2026, 11, 1),
                                                expected_on=expected)  # fmt: skip

    late = ask(people["Sana"], dt.date(2026, 11, 19))
    ask(people["Ayesha"], dt.date(2026, 11, 20))  # due today: not overdue yet
    issued = ask(people["Imran"], dt.date(2026, 11, 10))
    services.travel_document_update(acting_user=movement_gr, request=issued, status="issued",  # type: ignore[arg-type]
                                    issued_on=dt.date(2026, 11, 12), number="LP1")  # fmt: skip
    assert list(board.overdue_document_requests(movement_gr)) == [late]
    assert list(board.overdue_document_requests(movement_ro)) == []


def test_the_board_page_shows_both_days_with_missing_badges(movement_gr: User, confirmed: Itinerary) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC), tick=False):
        response = client_for(movement_gr).get(reverse("travel:board"))
    html = response.content.decode()
    assert response.status_code == 200
    tomorrow = html[html.index('id="tomorrow"') :]
    assert confirmed.case.reference in tomorrow
    assert "pre-embarkation check not done" in tomorrow
    assert "ATH → IST → ISB" in tomorrow
    assert "10:00 EET" in tomorrow


def test_the_board_is_for_those_who_arrange_travel(counsellor_gr: User) -> None:
    assert client_for(counsellor_gr).get(reverse("travel:board")).status_code == 403
