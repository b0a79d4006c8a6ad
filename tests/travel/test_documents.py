"""Travel documents asked of embassies: who for, what the embassy did, and expiry against the journey."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import workflow
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.partners.models import Partner
from homeward.travel import services
from homeward.travel.models import Itinerary, TravelDocumentRequest
from homeward.work import services as work
from homeward.work.models import Task, TaskKind
from tests.travel.conftest import members_of, set_status

pytestmark = pytest.mark.django_db
NOV = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _embassy(embassy_pk: Partner) -> None:
    """The host mission's embassy of Pakistan, which ``request`` asks unless a test names another."""


def request(user: User, case: Case, member: object, **extra: object) -> TravelDocumentRequest:
    values: dict[str, object] = {
        "kind": "laissez_passer",
        "embassy": Partner.objects.get(mission_id=case.host_mission_id, kind="embassy", country="PK"),
        "requested_on": NOV,
    }
    values.update(extra)
    return services.travel_document_request(acting_user=user, case=case, member=member, **values)  # type: ignore[arg-type]


def test_requesting_a_document_closes_the_travellers_task(movement_gr: User, preparing: Case, gr: Mission) -> None:
    ayesha = members_of(preparing)["Ayesha"]
    for member in preparing.members.all():
        work.task_open(case=preparing, kind=TaskKind.REQUEST_TRAVEL_DOCUMENT, due_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
                       mission=gr, role=Role.MOVEMENT_OFFICER, subject_key=f"member:{member.pk}")  # fmt: skip
    document = request(movement_gr, preparing, ayesha, expected_on=dt.date(2026, 11, 16))
    assert (document.status, document.member, document.created_by) == ("requested", ayesha, movement_gr)
    tasks = Task.objects.filter(case=preparing, kind=TaskKind.REQUEST_TRAVEL_DOCUMENT)
    assert tasks.get(subject_key=f"member:{ayesha.pk}").status == Task.Status.DONE
    assert tasks.filter(status=Task.Status.OPEN).count() == 2


def test_a_member_of_another_case_is_not_in_this_case(movement_gr: User, preparing: Case, case_ro: Case) -> None:
    stranger = members_of(case_ro)["Imran"]
    with pytest.raises(ServiceError) as refused:
        request(movement_gr, preparing, stranger)
    assert refused.value.fields["member"] == ["Imran Popal is not in this case."]


def test_a_counsellor_does_not_request_travel_documents(counsellor_gr: User, preparing: Case) -> None:
    with pytest.raises(PermissionDenied):
        request(counsellor_gr, preparing, members_of(preparing)["Imran"])


def test_a_closed_case_gets_no_travel_arranged(movement_gr: User, case_gr: Case) -> None:
    set_status(case_gr, CaseStatus.WITHDRAWN)
    with pytest.raises(ServiceError, match="withdrawn"):
        request(movement_gr, case_gr, members_of(case_gr)["Imran"])


def test_dates_and_names_are_checked(movement_gr: User, preparing: Case) -> None:
    with pytest.raises(ServiceError) as refused:
        request(movement_gr, preparing, members_of(preparing)["Sana"], embassy=None,
                requested_on=dt.date(2026, 12, 1), expected_on=dt.date(2026, 11, 30), kind="visa")  # fmt: skip
    assert set(refused.value.fields) == {"embassy", "requested_on", "expected_on", "kind"}


def test_the_same_document_is_not_requested_twice_while_pending(movement_gr: User, preparing: Case) -> None:
    sana = members_of(preparing)["Sana"]
    request(movement_gr, preparing, sana)
    with pytest.raises(ServiceError, match="already requested for Sana Khan"):
        request(movement_gr, preparing, sana)


def update(user: User, document: TravelDocumentRequest, **values: object) -> TravelDocumentRequest:
    return services.travel_document_update(acting_user=user, request=document, **values)  # type: ignore[arg-type]


def test_an_issued_document_needs_its_date_and_number(movement_gr: User, preparing: Case) -> None:
    document = request(movement_gr, preparing, members_of(preparing)["Sana"])
    with pytest.raises(ServiceError) as refused:
        update(movement_gr, document, status="issued")
    assert set(refused.value.fields) == {"issued_on", "number"}
    document.refresh_from_db()
    assert document.status == "requested"


def test_a_document_cannot_expire_before_it_was_issued(movement_gr: User, preparing: Case) -> None:
    document = request(movement_gr, preparing, members_of(preparing)["Sana"])
    with pytest.raises(ServiceError) as refused:
        update(movement_gr, document, status="issued", issued_on=dt.date(2026, 11, 10), number="LP123",
               expires_on=dt.date(2026, 11, 10))  # fmt: skip
    assert "expires_on" in refused.value.fields


def test_a_refusal_says_why(movement_gr: User, preparing: Case) -> None:
    document = request(movement_gr, preparing, members_of(preparing)["Sana"])
    with pytest.raises(ServiceError) as refused:
        update(movement_gr, document, status="refused")
    assert "note" in refused.value.fields
    update(movement_gr, document, status="refused", note="Identity not confirmed by NADRA.")
    document.refresh_from_db()
    assert (document.status, document.note) == ("refused", "Identity not confirmed by NADRA.")


def test_a_document_expiring_before_the_journey_ends_is_refused_with_both_dates(
    movement_gr: User, confirmed: Itinerary
) -> None:
    case = confirmed.case
    document = request(movement_gr, case, members_of(case)["Sana"])
    # The journey lands in Islamabad at 04:00 on 2 December, local time: the 1st is too early.
    with pytest.raises(ServiceError) as refused:
        update(movement_gr, document, status="issued", issued_on=dt.date(2026, 11, 18), number="LP123",
               expires_on=dt.date(2026, 12, 1))  # fmt: skip
    assert "expires on 2026-12-01, before the journey ends on 2026-12-02" in refused.value.message
    assert "expires_on" in refused.value.fields
    update(movement_gr, document, status="issued", issued_on=dt.date(2026, 11, 18), number="LP123",
           expires_on=dt.date(2026, 12, 2))  # fmt: skip
    document.refresh_from_db()
    assert document.status == "issued"
    assert members_of(case)["Sana"] not in workflow.travellers_without_document(case)


def test_without_a_confirmed_journey_an_early_expiry_is_for_the_booking_guard_to_catch(
    movement_gr: User, draft: Itinerary
) -> None:
    document = request(movement_gr, draft.case, members_of(draft.case)["Sana"])
    update(movement_gr, document, status="issued", issued_on=dt.date(2026, 11, 18), number="LP123",
           expires_on=dt.date(2026, 11, 25))  # fmt: skip
    assert document.expires_on == dt.date(2026, 11, 25)
