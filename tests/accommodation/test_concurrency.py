"""Two check-ins for the last bed at the same moment: one is placed, the other told the room is full."""

from __future__ import annotations

import pytest

from homeward.accommodation.models import Facility, Placement
from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from tests.accommodation.conftest import check_in, single
from tests.concurrency import race


@pytest.mark.django_db(transaction=True)
def test_two_people_never_take_the_last_bed_both(
    counsellor_gr: User, supervisor_gr: User, gr: Mission, centre: Facility
) -> None:
    amina = single(counsellor_gr, gr, "Amina", "Yusuf", sex="F")
    fatima = single(supervisor_gr, gr, "Fatima", "Noor", sex="F")

    def place(user: User, case: Case) -> object:
        return check_in(user, Case.objects.get(pk=case.pk), Facility.objects.get(pk=centre.pk), "single_women")

    results = race(lambda: place(counsellor_gr, amina), lambda: place(supervisor_gr, fatima))
    assert sorted(type(r).__name__ for r in results) == ["ServiceError", "list"], results
    assert Placement.objects.filter(room_type="single_women").count() == 1
