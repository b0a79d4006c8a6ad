"""Merging two records of one person loses nothing and can be undone exactly; "not the same person" is remembered."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from homeward.accounts.roles import Role
from homeward.cases.models import CaseMember
from homeward.core.errors import ServiceError
from homeward.matching import selectors, services
from homeward.matching.models import MatchRecord, PersonMerge
from homeward.people.models import Person
from tests.factories import UserFactory
from tests.matching.conftest import REASON, registered


def rows_of(*persons: Person) -> dict[str, set[int]]:
    """Every row pointing at these persons, by relation."""
    found: dict[str, set[int]] = {}
    for field in services.person_relations():
        pks = field.model._base_manager.filter(**{f"{field.name}__in": persons}).values_list("pk", flat=True)
        found[services.key_of(field)] = set(pks)
    return found


def rows_by_person(*persons: Person) -> dict[int, dict[str, set[int]]]:
    return {p.pk: rows_of(p) for p in persons}


def audit_of(*persons: Person) -> set[int]:
    person_type = ContentType.objects.get_for_model(Person)
    return set(
        LogEntry.objects.filter(content_type=person_type, object_pk__in=[str(p.pk) for p in persons]).values_list(
            "pk", flat=True
        )
    )


def test_a_merge_loses_nothing_and_its_undo_puts_back_exactly_what_moved(supervisor_gr, earlier, later):
    before = rows_by_person(earlier, later)
    everything = rows_of(earlier, later)
    audit_before = audit_of(earlier, later)
    assert before[later.pk]["cases.casemember.person"], "the test needs a membership to move"

    merge = services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=later, reason=REASON)

    earlier.refresh_from_db()
    later.refresh_from_db()
    assert later.merged_into_id == earlier.pk
    # Nothing is gone: every row of both still exists, now on one record or the other.
    assert rows_of(earlier, later) == everything
    after = rows_by_person(earlier, later)
    # The survivor is in both cases; only what both held (the same passport, the same vulnerability) stays behind.
    assert (
        after[earlier.pk]["cases.casemember.person"]
        == before[earlier.pk]["cases.casemember.person"] | before[later.pk]["cases.casemember.person"]
    )
    assert {d.number for d in earlier.documents.all()} == {"A1234567", "NID778899"}
    assert [d.number for d in later.documents.all()] == ["A1234567"]
    assert [v.type.code for v in later.vulnerabilities.all()] == ["health_needs"]
    assert {v.type.code for v in earlier.vulnerabilities.all()} == {"health_needs", "disability"}
    # Blank details of the survivor filled from the merged record, its own ones kept.
    assert earlier.phone == later.phone != ""
    assert earlier.birth_date_precision == "year"
    assert merge.filled == {"phone": ""}
    assert merge.moved["cases.casemember.person"] == sorted(before[later.pk]["cases.casemember.person"])
    # The audit trail of both remains, with the merge added to it.
    assert audit_before < audit_of(earlier, later)
    moved_member = CaseMember.objects.get(pk=merge.moved["cases.casemember.person"][0])
    entry = LogEntry.objects.get_for_object(moved_member).latest("timestamp")
    assert entry.additional_data["case_id"] == moved_member.case_id
    assert entry.actor == supervisor_gr
    # Only the survivor can be found.
    assert not MatchRecord.objects.filter(person=later).exists()
    assert MatchRecord.objects.get(person=earlier).phone

    services.merge_undo(acting_user=supervisor_gr, merge=merge)

    earlier.refresh_from_db()
    later.refresh_from_db()
    assert rows_by_person(earlier, later) == before
    assert later.merged_into_id is None
    assert earlier.phone == ""
    merge.refresh_from_db()
    assert merge.undone_by == supervisor_gr
    assert merge.undone_at is not None
    assert MatchRecord.objects.filter(person=later).exists()
    assert audit_before < audit_of(earlier, later)


def test_undo_keeps_a_filled_detail_changed_since(supervisor_gr, earlier, later):
    merge = services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=later, reason=REASON)
    Person.objects.filter(pk=earlier.pk).update(phone="+306900000000")
    services.merge_undo(acting_user=supervisor_gr, merge=merge)
    earlier.refresh_from_db()
    assert earlier.phone == "+306900000000"


def test_a_person_cannot_be_merged_into_itself(supervisor_gr, earlier):
    with pytest.raises(ServiceError, match="itself"):
        services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=earlier, reason=REASON)


def test_a_merge_needs_a_reason(supervisor_gr, earlier, later):
    with pytest.raises(ServiceError) as refused:
        services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=later, reason="dup")
    assert "reason" in refused.value.fields
    assert not PersonMerge.objects.exists()


def test_a_record_already_merged_cannot_be_merged_again(supervisor_gr, counsellor_gr, gr, earlier, later):
    third = registered(counsellor_gr, gr, "Mohammed", "Hassan", year=1990)
    services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=later, reason=REASON)
    for survivor, merged in ((third, later), (later, third)):
        with pytest.raises(ServiceError, match="already merged"):
            services.person_merge(acting_user=supervisor_gr, survivor=survivor, merged=merged, reason=REASON)
    assert PersonMerge.objects.count() == 1


def test_two_members_of_one_case_are_two_people(supervisor_gr, case_gr):
    imran, ayesha = (m.person for m in case_gr.members.order_by("pk")[:2])
    with pytest.raises(ServiceError, match=case_gr.reference):
        services.person_merge(acting_user=supervisor_gr, survivor=imran, merged=ayesha, reason=REASON)


def test_a_counsellor_cannot_merge(counsellor_gr, earlier, later):
    with pytest.raises(PermissionDenied):
        services.person_merge(acting_user=counsellor_gr, survivor=earlier, merged=later, reason=REASON)


def test_a_merge_across_missions_needs_a_supervisor_of_both(supervisor_gr, counsellor_ro, ro, earlier):
    in_ro = registered(counsellor_ro, ro, "Mohammed", "Al Hasan", year=1990)
    with pytest.raises(PermissionDenied, match="IOM Romania"):
        services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=in_ro, reason=REASON)
    assert Person.objects.get(pk=in_ro.pk).merged_into_id is None

    both = UserFactory(
        username="supervisor.both", roles=[(m, Role.CASE_SUPERVISOR) for m in (earlier_mission(earlier), ro)]
    )
    services.person_merge(acting_user=both, survivor=earlier, merged=in_ro, reason=REASON)
    assert Person.objects.get(pk=in_ro.pk).merged_into_id == earlier.pk


def earlier_mission(p: Person):
    return p.memberships.get().case.host_mission


def test_a_merge_is_undone_once_and_not_under_a_later_one(supervisor_gr, counsellor_gr, gr, earlier, later):
    third = registered(counsellor_gr, gr, "Mohammed", "Hassan", year=1990)
    first = services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=later, reason=REASON)
    second = services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=third, reason=REASON)
    with pytest.raises(ServiceError, match="later merge"):
        services.merge_undo(acting_user=supervisor_gr, merge=first)
    services.merge_undo(acting_user=supervisor_gr, merge=second)
    services.merge_undo(acting_user=supervisor_gr, merge=first)
    with pytest.raises(ServiceError, match="already undone"):
        services.merge_undo(acting_user=supervisor_gr, merge=first)
    assert earlier.memberships.count() == 1


def test_not_the_same_person_is_not_proposed_again(supervisor_gr, earlier, later):
    assert later.pk in [m.person_id for m in selectors.find_for_person(earlier.pk)]
    decision = services.not_same_person(acting_user=supervisor_gr, first=later, second=earlier, note="Brothers")
    assert (decision.first_id, decision.second_id) == tuple(sorted((earlier.pk, later.pk)))
    assert later.pk not in [m.person_id for m in selectors.find_for_person(earlier.pk)]
    assert earlier.pk not in [m.person_id for m in selectors.find_for_person(later.pk)]
    with pytest.raises(ServiceError, match="already decided"):
        services.not_same_person(acting_user=supervisor_gr, first=earlier, second=later)
    with pytest.raises(ServiceError, match="two people"):
        services.person_merge(acting_user=supervisor_gr, survivor=earlier, merged=later, reason=REASON)

    services.not_same_undo(acting_user=supervisor_gr, decision=decision)
    assert later.pk in [m.person_id for m in selectors.find_for_person(earlier.pk)]


def test_a_counsellor_cannot_say_not_the_same(counsellor_gr, earlier, later):
    with pytest.raises(PermissionDenied):
        services.not_same_person(acting_user=counsellor_gr, first=earlier, second=later)
