"""Recording and removing checklist items: every rule both ways, and what each role may see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.core.errors import ServiceError
from homeward.safeguarding import selectors, services
from homeward.safeguarding.models import ChecklistItem
from homeward.work.models import Task
from tests import journey
from tests.counselling.uploads import EXE, png, upload
from tests.safeguarding.conftest import give, member

pytestmark = pytest.mark.django_db
S = CaseStatus


def record(
    user: User, case: Case, who: str, vulnerability: str, item: str, *, of: CaseMember | None = None, **overrides: Any
) -> ChecklistItem:
    """Record ``item`` for the member called ``who`` (or the member ``of``)."""
    values: dict[str, Any] = {"done_on": timezone.localdate(), "evidence": "Signed form on file, ref. 42/2026."}
    values.update(overrides)
    return services.item_record(
        acting_user=user, case=case, member=of or member(case, who), vulnerability=vulnerability, item=item, **values
    )


def refused(user: User, case: Case, who: str, vulnerability: str, item: str, **overrides: Any) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        record(user, case, who, vulnerability, item, **overrides)
    return error.value


# ---------------------------------------------------------------- what each role sees


def test_a_counsellor_sees_every_item(counsellor_gr: User, case: Case) -> None:
    state = selectors.checklist_for_user(counsellor_gr, case)
    assert {(r.member.person.given_names, r.item) for r in state.visible} == {
        ("Imran", "fit_to_travel"), ("Imran", "escort_decision"), ("Imran", "continuity_of_care"),
        ("Imran", "safe_return_assessment"), ("Imran", "specialised_referral"),
        ("Ayesha", "travel_assistance_needs"),
    }  # fmt: skip
    assert state.hidden_missing == 0
    assert not state.complete


def test_a_movement_officer_sees_medical_items_and_only_a_count_of_trafficking_ones(
    movement_gr: User, case: Case
) -> None:
    state = selectors.checklist_for_user(movement_gr, case)
    assert {r.item for r in state.visible} == {
        "fit_to_travel", "escort_decision", "continuity_of_care", "travel_assistance_needs"
    }  # fmt: skip
    assert not any(r.vulnerability == "trafficking" for r in state.visible)
    assert state.hidden_missing == 2


def test_a_finance_officer_sees_general_items_only(finance_gr: User, case: Case) -> None:
    state = selectors.checklist_for_user(finance_gr, case)
    assert [r.item for r in state.visible] == ["travel_assistance_needs"]
    assert state.hidden_missing == 5


def test_the_hidden_count_falls_as_hidden_items_are_recorded(
    counsellor_gr: User, movement_gr: User, case: Case
) -> None:
    record(counsellor_gr, case, "Imran", "trafficking", "safe_return_assessment")
    assert selectors.checklist_for_user(movement_gr, case).hidden_missing == 1


# ---------------------------------------------------------------- recording


def test_a_movement_officer_records_a_medical_item(movement_gr: User, case: Case) -> None:
    item = record(movement_gr, case, "Imran", "health_needs", "fit_to_travel")
    assert (item.done_by, item.done_on, item.evidence) == (
        movement_gr,
        timezone.localdate(),
        "Signed form on file, ref. 42/2026.",
    )
    assert item.case == case
    done = {r.item: r.done for r in selectors.checklist(case)}
    assert done["fit_to_travel"] == item


def test_a_movement_officer_cannot_record_a_trafficking_item(movement_gr: User, case: Case) -> None:
    with pytest.raises(PermissionDenied):
        record(movement_gr, case, "Imran", "trafficking", "safe_return_assessment")
    # Refused the same way for a member who is no victim: the refusal tells nothing.
    with pytest.raises(PermissionDenied):
        record(movement_gr, case, "Ayesha", "trafficking", "safe_return_assessment")
    assert not ChecklistItem.objects.exists()


def test_a_counsellor_records_a_trafficking_item(counsellor_gr: User, case: Case) -> None:
    assert record(counsellor_gr, case, "Imran", "trafficking", "specialised_referral").pk


@pytest.mark.parametrize("persona", ["finance_gr", "counsellor_ro", "reintegration_pk"])
def test_other_roles_do_not_record(persona: str, case: Case, request: pytest.FixtureRequest) -> None:
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(persona), case, "Ayesha", "single_parent", "travel_assistance_needs")


def test_the_item_must_be_one_the_members_vulnerability_requires(counsellor_gr: User, case: Case) -> None:
    # An item of another checklist, a vulnerability the member does not have, an unknown item.
    assert "item" in refused(counsellor_gr, case, "Imran", "health_needs", "guardian_consent").fields
    assert "item" in refused(counsellor_gr, case, "Ayesha", "health_needs", "fit_to_travel").fields
    assert "item" in refused(counsellor_gr, case, "Imran", "health_needs", "a_good_feeling").fields


def test_the_member_must_belong_to_the_case(counsellor_gr: User, case: Case, case_ro: Case) -> None:
    stranger = case_ro.members.select_related("person").get(relationship="spouse")
    give(stranger, "single_parent")
    error = refused(counsellor_gr, case, "", "single_parent", "travel_assistance_needs", of=stranger)
    assert error.fields["member"] == ["Choose a member of this case."]


def test_an_item_is_recorded_once(counsellor_gr: User, case: Case) -> None:
    record(counsellor_gr, case, "Imran", "health_needs", "escort_decision")
    assert (
        "already recorded" in refused(counsellor_gr, case, "Imran", "health_needs", "escort_decision").fields["item"][0]
    )


def test_the_same_item_for_two_vulnerabilities_is_two_items(counsellor_gr: User, case: Case) -> None:
    give(member(case, "Imran"), "disability")
    record(counsellor_gr, case, "Imran", "health_needs", "fit_to_travel")
    assert record(counsellor_gr, case, "Imran", "disability", "fit_to_travel").pk


def test_evidence_is_required(counsellor_gr: User, case: Case) -> None:
    error = refused(counsellor_gr, case, "Ayesha", "single_parent", "travel_assistance_needs", evidence="   ")
    assert "evidence" in error.fields


def test_not_done_in_the_future(counsellor_gr: User, case: Case) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    error = refused(counsellor_gr, case, "Ayesha", "single_parent", "travel_assistance_needs", done_on=tomorrow)
    assert error.fields["done_on"] == ["The date cannot be in the future."]


def test_an_evidence_file_is_sniffed_and_stored_privately(counsellor_gr: User, case: Case, private_files: Path) -> None:
    item = record(
        counsellor_gr, case, "Imran", "health_needs", "fit_to_travel",
        evidence_file=upload(png(), "certificate.pdf"),
    )  # fmt: skip
    assert item.evidence_content_type == "image/png"
    assert item.evidence_file.name.endswith(".png")
    assert (private_files / item.evidence_file.name).exists()  # encrypted there: read through the storage
    assert item.evidence_file.open("rb").read() == png()


def test_an_executable_as_evidence_is_refused(counsellor_gr: User, case: Case) -> None:
    error = refused(
        counsellor_gr, case, "Imran", "health_needs", "fit_to_travel", evidence_file=upload(EXE, "certificate.pdf")
    )
    assert "evidence_file" in error.fields
    assert not ChecklistItem.objects.exists()


def test_nothing_is_recorded_after_departure(counsellor_gr: User, case: Case) -> None:
    journey.set_status(case, S.DEPARTED)
    assert (
        "before departure" in refused(counsellor_gr, case, "Ayesha", "single_parent", "travel_assistance_needs").message
    )


# ---------------------------------------------------------------- the gate and its task


@pytest.fixture
def preparing(counsellor_gr: User, case: Case, gr: Mission, pk: Mission) -> Case:
    """The family in travel preparation: counselled, declared, the safeguarding task open."""
    Case.objects.filter(pk=case.pk).update(status=S.REGISTERED, legal_status="protection_rejected")
    case.refresh_from_db()
    journey.assess(case, counsellor_gr, journey.programme())
    journey.move(case, counsellor_gr, S.IN_COUNSELLING)
    journey.counsel(case, counsellor_gr)
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    journey.declare(case, counsellor_gr)
    journey.move(case, counsellor_gr, S.TRAVEL_PREPARATION)
    case.refresh_from_db()
    return case


def _complete(counsellor: User, case: Case) -> None:
    for required in selectors.missing_items(case):
        services.item_record(
            acting_user=counsellor, case=case, member=required.member, vulnerability=required.vulnerability,
            item=required.item, done_on=timezone.localdate(), evidence="on file",
        )  # fmt: skip


def test_completing_the_checklist_closes_the_task_and_opens_the_gate(counsellor_gr: User, preparing: Case) -> None:
    task = Task.objects.get(case=preparing, kind="safeguarding", status="open")
    assert workflow.safeguarding_complete(preparing, workflow.Attempt(counsellor_gr))
    record(counsellor_gr, preparing, "Imran", "health_needs", "fit_to_travel")
    task.refresh_from_db()
    assert task.status == "open"  # not yet: other items are missing
    _complete(counsellor_gr, preparing)
    task.refresh_from_db()
    assert task.status == "done"
    assert task.closed_by == counsellor_gr
    assert workflow.safeguarding_complete(preparing, workflow.Attempt(counsellor_gr)) is None


def test_a_supervisor_removes_a_mistake_and_the_task_reopens(
    counsellor_gr: User, supervisor_gr: User, preparing: Case, django_capture_on_commit_callbacks: Any,
    private_files: Path,
) -> None:  # fmt: skip
    _complete(counsellor_gr, preparing)
    mistake = preparing.safeguarding_items.get(item="fit_to_travel")
    services.item_remove(acting_user=supervisor_gr, item=mistake)
    mistaken = record(counsellor_gr, preparing, "Imran", "health_needs", "fit_to_travel",
                      evidence_file=upload(png(), "wrong.png"))  # fmt: skip
    stored = private_files / mistaken.evidence_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.item_remove(acting_user=supervisor_gr, item=mistaken)
    assert not ChecklistItem.objects.filter(pk=mistaken.pk).exists()
    assert not stored.exists()
    reopened = Task.objects.get(case=preparing, kind="safeguarding", status="open")
    assert reopened.assignee == counsellor_gr
    assert [r.item for r in selectors.missing_items(preparing)] == ["fit_to_travel"]


def test_only_a_supervisor_removes_an_item(counsellor_gr: User, movement_gr: User, case: Case) -> None:
    item = record(counsellor_gr, case, "Imran", "health_needs", "fit_to_travel")
    for user in (counsellor_gr, movement_gr):
        with pytest.raises(PermissionDenied):
            services.item_remove(acting_user=user, item=item)
    assert ChecklistItem.objects.filter(pk=item.pk).exists()


def test_removing_outside_travel_preparation_opens_no_task(
    counsellor_gr: User, supervisor_gr: User, case: Case
) -> None:
    item = record(counsellor_gr, case, "Imran", "health_needs", "fit_to_travel")
    services.item_remove(acting_user=supervisor_gr, item=item)
    assert not Task.objects.filter(case=case, kind="safeguarding").exists()


def test_a_case_without_checklist_vulnerabilities_has_an_empty_checklist(counsellor_gr: User, case_gr: Case) -> None:
    # Sana is a child, with her parents: no checklist item for that.
    state = selectors.checklist_for_user(counsellor_gr, case_gr)
    assert state.is_empty
    assert state.complete


def test_members_of_the_case_only_in_the_checklist(counsellor_gr: User, case: Case, case_ro: Case) -> None:
    give(case_ro.members.get(relationship="principal"), "pregnant")
    assert all(r.member.case_id == case.pk for r in selectors.checklist(case))
