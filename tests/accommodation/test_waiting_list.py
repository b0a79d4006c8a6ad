"""The waiting list: the most vulnerable first, then the longest waiting; the reason only to those who may see it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from homeward.accommodation import selectors, services
from homeward.accommodation.models import Facility, WaitingEntry
from homeward.accounts.models import Mission, User
from homeward.core.errors import ServiceError
from tests.accommodation.conftest import check_in, days_ago, single

pytestmark = pytest.mark.django_db


def wait(user: User, case: object, days: int, room_type: str = "single_men") -> WaitingEntry:
    return services.waiting_add(acting_user=user, case=case, members=list(case.members.all()),  # type: ignore[attr-defined]
                                room_type=room_type, requested_on=days_ago(days))  # fmt: skip


@pytest.fixture
def queue(counsellor_gr: User, gr: Mission) -> dict[str, WaitingEntry]:
    """Five people waiting: two without a vulnerability, an elderly man, a pregnant woman, a trafficking victim."""
    return {
        "first_come": wait(counsellor_gr, single(counsellor_gr, gr, "Ali", "Reza"), 30),
        "later": wait(counsellor_gr, single(counsellor_gr, gr, "Omid", "Karimi"), 10),
        "elderly": wait(counsellor_gr, single(counsellor_gr, gr, "Hassan", "Said", year=1950), 5),
        "pregnant": wait(
            counsellor_gr,
            single(counsellor_gr, gr, "Mariam", "Ahmadi", sex="F", vulnerabilities=["pregnant"]),
            3,
            "single_women",
        ),
        "trafficked": wait(
            counsellor_gr,
            single(counsellor_gr, gr, "Joy", "Okafor", sex="F", vulnerabilities=["trafficking"]),
            1,
            "single_women",
        ),
    }


def test_the_most_vulnerable_come_first_then_the_longest_waiting(
    counsellor_gr: User, gr: Mission, queue: dict[str, WaitingEntry]
) -> None:
    order = [w.entry for w in selectors.waiting_list(counsellor_gr, gr)]
    names = {v.pk: k for k, v in queue.items()}
    assert [names[e.pk] for e in order] == ["trafficked", "pregnant", "elderly", "first_come", "later"]
    reasons = [w.reason for w in selectors.waiting_list(counsellor_gr, gr)]
    assert reasons == ["victim of trafficking", "pregnant woman", "elderly person (65+)", "", ""]


def test_a_finance_officer_sees_the_order_but_not_a_protection_or_medical_reason(
    finance_gr: User, gr: Mission, queue: dict[str, WaitingEntry]
) -> None:
    rows = selectors.waiting_list(finance_gr, gr)
    assert [(w.reason, w.priority.score > 0) for w in rows] == [
        ("", True),
        ("", True),
        ("elderly person (65+)", True),
        ("", False),
        ("", False),
    ]


def test_the_board_says_priority_without_the_reason_to_a_finance_officer(
    finance_gr: User, counsellor_gr: User, gr: Mission, queue: dict[str, WaitingEntry]
) -> None:
    from tests.accommodation.conftest import client_for

    page = client_for(finance_gr).get("/accommodation/").content.decode()
    assert "trafficking" not in page.lower()
    assert "pregnant" not in page.lower()
    assert page.count('<td class="priority">priority</td>') == 2
    assert "victim of trafficking" in client_for(counsellor_gr).get("/accommodation/").content.decode().lower()


def test_placing_someone_from_the_list_marks_the_entry_placed(
    counsellor_gr: User, gr: Mission, centre: Facility, queue: dict[str, WaitingEntry]
) -> None:
    entry = queue["trafficked"]
    check_in(counsellor_gr, entry.case, centre, "single_women")
    entry.refresh_from_db()
    assert (entry.status, entry.closed_on) == (WaitingEntry.Status.PLACED, timezone.localdate())
    assert entry.pk not in [w.entry.pk for w in selectors.waiting_list(counsellor_gr, gr)]


def test_nobody_waits_twice_or_while_staying(
    counsellor_gr: User, gr: Mission, centre: Facility, queue: dict[str, WaitingEntry]
) -> None:
    with pytest.raises(ServiceError, match="already on the waiting list"):
        wait(counsellor_gr, queue["later"].case, 0)
    staying = single(counsellor_gr, gr, "Reza", "Nouri")
    check_in(counsellor_gr, staying, centre, "single_men")
    with pytest.raises(ServiceError, match="already has a bed"):
        wait(counsellor_gr, staying, 0)


def test_a_mother_with_a_toddler_waits_less_than_a_single_man_or_an_elderly_man(
    counsellor_gr: User, gr: Mission, finance_gr: User
) -> None:
    """Nobody typed a vulnerability: the child's age alone (derived from the date of birth) gives priority."""
    from homeward.cases.models import Relationship
    from homeward.cases.services import MemberInput
    from tests.factories import person, register_case

    year = timezone.localdate().year
    mother = register_case(counsellor_gr, gr, [
        MemberInput(Relationship.PRINCIPAL, person("Fatima", "Noori", year=1996, sex="F")),
        MemberInput(Relationship.CHILD, person("Zahra", "Noori", year=year - 2)),
    ], counsellor=counsellor_gr)  # fmt: skip
    entries = {
        "single_man": wait(counsellor_gr, single(counsellor_gr, gr, "Ali", "Reza"), 30),
        "elderly": wait(counsellor_gr, single(counsellor_gr, gr, "Hassan", "Said", year=year - 66), 20),
        "mother": wait(counsellor_gr, mother, 1, "mother_and_child"),
    }
    names = {v.pk: k for k, v in entries.items()}
    rows = selectors.waiting_list(counsellor_gr, gr)
    assert [names[w.entry.pk] for w in rows] == ["mother", "elderly", "single_man"]
    assert rows[0].reason == "child (under 18)"
    # Being a child is a general fact: the finance officer sees why, too.
    assert selectors.waiting_list(finance_gr, gr)[0].reason == "child (under 18)"


