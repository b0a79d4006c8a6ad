"""The "not previously assisted" rule reads matching: the same record is certain, a likely match
marks the member for a supervisor's review, a pair said to be two people counts no more."""

from __future__ import annotations

import pytest

from homeward.cases import eligibility
from homeward.cases.models import CaseStatus, Relationship, Transition
from homeward.cases.services import MemberInput
from homeward.matching import services
from homeward.matching.models import NotSamePerson
from homeward.programmes.rules import NEEDS_REVIEW, NOT_ELIGIBLE
from homeward.programmes.services import programme_load
from tests.factories import person, register_case
from tests.journey import set_status


@pytest.fixture
def prog(gr):
    return programme_load(acting_user=None, data={
        "programme": {"code": "GR/AVRR", "name": "Greece AVRR", "donor": "EEA", "missions": ["GR"],
                      "currency": "EUR", "start": "2020-01-01", "end": "2030-12-31"},
        "rules": [{"effective_from": "2020-01-01",
                   "eligibility": {"previous_assistance": {"within_years": 5, "excludes": "all"}}}],
    })  # fmt: skip


def _returned(case, user):
    set_status(case, CaseStatus.DEPARTED)
    Transition.objects.create(case=case, from_status=CaseStatus.TRAVEL_BOOKED, to_status=CaseStatus.DEPARTED, by=user)


def _alone(given, family, **kw):
    return [MemberInput(Relationship.PRINCIPAL, person(given, family, nationality="IQ", sex="M", **kw))]


def _previous(case, user, prog):
    assessment = eligibility.case_assess(acting_user=user, case=case, programme=prog)
    member = assessment.result["members"][0]
    return [o for o in member["outcomes"] if o["rule"] == "previous_assistance"]


def test_a_likely_match_that_returned_marks_the_new_case_for_review(counsellor_gr, gr, prog):
    earlier = register_case(counsellor_gr, gr, _alone("Muhammad", "Al-Hassan", year=1990))
    _returned(earlier, counsellor_gr)
    new = register_case(counsellor_gr, gr, _alone("Mohamad", "Alhasan", year=1990, month=5, day=2))
    [outcome] = _previous(new, counsellor_gr, prog)
    assert outcome["outcome"] == NEEDS_REVIEW
    assert "likely match" in outcome["explanation"]
    assert "GR" in outcome["explanation"]


def test_the_same_record_returned_before_is_certain(counsellor_gr, gr, prog):
    earlier = register_case(counsellor_gr, gr, _alone("Muhammad", "Al-Hassan", year=1990))
    _returned(earlier, counsellor_gr)
    again = register_case(counsellor_gr, gr, _alone("Karim", "Tazi", year=1980))
    member = again.members.get()
    member.person = earlier.members.get().person  # the same record in a second case, as after a merge
    member.save()
    [outcome] = _previous(again, counsellor_gr, prog)
    assert outcome["outcome"] == NOT_ELIGIBLE
    assert earlier.reference in outcome["explanation"]


def test_two_people_said_different_are_not_held_against_each_other(counsellor_gr, supervisor_gr, gr, prog):
    earlier = register_case(counsellor_gr, gr, _alone("Muhammad", "Al-Hassan", year=1990))
    _returned(earlier, counsellor_gr)
    new = register_case(counsellor_gr, gr, _alone("Mohamad", "Alhasan", year=1990))
    a, b = sorted([earlier.members.get().person_id, new.members.get().person_id])
    NotSamePerson.objects.create(first_id=a, second_id=b, decided_by=supervisor_gr)
    assert _previous(new, counsellor_gr, prog) == []


def test_a_match_that_never_departed_is_no_previous_assistance(counsellor_gr, gr, prog):
    register_case(counsellor_gr, gr, _alone("Muhammad", "Al-Hassan", year=1990))
    new = register_case(counsellor_gr, gr, _alone("Mohamad", "Alhasan", year=1990))
    assert _previous(new, counsellor_gr, prog) == []


def test_a_supervisors_decision_reassesses_the_case(counsellor_gr, supervisor_gr, gr, prog):
    earlier = register_case(counsellor_gr, gr, _alone("Muhammad", "Al-Hassan", year=1990))
    _returned(earlier, counsellor_gr)
    new = register_case(counsellor_gr, gr, _alone("Mohamad", "Alhasan", year=1990))
    assert _previous(new, counsellor_gr, prog)[0]["outcome"] == NEEDS_REVIEW
    services.not_same_person(acting_user=supervisor_gr, first=earlier.members.get().person,
                             second=new.members.get().person, note="Cousins")  # fmt: skip
    latest = new.assessments.first()
    assert latest.outcome != NEEDS_REVIEW
    assert not [o for o in latest.result["members"][0]["outcomes"] if o["rule"] == "previous_assistance"]
