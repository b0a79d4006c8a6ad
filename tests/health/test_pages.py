"""The health card on the case page, the record pages, the costs a finance officer pays, and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.health import services
from homeward.health.models import FitToTravelExam, HealthCost
from homeward.programmes.models import Programme
from tests import money
from tests.health.conftest import member

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unfit(user: User, case: Case) -> FitToTravelExam:
    return services.exam_record(
        acting_user=user, case=case, member=member(case, "Imran"), examined_on=timezone.localdate(),
        examiner="Dr Papadopoulou", result="unfit", notes="unstable angina",
    )  # fmt: skip


def page(user: User, case: Case) -> str:
    response = client_for(user).get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_card_shows_records_and_fitness_to_who_may_see_medical_facts(
    case: Case, counsellor_gr: User, movement_gr: User
) -> None:
    unfit(counsellor_gr, case)
    for user in (counsellor_gr, movement_gr):
        html = page(user, case)
        assert 'id="health-panel"' in html
        assert "unstable angina" in html
        assert "unfit to travel" in html
        assert "booking and departure are blocked" in html
        assert 'id="health-add-exam"' in html


def test_others_learn_only_that_health_records_exist(case: Case, counsellor_gr: User, finance_gr: User) -> None:
    assert 'id="health-panel"' not in page(finance_gr, case)
    unfit(counsellor_gr, case)
    html = page(finance_gr, case)
    assert "Health records exist; your role does not show them." in html
    assert "unstable angina" not in html
    assert "Papadopoulou" not in html


def test_the_record_page_saves_an_exam_or_shows_the_errors_at_their_fields(case: Case, counsellor_gr: User) -> None:
    client = client_for(counsellor_gr)
    url = reverse("health:exam", args=[case.reference])
    assert client.get(url).status_code == 200
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {
        "health-exam-member": member(case, "Imran").pk, "health-exam-examined_on": tomorrow.isoformat(),
        "health-exam-examiner": "Dr P", "health-exam-result": "fit",
    })  # fmt: skip
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not FitToTravelExam.objects.exists()
    response = client.post(url, {
        "health-exam-member": member(case, "Imran").pk, "health-exam-examined_on": timezone.localdate().isoformat(),
        "health-exam-examiner": "Dr P", "health-exam-result": "fit_with_escort",
    })  # fmt: skip
    assert response.status_code == 302
    assert FitToTravelExam.objects.get().result == "fit_with_escort"


def test_record_pages_are_forbidden_to_who_may_not_see_medical_facts(
    case: Case, finance_gr: User, counsellor_ro: User
) -> None:
    assert client_for(finance_gr).get(reverse("health:exam", args=[case.reference])).status_code == 403
    assert client_for(counsellor_ro).get(reverse("health:exam", args=[case.reference])).status_code == 404


def test_a_counsellor_records_a_cost_a_supervisor_commits_and_finance_pays_it(
    case: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User, programme: Programme
) -> None:
    response = client_for(counsellor_gr).post(reverse("health:cost", args=[case.reference]), {
        "health-cost-member": member(case, "Imran").pk, "health-cost-what": "X-ray", "health-cost-amount": "80",
        "health-cost-currency": "eur", "health-cost-incurred_on": timezone.localdate().isoformat(),
        "health-cost-budget_line": money.line(programme, "other").pk,
    })  # fmt: skip
    assert response.status_code == 302
    cost = HealthCost.objects.get()
    assert "waits for a supervisor" in page(supervisor_gr, case)
    client_for(supervisor_gr).post(reverse("health:cost_commit", args=[case.reference, cost.pk]))
    html = client_for(finance_gr).get(reverse("health:costs")).content.decode()
    assert case.reference in html
    assert "80.00 EUR" in html
    assert "X-ray" not in html
    client_for(finance_gr).post(reverse("health:cost_pay", args=[cost.pk]), {"pay-paid_on": timezone.localdate()})
    cost.refresh_from_db()
    assert cost.state == "paid"
    assert cost.payment.amount == Decimal("80.00")


def test_the_costs_page_is_for_finance_officers(counsellor_gr: User) -> None:
    assert client_for(counsellor_gr).get(reverse("health:costs")).status_code == 403


# ---------------------------------------------------------------- the API


def test_the_api_gives_health_records_only_to_who_may_see_medical_facts(
    case: Case, counsellor_gr: User, movement_gr: User, finance_gr: User, me_gr: User, counsellor_ro: User, api_as
) -> None:  # type: ignore[no-untyped-def]
    unfit(counsellor_gr, case)
    body = api_as(movement_gr).get(f"/cases/{case.reference}/health").json()
    assert body["exams"][0]["result"] == "unfit"
    assert body["exams"][0]["counts_for_travel"] is False
    assert api_as(movement_gr).get(f"/cases/{case.pk}/health").status_code == 200
    for user in (finance_gr, me_gr):
        response = api_as(user).get(f"/cases/{case.reference}/health")
        assert response.status_code == 403
        assert "angina" not in response.content.decode()
    assert api_as(counsellor_ro).get(f"/cases/{case.reference}/health").status_code == 404


def test_the_api_records_a_fit_to_travel_exam(case: Case, counsellor_gr: User, finance_gr: User, api_as) -> None:  # type: ignore[no-untyped-def]
    body = {"member_id": member(case, "Imran").pk, "examined_on": timezone.localdate().isoformat(),
            "examiner": "Dr P", "result": "fit"}  # fmt: skip
    assert api_as(finance_gr).post(f"/cases/{case.reference}/health/fit-to-travel", body).status_code == 403
    response = api_as(counsellor_gr).post(f"/cases/{case.reference}/health/fit-to-travel", body)
    assert response.status_code == 201
    assert response.json()["counts_for_travel"] is True
    bad = api_as(counsellor_gr).post(f"/cases/{case.reference}/health/fit-to-travel", {**body, "result": "maybe"})
    assert bad.status_code == 400
    assert "result" in bad.json()["fields"]
