"""One click turns a hotline call into an inquiry case, with what the call already said; never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.outreach import services
from homeward.outreach.models import CaseSource, HotlineCall
from tests.outreach.conftest import call

pytestmark = pytest.mark.django_db


def test_a_call_becomes_an_inquiry_case_with_what_was_said(counsellor_gr: User, gr: Mission) -> None:
    logged = call(counsellor_gr, gr, received_at=timezone.now() - dt.timedelta(days=3))

    case = services.call_to_inquiry(acting_user=counsellor_gr, call=logged)

    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.INQUIRY
    assert case.host_mission == gr
    assert case.referral_source == "hotline"
    assert case.destination_country == "PK"
    assert case.inquiry_date == timezone.localdate(logged.received_at)
    assert case.notes == "Wants to go back to Lahore with his wife; passport expired."
    principal = case.members.get().person
    assert (principal.given_names, principal.family_name) == ("Tariq", "Mehmood")
    assert principal.phone == "+306901234567"
    assert principal.languages == ["ur"]
    logged.refresh_from_db()
    assert logged.case == case
    assert logged.outcome == HotlineCall.Outcome.INQUIRY
    source = CaseSource.objects.get(case=case)
    assert (source.how, source.call) == ("hotline", logged)


def test_a_call_becomes_one_case_only(counsellor_gr: User, gr: Mission) -> None:
    logged = call(counsellor_gr, gr)
    first = services.call_to_inquiry(acting_user=counsellor_gr, call=logged)

    with pytest.raises(ServiceError) as refused:
        services.call_to_inquiry(acting_user=counsellor_gr, call=HotlineCall.objects.get(pk=logged.pk))

    assert first.reference in refused.value.message
    assert Case.objects.count() == 1


def test_a_relatives_call_needs_the_migrants_name_and_keeps_the_caller_in_the_notes(
    counsellor_gr: User, gr: Mission
) -> None:
    logged = call(counsellor_gr, gr, caller_kind="relative", caller_name="Nadia Mehmood", caller_phone="")

    with pytest.raises(ServiceError) as refused:
        services.call_to_inquiry(acting_user=counsellor_gr, call=logged)
    assert "given_names" in refused.value.fields
    assert not Case.objects.exists()

    case = services.call_to_inquiry(acting_user=counsellor_gr, call=logged, given_names="Tariq", family_name="Mehmood")
    principal = case.members.get().person
    assert (principal.given_names, principal.phone) == ("Tariq", "")
    assert "Nadia Mehmood" in case.notes


def test_a_call_without_a_country_of_return_is_refused_in_words_and_nothing_is_saved(
    counsellor_gr: User, gr: Mission
) -> None:
    logged = call(counsellor_gr, gr, destination_country="")

    with pytest.raises(ServiceError) as refused:
        services.call_to_inquiry(acting_user=counsellor_gr, call=logged)

    assert "destination_country" in refused.value.fields
    assert not Case.objects.exists()
    logged.refresh_from_db()
    assert logged.case is None
    case = services.call_to_inquiry(acting_user=counsellor_gr, call=logged, destination_country="af")
    assert case.destination_country == "AF"


def test_an_me_officer_cannot_turn_a_call_into_a_case(counsellor_gr: User, me_gr: User, gr: Mission) -> None:
    logged = call(counsellor_gr, gr)
    with pytest.raises(PermissionDenied):
        services.call_to_inquiry(acting_user=me_gr, call=logged)
    assert not Case.objects.exists()


def test_the_callers_details_are_audited_with_who_wrote_them(counsellor_gr: User, gr: Mission) -> None:
    logged = call(counsellor_gr, gr)
    services.call_to_inquiry(acting_user=counsellor_gr, call=logged)

    entries = LogEntry.objects.get_for_object(logged).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(e.actor == counsellor_gr for e in entries)
    assert "caller_phone" in entries[0].changes_dict
