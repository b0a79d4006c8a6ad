"""Referral to the origin mission: sent once declared, answered by the origin mission, escalated when late."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import referrals
from homeward.cases.models import Case, Referral
from homeward.core.errors import ServiceError
from homeward.people.models import PersonVulnerability, VulnerabilityType
from homeward.work.models import Task
from tests import journey
from tests.factories import MissionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(case_gr: Case) -> Case:
    return journey.set_status(case_gr, "return_declared")


def test_only_a_host_supervisor_refers_and_only_once_the_return_is_declared(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, pk: Mission
) -> None:
    with pytest.raises(PermissionDenied):
        referrals.referral_send(acting_user=counsellor_gr, case=case_gr, mission=pk)
    with pytest.raises(ServiceError, match="once the return is declared"):
        referrals.referral_send(acting_user=supervisor_gr, case=case_gr, mission=pk)
    assert not Referral.objects.exists()


def test_a_referral_goes_to_a_mission_in_the_destination_country(
    declared: Case, supervisor_gr: User, pk: Mission, ro: Mission
) -> None:
    af = MissionFactory(code="AF", name="IOM Afghanistan", country="AF", kind=Mission.Kind.ORIGIN)
    with pytest.raises(ServiceError, match="not a mission in Pakistan"):
        referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=af)
    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    assert (referral.status, referral.to_mission) == ("pending", pk)
    with pytest.raises(ServiceError, match="already awaits an answer"):
        referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)


def test_without_a_mission_in_the_country_reintegration_cannot_be_referred(
    declared: Case, supervisor_gr: User, pk: Mission
) -> None:
    Case.objects.filter(pk=declared.pk).update(destination_country="SO")
    declared.refresh_from_db()
    with pytest.raises(ServiceError, match="There is no mission in Somalia: reintegration cannot be referred there"):
        referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)


def test_only_what_the_origin_mission_needs_travels(
    declared: Case, supervisor_gr: User, counsellor_gr: User, pk: Mission
) -> None:
    child = declared.members.get(relationship="child")
    PersonVulnerability.objects.create(person=child.person, type=VulnerabilityType.objects.get(code="health_needs"))
    package = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk).package
    text = str(package)
    assert "Imran Khan" in text
    assert "+923001234567" in text  # how to reach the principal
    assert "AB1234567" not in text  # no identity documents
    assert "health needs" not in text  # no consent on a signed declaration yet
    assert package["consent_to_share_vulnerabilities"] is False


def test_vulnerabilities_travel_with_consent(
    declared: Case, supervisor_gr: User, counsellor_gr: User, pk: Mission
) -> None:
    child = declared.members.get(relationship="child")
    PersonVulnerability.objects.create(person=child.person, type=VulnerabilityType.objects.get(code="health_needs"))
    journey.declare(declared, counsellor_gr)  # signed, consent to sharing
    package = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk).package
    assert [m["vulnerabilities"] for m in package["members"]] == [[], [], ["health needs"]]


def test_each_reader_sees_the_packages_vulnerabilities_of_their_level_and_sensitive_reads_are_logged(
    declared: Case, supervisor_gr: User, counsellor_gr: User, reintegration_pk: User, finance_gr: User,
    movement_gr: User, pk: Mission,
) -> None:  # fmt: skip
    from auditlog.models import LogEntry
    from django.test import Client

    from tests.api.conftest import make_token

    principal = declared.members.get(relationship="principal")
    child = declared.members.get(relationship="child")
    PersonVulnerability.objects.create(person=principal.person, type=VulnerabilityType.objects.get(code="trafficking"))
    PersonVulnerability.objects.create(person=child.person, type=VulnerabilityType.objects.get(code="health_needs"))
    journey.declare(declared, counsellor_gr)  # signed, consent to sharing
    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)

    def seen(user: User) -> list[str]:
        response = Client().get(
            f"/api/v1/cases/{declared.pk}/referrals", headers={"Authorization": f"Bearer {make_token(user)}"}
        )
        assert response.status_code == 200
        return sorted(v for m in response.json()[0]["package"]["members"] for v in m["vulnerabilities"])

    assert seen(finance_gr) == []  # general facts only
    assert seen(movement_gr) == ["health needs"]  # medical, not protection
    assert seen(supervisor_gr) == ["health needs", "victim of trafficking"]

    client = Client()
    client.force_login(reintegration_pk)
    page = client.get("/cases/referrals/").content.decode()
    assert "victim of trafficking" in page
    assert "health needs" in page
    logged = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=reintegration_pk, object_pk=str(referral.pk))
    assert sorted(e.additional_data["sensitivity"] for e in logged) == ["medical", "protection"]
    assert {e.additional_data["via"] for e in logged} == {"referral"}
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=finance_gr).exists()

    # A package kept before the levels were: all or nothing.
    for member in referral.package["members"]:
        member.pop("vulnerability_sensitivities")
    Referral.objects.filter(pk=referral.pk).update(package=referral.package)
    assert seen(movement_gr) == []
    assert seen(supervisor_gr) == ["health needs", "victim of trafficking"]


def test_the_origin_mission_sees_the_package_then_the_case_once_it_accepts(
    declared: Case, supervisor_gr: User, reintegration_pk: User, pk: Mission
) -> None:
    from homeward.cases.selectors import cases_visible_to

    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    assert list(referrals.inbox(reintegration_pk)) == [referral]
    assert not cases_visible_to(reintegration_pk).exists()
    answer = Task.objects.get(kind="answer_referral", status="open")
    assert (answer.mission, answer.role) == (pk, Role.REINTEGRATION_OFFICER)
    referrals.referral_accept(acting_user=reintegration_pk, referral=referral)
    declared.refresh_from_db()
    assert declared.referred_to_mission == pk
    assert list(cases_visible_to(reintegration_pk)) == [declared]
    assert list(cases_visible_to(supervisor_gr)) == [declared]  # the host keeps it
    assert Task.objects.get(pk=answer.pk).status == "done"
    assert Task.objects.filter(kind="prepare_reception", mission=pk, status="open").exists()
    with pytest.raises(ServiceError, match="already answered"):
        referrals.referral_return(acting_user=reintegration_pk, referral=referral, reason="too late")


def test_accepting_takes_over_the_tasks_the_host_stood_in_for(
    declared: Case, supervisor_gr: User, reintegration_pk: User, pk: Mission, gr: Mission
) -> None:
    from homeward.cases import journey as effects

    journey.set_status(declared, "departed")
    effects._open_tasks(declared, "departed")
    assert Task.objects.get(kind="confirm_arrival").mission == gr
    journey.set_status(declared, "return_declared")
    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    referrals.referral_accept(acting_user=reintegration_pk, referral=referral)
    task = Task.objects.get(kind="confirm_arrival")
    assert (task.mission, task.role, task.assignee) == (pk, Role.REINTEGRATION_OFFICER, None)


def test_only_the_receiving_mission_answers(
    declared: Case, supervisor_gr: User, counsellor_gr: User, pk: Mission
) -> None:
    af = MissionFactory(code="AF", name="IOM Afghanistan", country="AF", kind=Mission.Kind.ORIGIN)
    stranger = UserFactory(username="reintegration.af", roles=[(af, Role.REINTEGRATION_OFFICER)])
    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    for user in (counsellor_gr, stranger):
        with pytest.raises(PermissionDenied):
            referrals.referral_accept(acting_user=user, referral=referral)


def test_a_returned_referral_says_why_and_goes_back_to_the_host_supervisors(
    declared: Case, supervisor_gr: User, reintegration_pk: User, pk: Mission, gr: Mission
) -> None:
    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    with pytest.raises(ServiceError, match="Say why"):
        referrals.referral_return(acting_user=reintegration_pk, referral=referral, reason=" ")
    referrals.referral_return(acting_user=reintegration_pk, referral=referral, reason="No office in that district")
    referral.refresh_from_db()
    declared.refresh_from_db()
    assert (referral.status, referral.reason, declared.referred_to_mission) == (
        "returned",
        "No office in that district",
        None,
    )
    follow_up = Task.objects.get(kind="follow_up_referral", status="open")
    assert (follow_up.mission, follow_up.role) == (gr, Role.CASE_SUPERVISOR)
    referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)  # may be sent again


def test_an_unanswered_referral_escalates_once_at_its_deadline(
    declared: Case, supervisor_gr: User, pk: Mission, gr: Mission
) -> None:
    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    assert referral.answer_due.date() == (timezone.now() + dt.timedelta(days=5)).date()
    assert referrals.referral_escalate(referral.pk) is False  # not due yet
    with time_machine.travel(referral.answer_due + dt.timedelta(minutes=1)):
        assert referrals.referral_escalate(referral.pk) is True
        assert referrals.referral_escalate(referral.pk) is False  # once
    task = Task.objects.get(kind="follow_up_referral")
    assert (task.mission, task.role, task.subject) == (gr, Role.CASE_SUPERVISOR, "unanswered by PK")


def test_the_escalation_is_queued_for_the_deadline(
    declared: Case, supervisor_gr: User, pk: Mission, django_capture_on_commit_callbacks
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    queued = DBTaskResult.objects.get(task_path="homeward.work.tasks.escalate_referral")
    assert queued.run_after == referral.answer_due


def test_a_withdrawn_case_is_not_accepted_and_its_referral_work_stops(
    declared: Case, supervisor_gr: User, counsellor_gr: User, reintegration_pk: User, pk: Mission
) -> None:
    referral = referrals.referral_send(acting_user=supervisor_gr, case=declared, mission=pk)
    journey.move(declared, counsellor_gr, "withdrawn", "decided to stay")
    assert Task.objects.get(kind="answer_referral").status == "cancelled"
    with pytest.raises(ServiceError, match="no longer on its way home"):
        referrals.referral_accept(acting_user=reintegration_pk, referral=referral)


def test_the_reception_task_is_done_when_the_returnee_arrives(
    declared: Case, supervisor_gr: User, reintegration_pk: User, pk: Mission
) -> None:
    journey.refer(declared, supervisor_gr, pk, reintegration_pk)
    journey.set_status(declared, "departed")
    journey.move(declared, reintegration_pk, "arrived", confirmed_by="origin_mission")
    assert Task.objects.get(kind="prepare_reception").status == "done"
