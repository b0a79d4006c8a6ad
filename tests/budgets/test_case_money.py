"""A case's money page and the money card on the case page: every grant, invoice and entry, with
totals per currency, for anyone who may view the case; payment references only for finance."""

from __future__ import annotations

from decimal import Decimal

from django.urls import NoReverseMatch, reverse

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.assistance.models import Provider
from homeward.cases.models import Case
from homeward.grants.models import Grant
from homeward.programmes.models import BudgetLine, Programme
from tests.budgets.conftest import book, client_for, grant, invoice, today
from tests.money import rate


def money_url(case: Case) -> str:
    return reverse("budgets:case_money", args=[case.reference])


def paid_grant(case: Case, cash: BudgetLine, supervisor: User, finance: User) -> Grant:
    """Pre-departure cash for the principal applicant, approved, then paid in US dollars."""
    principal = case.members.get(relationship="principal")
    g = grant(case, supervisor, cash, member=principal, status=Grant.Status.PAID, approved_by=supervisor,
              paid_by=finance, paid_on=today(), paid_amount=Decimal("110.00"), paid_currency="USD",
              rate=Decimal("1.1"), method=Grant.Method.CASH, payment_reference="CASHBOX-7")  # fmt: skip
    book(supervisor, cash, "commitment", "100", g.source, case=case)
    ledger.entry_release(acting_user=finance, source=g.source, booked_on=today())
    book(finance, cash, "payment", "110", g.source, case=case, currency="USD")
    return g


def test_the_money_page_lists_grants_invoices_entries_and_totals(
    programme: Programme, cash: BudgetLine, reintegration: BudgetLine, case_gr: Case, supervisor_gr: User,
    finance_gr: User, counsellor_gr: User, provider: Provider,
) -> None:  # fmt: skip
    rate("USD", "EUR", "0.9")
    g = paid_grant(case_gr, cash, supervisor_gr, finance_gr)
    household = grant(case_gr, counsellor_gr, cash, kind=Grant.Kind.PER_DIEM, amount=Decimal("60"), days=6)
    inv = invoice(case_gr, counsellor_gr, programme, provider, payment_reference="TRF-2026-0042")
    book(supervisor_gr, reintegration, "commitment", "750", f"component:{inv.component_id}", case=case_gr)

    html = client_for(counsellor_gr).get(money_url(case_gr)).content.decode()

    grant_row = html.split(f'id="grant-{g.pk}"')[1].split("</tr>")[0]
    assert "pre-departure cash" in grant_row
    assert "Imran Khan" in grant_row  # who it is for: the case's own page may name its people
    assert "110.00 USD" in grant_row
    assert "1.1" in grant_row
    assert "cash, with a signed receipt" in grant_row
    assert "paid" in grant_row
    household_row = html.split(f'id="grant-{household.pk}"')[1].split("</tr>")[0]
    assert "household" in household_row
    assert "6 days" in household_row
    invoice_row = html.split(f'id="invoice-{inv.pk}"')[1].split("</tr>")[0]
    assert "Lahore Tools &amp; Co" in invoice_row
    assert "F-2026-17" in invoice_row
    assert "750.00 EUR" in invoice_row
    assert "grant " + str(g.pk) in html
    assert f"component {inv.component_id}" in html
    assert 'data-total="committed" data-value="750.00"' in html  # the grant's commitment was released
    assert 'data-total="paid" data-value="99.00"' in html  # 110 USD at 0.9
    # A counsellor is not finance: no payment references.
    assert "CASHBOX-7" not in html
    assert "TRF-2026-0042" not in html


def test_finance_sees_payment_references(
    programme: Programme, cash: BudgetLine, case_gr: Case, supervisor_gr: User, finance_gr: User, provider: Provider
) -> None:
    rate("USD", "EUR", "0.9")
    paid_grant(case_gr, cash, supervisor_gr, finance_gr)
    invoice(case_gr, supervisor_gr, programme, provider, payment_reference="TRF-2026-0042")
    for user in (finance_gr, supervisor_gr):
        html = client_for(user).get(money_url(case_gr)).content.decode()
        assert "CASHBOX-7" in html
        assert "TRF-2026-0042" in html


def test_a_receipt_link_appears_only_once_its_page_exists(
    cash: BudgetLine, case_gr: Case, supervisor_gr: User, finance_gr: User
) -> None:
    g = grant(case_gr, supervisor_gr, cash, receipt="cases/1/receipt.pdf")
    html = client_for(finance_gr).get(money_url(case_gr)).content.decode()
    row = html.split(f'id="grant-{g.pk}"')[1].split("</tr>")[0]
    try:
        url = reverse("grants:receipt", kwargs={"grant_id": g.pk})
    except NoReverseMatch:  # the grants app does not serve receipts yet
        assert "on file" in row
    else:
        assert url in row


def test_someone_who_cannot_view_the_case_gets_a_404(
    case_gr: Case, viewer: User, counsellor_ro: User, cash: BudgetLine
) -> None:
    for user in (viewer, counsellor_ro):
        assert client_for(user).get(money_url(case_gr)).status_code == 404


def test_the_case_page_card_shows_totals_and_links_to_the_money_page(
    cash: BudgetLine, case_gr: Case, supervisor_gr: User, finance_gr: User, counsellor_gr: User
) -> None:
    book(supervisor_gr, cash, "commitment", "250", "grant:77", case=case_gr)
    book(finance_gr, cash, "payment", "40", "grant:78", case=case_gr)

    html = client_for(counsellor_gr).get(reverse("cases:detail", args=[case_gr.reference])).content.decode()

    card = html.split('id="money"')[1].split("</section>")[0]
    assert money_url(case_gr) in card
    assert 'data-total="committed" data-value="250.00"' in card
    assert 'data-total="paid" data-value="40.00"' in card


def test_the_card_is_empty_for_someone_who_cannot_view_the_case(case_gr: Case, viewer: User) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = viewer
    rendered = Template("{% load budgets_panels %}{% money_panel case %}").render(
        Context({"request": request, "case": case_gr})
    )
    assert rendered == ""