def test_a_vulnerability_added_later_weighs_by_its_sensitivity(counsellor_gr: User, gr: Mission) -> None:
    from homeward.accommodation import rules
    from homeward.people.models import VulnerabilityType

    VulnerabilityType.objects.create(code="statelessness", name="stateless person", sensitivity="protection")
    VulnerabilityType.objects.create(code="debt_bondage_risk", name="at risk of debt bondage", sensitivity="general")
    stateless = wait(counsellor_gr, single(counsellor_gr, gr, "Karim", "Aziz", vulnerabilities=["statelessness"]), 1)
    indebted = wait(counsellor_gr, single(counsellor_gr, gr, "Nasir", "Aziz", vulnerabilities=["debt_bondage_risk"]), 2)
    plain = wait(counsellor_gr, single(counsellor_gr, gr, "Ali", "Reza"), 30)
    rows = selectors.waiting_list(counsellor_gr, gr)
    assert [w.entry.pk for w in rows] == [stateless.pk, indebted.pk, plain.pk]
    assert rows[0].priority.score > rules.WEIGHTS["elderly"]  # a protection concern outranks age
    assert rows[0].reason == "stateless person"
    assert (
        rules.weight_of("unknown", "protection")
        > rules.weight_of("unknown", "medical")
        > rules.weight_of("unknown", "general")
        > 0
    )


def test_a_waiting_note_stays_out_of_the_case_history_of_a_finance_officer(
    counsellor_gr: User, finance_gr: User, gr: Mission, centre: Facility
) -> None:
    from tests.accommodation.conftest import client_for

    case = single(counsellor_gr, gr, "Amina", "Yusuf", sex="F")
    services.waiting_add(acting_user=counsellor_gr, case=case, members=list(case.members.all()),
                         room_type="single_women", note="Her former partner lives near the centre.")  # fmt: skip
    page = f"/cases/{case.reference}/?history=all"
    assert "former partner" in client_for(counsellor_gr).get(page).content.decode()
    assert "former partner" not in client_for(finance_gr).get(page).content.decode()
