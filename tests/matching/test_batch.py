"""The batch duplicate run: planted duplicates found once, decisions respected, scoped to the supervisor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, Relationship
from homeward.cases.services import MemberInput
from homeward.jobs.models import Job
from homeward.jobs.services import job_run
from homeward.matching import batch, selectors, services
from homeward.matching.models import DuplicatePair
from homeward.people.models import Person
from tests.factories import person, register_case


def _register(user: User, mission: Mission, given: str, family: str, **kwargs: object) -> Person:
    case: Case = register_case(user, mission, [MemberInput(Relationship.PRINCIPAL, person(given, family, **kwargs))])
    return case.members.get().person


@pytest.fixture
def planted(counsellor_gr: User, gr: Mission) -> dict[str, Person]:
    """Two persons registered twice in other spellings, and two who only share a common name."""
    return {
        "hassan": _register(counsellor_gr, gr, "Muhammad", "Al-Hassan", year=1990, nationality="IQ", sex="M"),
        "hassan_again": _register(counsellor_gr, gr, "Mohamad", "Alhasan", year=1991, nationality="IQ", sex="M"),
        "mammadov": _register(counsellor_gr, gr, "Elvin", "Mammadov", year=1978, month=5, day=2, nationality="AZ"),
        "mammadov_again": _register(counsellor_gr, gr, "Elvin", "Mamedov", year=1978, nationality="AZ"),
        "karimi": _register(counsellor_gr, gr, "Hassan", "Karimi", year=1960, nationality="AF", sex="M"),
        "karimi_other": _register(counsellor_gr, gr, "Hussein", "Karimi", year=1960, nationality="AF", sex="M"),
    }


def _ids(pairs: list[batch.Pair]) -> set[tuple[int, int]]:
    return {(a, b) for a, b, _p, _v in pairs}


def _pair(a: Person, b: Person) -> tuple[int, int]:
    return (min(a.pk, b.pk), max(a.pk, b.pk))


def test_planted_duplicates_are_found_once_most_probable_first(planted: dict[str, Person]) -> None:
    counts: dict[str, int] = {}
    pairs = batch.likely_pairs(counts=counts)
    assert _ids(pairs) == {
        _pair(planted["hassan"], planted["hassan_again"]),
        _pair(planted["mammadov"], planted["mammadov_again"]),
    }
    assert all(a < b and p >= selectors.threshold() for a, b, p, _v in pairs)
    assert [p for _a, _b, p, _v in pairs] == sorted((p for _a, _b, p, _v in pairs), reverse=True)
    # Each pair shares several keys (spellings, scripts, name orders) but is scored once; the two
    # Karimi share a key (Hassan and Hussein reduce alike) and score low.
    assert counts["scored"] == 3


def test_a_pair_said_to_be_two_people_is_not_listed(planted: dict[str, Person], supervisor_gr: User) -> None:
    services.not_same_person(acting_user=supervisor_gr, first=planted["hassan"], second=planted["hassan_again"])
    assert _ids(batch.likely_pairs()) == {_pair(planted["mammadov"], planted["mammadov_again"])}


def test_a_lower_floor_lists_more_and_a_scope_keeps_pairs_with_one_of_its_persons(
    planted: dict[str, Person],
) -> None:
    everything = batch.likely_pairs(at_least=0.0)
    assert _ids(everything) - _ids(batch.likely_pairs()) == {_pair(planted["karimi"], planted["karimi_other"])}
    only = batch.likely_pairs(person_ids=[planted["mammadov_again"].pk])
    assert _ids(only) == {_pair(planted["mammadov"], planted["mammadov_again"])}


def test_a_block_too_big_is_left_to_the_other_keys(planted: dict[str, Person], monkeypatch) -> None:
    monkeypatch.setattr(batch, "MAX_BLOCK", 1)
    counts: dict[str, int] = {}
    assert batch.likely_pairs(counts=counts) == []
    assert counts["left_out"] >= 2


def test_only_a_case_supervisor_starts_a_run(counsellor_gr: User, supervisor_gr: User) -> None:
    with pytest.raises(PermissionDenied):
        batch.duplicates_run_start(acting_user=counsellor_gr)
    job = batch.duplicates_run_start(acting_user=supervisor_gr)
    assert (job.kind, job.owner, job.status) == ("matching.duplicates", supervisor_gr, Job.Status.QUEUED)


def test_the_run_stores_the_pairs_of_the_supervisors_missions_only(
    planted: dict[str, Person], supervisor_gr: User, counsellor_ro: User, ro: Mission
) -> None:
    # A duplicate wholly in Romania is not the Greek supervisor's to review.
    _register(counsellor_ro, ro, "Ahmad", "Ahmadzai", year=1995, nationality="AF", sex="M")
    _register(counsellor_ro, ro, "Ahmed", "Ahmadzay", year=1995, nationality="AF", sex="M")
    # One in Romania, one in Greece: both supervisors see it.
    across = _register(counsellor_ro, ro, "Muhammed", "El Hassan", year=1990, nationality="IQ", sex="M")
    assert len(batch.likely_pairs()) >= 4

    job = batch.duplicates_run_start(acting_user=supervisor_gr)
    job_run(job.pk)
    job.refresh_from_db()
    stored = {(d.first_id, d.second_id) for d in DuplicatePair.objects.filter(job=job)}
    hassan, again = planted["hassan"], planted["hassan_again"]
    assert stored == {
        _pair(hassan, again),
        _pair(planted["mammadov"], planted["mammadov_again"]),
        _pair(hassan, across),
        _pair(again, across),
    }
    assert (job.status, job.message) == (Job.Status.DONE, "4 likely duplicate pairs")
    first = DuplicatePair.objects.filter(job=job).first()
    assert first.probability == max(d.probability for d in DuplicatePair.objects.filter(job=job))
    assert len(first.levels) == 7


def test_a_supervisor_who_left_the_mission_gets_a_failed_run(planted: dict[str, Person], supervisor_gr: User) -> None:
    job = batch.duplicates_run_start(acting_user=supervisor_gr)
    supervisor_gr.memberships.all().delete()
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "no longer supervise" in job.message
    assert not DuplicatePair.objects.filter(job=job).exists()


def test_a_small_cache_and_small_chunks_find_the_same_pairs(planted: dict[str, Person], monkeypatch) -> None:
    everything = batch.likely_pairs(at_least=0.0)
    monkeypatch.setattr(batch, "CACHED_PERSONS", 1)
    monkeypatch.setattr(batch, "ROWS_PER_CHUNK", 1)
    assert batch.likely_pairs(at_least=0.0) == everything
