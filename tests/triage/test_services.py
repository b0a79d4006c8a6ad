"""Triage rules: who assigns, what a contact attempt changes, closing with a reason, turning an inquiry into a
case once, with what the person gave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.outreach.models import CaseSource
from homeward.people.models import Person
from homeward.triage import services
from homeward.triage.models import ContactAttempt, Inquiry
from tests.triage.conftest import make_inquiry

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- assigning


def test_a_counsellor_takes_an_unassigned_inquiry(counsellor_gr: User, inquiry: Inquiry) -> None:
    services.inquiry_assign(acting_user=counsellor_gr, inquiry=inquiry, counsellor=counsellor_gr)

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to) == (Inquiry.Status.ASSIGNED, counsellor_gr)


def test_a_counsellor_cannot_give_an_inquiry_to_someone_else(
    counsellor_gr: User, second_counsellor_gr: User, inquiry: Inquiry
) -> None:
    with pytest.raises(ServiceError) as refused:
        services.inquiry_assign(acting_user=counsellor_gr, inquiry=inquiry, counsellor=second_counsellor_gr)

    assert "counsellor" in refused.value.fields
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to) == (Inquiry.Status.NEW, None)


def test_a_counsellor_cannot_take_an_inquiry_assigned_to_another(
    counsellor_gr: User, second_counsellor_gr: User, supervisor_gr: User, inquiry: Inquiry
) -> None:
    services.inquiry_assign(acting_user=supervisor_gr, inquiry=inquiry, counsellor=second_counsellor_gr)

    with pytest.raises(ServiceError):
        services.inquiry_assign(acting_user=counsellor_gr, inquiry=inquiry, counsellor=counsellor_gr)

    assert Inquiry.objects.get(pk=inquiry.pk).assigned_to == second_counsellor_gr


def test_a_supervisor_assigns_and_reassigns_any_counsellor_of_the_mission(
    supervisor_gr: User, counsellor_gr: User, second_counsellor_gr: User, counsellor_ro: User, inquiry: Inquiry
) -> None:
    services.inquiry_assign(acting_user=supervisor_gr, inquiry=inquiry, counsellor=counsellor_gr)
    services.inquiry_assign(acting_user=supervisor_gr, inquiry=inquiry, counsellor=second_counsellor_gr)
    assert Inquiry.objects.get(pk=inquiry.pk).assigned_to == second_counsellor_gr

    with pytest.raises(ServiceError) as refused:
        services.inquiry_assign(acting_user=supervisor_gr, inquiry=inquiry, counsellor=counsellor_ro)
    assert refused.value.fields == {"counsellor": ["Choose a counsellor of this mission."]}


def test_a_finance_officer_cannot_assign(finance_gr: User, counsellor_gr: User, inquiry: Inquiry) -> None:
    with pytest.raises(PermissionDenied):
        services.inquiry_assign(acting_user=finance_gr, inquiry=inquiry, counsellor=counsellor_gr)


def test_a_counsellor_of_ro_cannot_touch_an_inquiry_of_gr(counsellor_ro: User, inquiry: Inquiry) -> None:
    with pytest.raises(PermissionDenied):
        services.inquiry_assign(acting_user=counsellor_ro, inquiry=inquiry, counsellor=counsellor_ro)
    with pytest.raises(PermissionDenied):
        services.inquiry_to_case(acting_user=counsellor_ro, inquiry=inquiry)
    assert Case.objects.count() == 0


# ---------------------------------------------------------------- contact attempts


def test_an_attempt_that_does_not_reach_the_person_changes_nothing_but_the_history(
    counsellor_gr: User, inquiry: Inquiry
) -> None:
    services.inquiry_assign(acting_user=counsellor_gr, inquiry=inquiry, counsellor=counsellor_gr)

    attempt = services.contact_record(
        acting_user=counsellor_gr, inquiry=inquiry, channel="phone", reached=False, note="No answer."
    )

    assert (attempt.by, attempt.channel, attempt.reached, attempt.note) == (counsellor_gr, "phone", False, "No answer.")
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.ASSIGNED


def test_reaching_the_person_makes_the_inquiry_contacted_and_assigning_later_keeps_it(
    counsellor_gr: User, supervisor_gr: User, inquiry: Inquiry
) -> None:
    services.contact_record(acting_user=counsellor_gr, inquiry=inquiry, channel="whatsapp", reached=True)
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.CONTACTED

    services.inquiry_assign(acting_user=supervisor_gr, inquiry=inquiry, counsellor=counsellor_gr)
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.CONTACTED


def test_an_attempt_needs_a_known_channel_and_a_time_not_in_the_future(counsellor_gr: User, inquiry: Inquiry) -> None:
    with pytest.raises(ServiceError) as refused:
        services.contact_record(
            acting_user=counsellor_gr, inquiry=inquiry, channel="pigeon", reached=True,
            at=timezone.now() + dt.timedelta(hours=2),
        )  # fmt: skip
    assert set(refused.value.fields) == {"channel", "at"}

    with pytest.raises(ServiceError) as refused:
        services.contact_record(
            acting_user=counsellor_gr, inquiry=inquiry, channel="phone", reached=True,
            at=inquiry.submitted_at - dt.timedelta(days=1),
        )  # fmt: skip
    assert set(refused.value.fields) == {"at"}
    assert ContactAttempt.objects.count() == 0
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.NEW


# ---------------------------------------------------------------- closing and reopening


def test_closing_needs_a_reason_and_other_needs_a_note(counsellor_gr: User, inquiry: Inquiry) -> None:
    with pytest.raises(ServiceError) as refused:
        services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="")
    assert set(refused.value.fields) == {"reason"}
    with pytest.raises(ServiceError) as refused:
        services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="other", note="  ")
    assert refused.value.fields == {"note": ["Say why the inquiry is closed."]}
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.NEW

    services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="not_interested")

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason, inquiry.closed_by) == ("closed", "not_interested", counsellor_gr)
    assert inquiry.closed_at is not None


def test_a_closed_inquiry_cannot_be_converted_contacted_or_closed_again(counsellor_gr: User, inquiry: Inquiry) -> None:
    services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="other", note="Moved to Germany.")

    with pytest.raises(ServiceError, match="closed"):
        services.inquiry_to_case(acting_user=counsellor_gr, inquiry=inquiry)
    with pytest.raises(ServiceError, match="closed"):
        services.contact_record(acting_user=counsellor_gr, inquiry=inquiry, channel="phone", reached=True)
    with pytest.raises(ServiceError, match="closed"):
        services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="duplicate")
    assert Case.objects.count() == 0


def test_only_a_supervisor_reopens_and_it_goes_back_to_where_it_was(
    counsellor_gr: User, supervisor_gr: User, inquiry: Inquiry
) -> None:
    services.inquiry_assign(acting_user=counsellor_gr, inquiry=inquiry, counsellor=counsellor_gr)
    services.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="unreachable")

    with pytest.raises(PermissionDenied):
        services.inquiry_reopen(acting_user=counsellor_gr, inquiry=inquiry)
    services.inquiry_reopen(acting_user=supervisor_gr, inquiry=inquiry)

    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.close_reason, inquiry.closed_by) == (Inquiry.Status.ASSIGNED, "", None)
    with pytest.raises(ServiceError):
        services.inquiry_reopen(acting_user=supervisor_gr, inquiry=inquiry)


# ---------------------------------------------------------------- turning an inquiry into a case


def test_an_inquiry_becomes_a_case_with_what_the_person_gave(counsellor_gr: User, gr: Mission) -> None:
    inquiry = make_inquiry(gr, hours_ago=30)
    services.inquiry_assign(acting_user=counsellor_gr, inquiry=inquiry, counsellor=counsellor_gr)

    case = services.inquiry_to_case(acting_user=counsellor_gr, inquiry=inquiry)

    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.host_mission, case.referral_source) == (CaseStatus.INQUIRY, gr, "self")
    assert case.destination_country == "PK"
    assert case.inquiry_date == timezone.localdate(inquiry.submitted_at)
    assert case.counsellor == counsellor_gr
    assert inquiry.code in case.notes
    for said in ("Malakasa open centre", "Athens", "3 people", "bilal.q@example.org", "+92 300 7654321"):
        assert said in case.notes, said
    # The person's own message stays on the inquiry: not every reader of the case may see what it says.
    assert inquiry.message
    assert inquiry.message not in case.notes
    principal = case.members.get().person
    assert (principal.given_names, principal.family_name) == ("Bilal Ahmed", "Qureshi")
    assert principal.phone == "+306907654321"
    assert principal.languages == ["ur"]
    assert (principal.nationality, principal.country_of_origin) == ("PK", "PK")
    source = CaseSource.objects.get(case=case)
    assert (source.how, source.set_by) == ("ngo", counsellor_gr)
    inquiry.refresh_from_db()
    assert (inquiry.case, inquiry.status) == (case, Inquiry.Status.CONVERTED)


def test_staff_correct_the_name_split_and_the_phone(counsellor_gr: User, gr: Mission) -> None:
    inquiry = make_inquiry(gr, given_names="Bilal Ahmed Qureshi", family_name="", phone="", messenger="",
                           messenger_number="")  # fmt: skip

    case = services.inquiry_to_case(
        acting_user=counsellor_gr, inquiry=inquiry, given_names="Bilal Ahmed", family_name="Qureshi",
        phone="6907654321",
    )  # fmt: skip

    principal = case.members.get().person
    assert (principal.given_names, principal.family_name, principal.phone) == (
        "Bilal Ahmed",
        "Qureshi",
        "+306907654321",
    )
    assert case.counsellor == counsellor_gr  # unassigned: the case is the converting counsellor's, not nobody's


def test_without_a_phone_the_messenger_number_is_the_persons_phone(counsellor_gr: User, gr: Mission) -> None:
    inquiry = make_inquiry(gr, phone="", messenger="signal", messenger_number="+92 300 7654321", language="fa-af")

    case = services.inquiry_to_case(acting_user=counsellor_gr, inquiry=inquiry)

    principal = case.members.get().person
    assert (principal.phone, principal.languages) == ("+923007654321", ["fa"])


def test_a_bad_phone_is_named_and_nothing_is_saved(counsellor_gr: User, gr: Mission) -> None:
    inquiry = make_inquiry(gr, phone="12")

    with pytest.raises(ServiceError) as refused:
        services.inquiry_to_case(acting_user=counsellor_gr, inquiry=inquiry)

    assert set(refused.value.fields) == {"phone"}
    assert (Case.objects.count(), Person.objects.count(), CaseSource.objects.count()) == (0, 0, 0)
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.NEW


def test_an_inquiry_becomes_one_case_only(counsellor_gr: User, inquiry: Inquiry) -> None:
    first = services.inquiry_to_case(acting_user=counsellor_gr, inquiry=inquiry)

    with pytest.raises(ServiceError) as refused:
        services.inquiry_to_case(acting_user=counsellor_gr, inquiry=Inquiry.objects.get(pk=inquiry.pk))

    assert first.reference in refused.value.message
    assert Case.objects.count() == 1
    # A stale copy of the inquiry (a second tab) is refused too: the row is read again under a lock.
    with pytest.raises(ServiceError):
        services.inquiry_to_case(acting_user=counsellor_gr, inquiry=inquiry)
    assert Case.objects.count() == 1
