"""Reading a medical or protection record is audited: who looked at what, when, through what."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.health import services as health_services
from homeward.people.models import PersonVulnerability
from homeward.safeguarding import services as safeguarding_services
from tests.api.conftest import ApiClient, make_token
from tests.counselling.uploads import pdf, private_storage_in, upload
from tests.factories import UserFactory
from tests.safeguarding.conftest import give, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(case_gr: Case) -> Case:
    """Imran is a victim of trafficking (protection) with health needs (medical); Ayesha a single parent (general)."""
    give(member(case_gr, "Imran"), "health_needs", "trafficking")
    give(member(case_gr, "Ayesha"), "single_parent")
    return case_gr


def reads() -> list[LogEntry]:
    return list(LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk"))


def page(user: User, url: str) -> int:
    client = Client()
    client.force_login(user)
    return client.get(url).status_code


def test_the_case_page_logs_each_sensitive_fact_shown_and_nothing_general(counsellor_gr: User, case: Case) -> None:
    assert page(counsellor_gr, reverse("cases:detail", args=[case.reference])) == 200
    logged = reads()
    shown = PersonVulnerability.objects.filter(person=member(case, "Imran").person)
    assert {(e.object_pk, e.additional_data["sensitivity"]) for e in logged} == {
        (str(v.pk), v.type.sensitivity) for v in shown
    }
    assert {e.additional_data["sensitivity"] for e in logged} == {"medical", "protection"}
    entry = logged[0]
    assert entry.actor == counsellor_gr
    assert entry.additional_data["case_id"] == case.pk
    assert entry.additional_data["via"] == "case_page"
    assert entry.timestamp <= timezone.now()
    # No content in the entry: only the kind of record and its number.
    assert "trafficking" not in entry.object_repr.lower()


def test_a_movement_officer_is_logged_for_the_medical_fact_only(movement_gr: User, case: Case) -> None:
    """What a role may not see is not shown, so not logged as read."""
    assert page(movement_gr, reverse("cases:detail", args=[case.reference])) == 200
    assert [e.additional_data["sensitivity"] for e in reads()] == ["medical"]


def test_a_case_with_only_general_facts_logs_nothing(counsellor_gr: User, case_gr: Case) -> None:
    give(member(case_gr, "Ayesha"), "single_parent")
    assert page(counsellor_gr, reverse("cases:detail", args=[case_gr.reference])) == 200
    assert reads() == []


def test_an_unseen_case_logs_nothing(counsellor_ro: User, case: Case) -> None:
    assert page(counsellor_ro, reverse("cases:detail", args=[case.reference])) == 404
    assert reads() == []


def test_health_records_shown_on_the_case_page_and_by_the_api_are_logged(counsellor_gr: User, case: Case) -> None:
    exam = health_services.exam_record(
        acting_user=counsellor_gr, case=case, member=member(case, "Imran"), examined_on=timezone.localdate(),
        examiner="Dr Papadopoulou", result="fit", valid_until=None, notes="Insulin twice a day.",
    )  # fmt: skip
    page(counsellor_gr, reverse("cases:detail", args=[case.reference]))
    assert any(e.object_pk == str(exam.pk) and e.additional_data["via"] == "case_page" for e in reads())
    LogEntry.objects.filter(action=LogEntry.Action.ACCESS).delete()

    response = ApiClient(make_token(counsellor_gr)).get(f"/cases/{case.pk}/health")
    assert response.status_code == 200
    [entry] = [e for e in reads() if e.content_type.model == "fittotravelexam"]
    assert (entry.object_pk, entry.actor, entry.additional_data["via"]) == (str(exam.pk), counsellor_gr, "api")


def test_the_case_api_logs_sensitive_facts(counsellor_gr: User, case: Case) -> None:
    assert ApiClient(make_token(counsellor_gr)).get(f"/cases/{case.pk}").status_code == 200
    assert {e.additional_data["sensitivity"] for e in reads()} == {"medical", "protection"}
    assert {e.additional_data["via"] for e in reads()} == {"api"}


def test_safeguarding_evidence_read_on_the_checklist_and_as_a_file_is_logged(
    settings: object, tmp_path: object, counsellor_gr: User, case: Case
) -> None:
    private_storage_in(settings, tmp_path)
    item = safeguarding_services.item_record(
        acting_user=counsellor_gr, case=case, member=member(case, "Imran"), vulnerability="trafficking",
        item="safe_return_assessment", done_on=timezone.localdate(), evidence="Assessed with the shelter.",
        evidence_file=upload(pdf(), "assessment.pdf"),
    )  # fmt: skip
    assert page(counsellor_gr, reverse("safeguarding:checklist", args=[case.reference])) == 200
    assert [(e.object_pk, e.additional_data["via"]) for e in reads()] == [(str(item.pk), "safeguarding")]

    url = reverse("safeguarding:evidence", args=[case.reference, item.pk])
    assert page(counsellor_gr, url) == 200
    last = reads()[-1]
    assert (last.object_pk, last.additional_data["via"], last.additional_data["sensitivity"]) == (
        str(item.pk), "evidence", "protection",
    )  # fmt: skip


def test_reads_stay_out_of_the_case_history(counsellor_gr: User, supervisor_gr: User, case: Case) -> None:
    page(counsellor_gr, reverse("cases:detail", args=[case.reference]))
    assert reads()
    history = case_selectors.case_history(supervisor_gr, case, limit=500)
    assert all(e.action != LogEntry.Action.ACCESS for e in history)


def test_the_host_supervisor_sees_who_read_others_may_not(
    counsellor_gr: User, supervisor_gr: User, counsellor_ro: User, gr: Mission, case: Case
) -> None:
    page(counsellor_gr, reverse("cases:detail", args=[case.reference]))
    url = reverse("cases:reads", args=[case.reference])
    client = Client()
    client.force_login(supervisor_gr)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count(str(counsellor_gr)) >= 2  # one row per fact read
    assert page(counsellor_gr, url) == 403
    assert page(counsellor_ro, url) == 404
    admin = UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])
    assert page(admin, url) == 404  # an administrator sees no case at all
