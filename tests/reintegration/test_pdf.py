"""The reintegration agreement: the plan, its budgets, the balance, the signature lines, in the returnee's language."""

from __future__ import annotations

import re

import pytest

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.people.models import Person
from homeward.reintegration import pdf, services
from homeward.reintegration.models import Component
from tests.reintegration.conftest import component, ready_plan

pytestmark = pytest.mark.django_db


def test_the_agreement_has_the_plan_its_budgets_the_balance_and_signature_lines(
    case: Case, counsellor_gr: User, supervisor_gr: User
) -> None:
    plan = ready_plan(counsellor_gr, case, "1200")
    component(counsellor_gr, plan, "800", kind=Component.Kind.MICRO_BUSINESS, business_activity="Tailoring shop",
              business_location="Lahore, Anarkali", business_costs="800", expected_income="200")  # fmt: skip
    services.plan_approve(acting_user=supervisor_gr, plan=plan)
    html = pdf.agreement_html(plan)
    assert case.reference in html
    assert "Tailoring shop" in html
    assert "Lahore, Anarkali" in html
    assert "1200.00" in html
    assert "800.00" in html
    assert re.search(r"Total of this plan</th><th[^>]*>2000.00 EUR", html)
    assert re.search(r"Remaining balance</th><td[^>]*>1500.00 EUR", html)
    captions = re.findall(r'<div class="caption">([^<]*?) — ', html)
    assert captions == ["The returnee: Imran Khan", f"For IOM (IOM Greece): {supervisor_gr.get_full_name()}"]
    assert "not approved yet" not in html


def test_a_draft_agreement_says_it_commits_nothing(case: Case, counsellor_gr: User) -> None:
    assert "Draft: this plan is not approved yet" in pdf.agreement_html(ready_plan(counsellor_gr, case, "100"))


def test_the_agreement_is_in_the_returnees_language_where_we_have_it(case: Case, counsellor_gr: User) -> None:
    plan = ready_plan(counsellor_gr, case, "100")
    Person.objects.filter(given_names="Imran").update(languages=["ur"])
    html = pdf.agreement_html(plan)
    assert '<html lang="en"' in html
    assert "there is no translation in the returnee's language (Urdu)" in html
    Person.objects.filter(given_names="Imran").update(languages=["el"])
    assert '<html lang="el"' in pdf.agreement_html(plan)


def test_an_individual_plan_is_signed_by_its_member(case: Case, counsellor_gr: User) -> None:
    ayesha = case.members.get(person__given_names="Ayesha")
    html = pdf.agreement_html(ready_plan(counsellor_gr, case, "100", member=ayesha))
    assert "The returnee: Ayesha Khan" in html


def test_the_pdf_is_a_pdf(case: Case, counsellor_gr: User) -> None:
    from weasyprint import HTML

    plan = ready_plan(counsellor_gr, case, "100")
    assert pdf.agreement_pdf(plan).startswith(b"%PDF")
    # The laid-out pages (what the PDF draws), read as text: pypdf is not among our dependencies.
    laid_out = HTML(string=pdf.agreement_html(plan)).render()
    text = " ".join(box.text for page in laid_out.pages for box in page._page_box.descendants() if hasattr(box, "text"))
    assert f"Case {case.reference}" in text
    assert "The returnee: Imran Khan" in text
