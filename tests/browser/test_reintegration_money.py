"""A Romanian-programme case from pre-departure cash to equipment delivered and paid for, through the pages.

Host mission RO: the counsellor proposes the pre-departure cash and draws up a
plan with a micro-business; the supervisor approves both and refers the case;
a finance officer pays the cash with a signed receipt. Origin mission PK: the
reintegration officer accepts the referral, records the supplier's quote,
chooses it, orders, records the delivery the returnee confirmed with a photo
and the supplier's invoice; one finance officer approves the invoice and is
refused its payment; another pays it. The budget page then shows the money.

The journey between declaring and arriving has its own browser test; here the
case is moved there directly.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from homeward.accounts.roles import Role
from homeward.assistance.models import Provider
from homeward.programmes import catalogue
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from tests.browser.conftest import login
from tests.factories import UserFactory, family_of_three, register_case
from tests.journey import S, set_status
from tests.money import entitled, rate, return_on

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _confirmed(value: Any) -> Any:
    """The catalogue's Romanian programme with every placeholder amount confirmed, as a mission would."""
    if isinstance(value, dict):
        return {k: (True if k == "confirmed" else _confirmed(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_confirmed(v) for v in value]
    return value


def _romania() -> Programme:
    data = _confirmed(copy.deepcopy(catalogue.read("romania-fami")))
    data["programme"]["status"] = "active"
    return programme_load(acting_user=None, data=data)


def _submit(page: Page, button: Locator, success: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        button.click()
    errors = page.locator(".alert-danger")
    if errors.count():
        raise AssertionError(f"{page.url}: {errors.all_inner_texts()}")
    expect(page.get_by_role("status").filter(has_text=success).first).to_be_visible()


def _as(page: Page, live_server: Any, username: str, path: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username)
    page.goto(f"{live_server.url}{path}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cash_plan_quote_invoice_and_the_budget(
    page: Page, live_server: Any, ro: Any, pk: Any, counsellor_ro: Any, reintegration_pk: Any
) -> None:
    programme = _romania()
    today = timezone.localdate()
    rate("USD", "RON", "4.60")
    rate("PKR", "RON", "0.0165")
    supervisor_ro = UserFactory(username="supervisor.ro", roles=[(ro, Role.CASE_SUPERVISOR)])
    UserFactory(username="finance.ro", roles=[(ro, Role.FINANCE_OFFICER)])
    UserFactory(username="finance.pk", roles=[(pk, Role.FINANCE_OFFICER)])
    UserFactory(username="cashier.pk", roles=[(pk, Role.FINANCE_OFFICER)])
    supplier = Provider.objects.create(
        name="Lahore Tailoring Supplies", country="PK", category=Provider.Category.SUPPLIER, mission=pk,
        vetting_status=Provider.Vetting.VETTED, vetted_on=today, vetted_by=reintegration_pk, created_by=reintegration_pk,
    )  # fmt: skip
    principal = family_of_three("Popal")[:1]
    case = entitled(register_case(counsellor_ro, ro, principal, counsellor=counsellor_ro), counsellor_ro, programme)
    set_status(case, S.IN_COUNSELLING)
    ref = case.reference

    # The counsellor proposes the pre-departure cash: 100 USD, from the rules.
    _as(page, live_server, "counsellor.ro", f"/cases/{ref}/grants/")
    propose = page.locator("#propose")
    propose.get_by_label(re.compile(r"^Kind")).select_option("pre_departure_cash")
    propose.get_by_label(re.compile(r"^For")).select_option(str(case.members.get().pk))
    _submit(page, propose.get_by_role("button", name="Propose"), "proposed")
    grant = page.locator(".grant-row").first
    expect(grant.locator(".grant-amount")).to_have_text("100.00 USD")

    # ...and draws up the plan with the returnee: a tailoring micro-business, in kind (never cash in Romania).
    page.goto(f"{live_server.url}/cases/{ref}/plan/")
    _submit(page, page.get_by_role("button", name="Start the plan"), "Plan started")
    page.get_by_label(re.compile(r"^Economic needs")).fill("No income; skilled tailor.")
    page.get_by_label(re.compile(r"^Goals")).fill("Run a tailoring shop in Lahore within six months.")
    _submit(page, page.get_by_role("button", name="Save needs and goals"), "Needs and goals saved")
    page.get_by_text("Add a component").click()
    add = page.locator("form[action$='/components/']")
    add.get_by_label(re.compile(r"^Kind")).select_option("micro_business")
    add.get_by_label(re.compile(r"^Budget")).fill("4000")
    expect(add.get_by_label(re.compile(r"^How it is delivered")).locator("option[value='cash']")).to_have_count(0)
    add.get_by_label(re.compile(r"^Business activity")).fill("Tailoring")
    add.get_by_label(re.compile(r"^Business location")).fill("Anarkali Bazaar, Lahore")
    add.get_by_label(re.compile(r"^Start\-up costs")).fill("4000")
    add.get_by_label(re.compile(r"^Expected monthly income")).fill("900")
    _submit(page, add.get_by_role("button", name="Add the component"), "Component added")

    # The supervisor approves the cash and the plan, and refers the case to Pakistan.
    set_status(case, S.RETURN_DECLARED)
    _as(page, live_server, "supervisor.ro", f"/cases/{ref}/grants/")
    page.locator(".grant-action[data-action='approve'] summary").click()
    _submit(page, page.locator(".grant-action[data-action='approve']").get_by_role("button"), "Grant approved")
    page.goto(f"{live_server.url}/cases/{ref}/plan/")
    _submit(page, page.get_by_role("button", name="Approve and commit the budget"), "Plan approved")
    expect(page.locator(".component").first).to_contain_text("approved")
    page.goto(f"{live_server.url}/cases/{ref}/")
    page.locator("#refer-mission").select_option("PK")
    with page.expect_navigation():
        page.locator("#refer").get_by_role("button", name="Refer").click()

    # A finance officer pays the cash in lei, with the signed receipt.
    _as(page, live_server, "finance.ro", f"/cases/{ref}/grants/")
    pay = page.locator(".grant-action[data-action='pay']")
    pay.locator("summary").click()
    pay.get_by_label(re.compile(r"^Paid on")).fill(today.isoformat())
    pay.get_by_label(re.compile(r"^Method")).select_option("cash")
    pay.get_by_label(re.compile(r"^Currency paid")).fill("RON")
    pay.get_by_label(re.compile(r"^Receipt")).set_input_files(
        {"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    _submit(page, pay.get_by_role("button", name="Record the payment"), "Payment recorded")
    expect(page.locator(".grant-paid")).to_contain_text("460.00 RON")
    expect(page.locator(".grant-row").first.get_by_role("link", name="Receipt")).to_be_visible()

    # Pakistan accepts the referral; it sees the plan in it.
    _as(page, live_server, "reintegration.pk", "/cases/referrals/")
    expect(page.locator(".referral-component")).to_contain_text("Micro-business: 4000.00 RON")
    with page.expect_navigation():
        page.get_by_role("button", name="Accept the case").click()
    case.refresh_from_db()
    assert case.referred_to_mission_id == pk.pk
    set_status(case, S.ARRIVED)
    return_on(case, supervisor_ro, today - dt.timedelta(days=5))

    # The reintegration officer buys the equipment: quote, choice, order, delivery, invoice.
    component = case.plans.get().components.get()
    page.goto(f"{live_server.url}/components/{component.pk}/procurement/")
    quote = page.locator("form[action$='/procurement/quotes/']")
    quote.get_by_label(re.compile(r"^Provider")).select_option(str(supplier.pk))
    quote.get_by_label(re.compile(r"^Amount")).fill("200000")
    quote.get_by_label(re.compile(r"^Currency")).fill("PKR")
    quote.get_by_label(re.compile(r"^Received on")).fill(today.isoformat())
    quote.get_by_label(re.compile(r"^What is offered")).fill("Two sewing machines, an overlocker, a cutting table.")
    _submit(page, quote.get_by_role("button", name="Record the quote"), "recorded")
    choose = page.locator("form[action*='/choose/']")
    choose.get_by_label(re.compile(r"^Why this quote")).fill(
        "Only vetted supplier with machines in stock; lowest price."
    )
    _submit(page, choose.get_by_role("button", name="Choose"), "chosen")
    _submit(page, page.get_by_role("button", name="Issue the order"), "issued")
    delivery = page.locator("form[action$='/procurement/deliveries/']")
    delivery.get_by_label(re.compile(r"^Order")).select_option(str(component.purchase_orders.get().pk))
    delivery.get_by_label(re.compile(r"^Received on")).fill(today.isoformat())
    delivery.get_by_label(re.compile(r"^What was received")).fill("All machines and the table, installed in the shop.")
    delivery.get_by_label(re.compile(r"^Confirmed by the returnee")).check()
    delivery.get_by_label(re.compile(r"^Signature or photo \(PDF, JPEG or PNG\)")).set_input_files(
        {"name": "shop.png", "mimeType": "image/png", "buffer": PNG}
    )
    _submit(page, delivery.get_by_role("button", name="Record the delivery"), "Delivery recorded")
    invoice = page.locator("form[action$='/procurement/invoices/']")
    invoice.get_by_label(re.compile(r"^Provider's invoice number")).fill("LTS-2026-118")
    invoice.get_by_label(re.compile(r"^Amount")).fill("200000")
    invoice.get_by_label(re.compile(r"^Currency")).fill("PKR")
    invoice.get_by_label(re.compile(r"^Invoice date")).fill(today.isoformat())
    _submit(page, invoice.get_by_role("button", name="Record the invoice"), "recorded")

    # The origin mission marks the equipment delivered.
    page.goto(f"{live_server.url}/cases/{ref}/plan/")
    _submit(page, page.locator(".component").first.get_by_role("button", name="Delivered"), "delivered")
    expect(page.locator(".component").first).to_contain_text(re.compile("^\\s*delivered", re.M))

    # One finance officer approves the invoice, and may then not pay it; another pays.
    _as(page, live_server, "finance.pk", "/invoices/")
    _submit(page, page.get_by_role("button", name="Approve for payment"), "approved for payment")
    page.goto(f"{live_server.url}/components/{component.pk}/procurement/")
    expect(page.get_by_text("the person who approved an invoice cannot pay it")).to_be_visible()
    expect(page.get_by_role("button", name="Pay", exact=True)).to_have_count(0)
    # Even a request made by hand is refused.
    invoice_id = component.invoices.get().pk
    refused = page.request.post(
        f"{live_server.url}/invoices/{invoice_id}/pay/",
        form={"paid_on": today.isoformat(), "csrfmiddlewaretoken": page.locator("[name=csrfmiddlewaretoken]").first.input_value()},
        headers={"Referer": page.url},
    )  # fmt: skip
    assert refused.status == 403
    _as(page, live_server, "cashier.pk", f"/components/{component.pk}/procurement/")
    _submit(page, page.get_by_role("button", name="Pay", exact=True), "paid")

    # The programme's budget: 460 lei of cash spent; 3,300 lei paid for the equipment, 700 still committed.
    _as(page, live_server, "supervisor.ro", f"/programmes/{programme.pk}/budget/")
    cash = page.locator(f"#line-{programme.budget_lines.get(category='cash_grants').pk}")
    expect(cash.locator("[data-figure='spent']")).to_have_attribute("data-value", "460.00")
    expect(cash.locator("[data-figure='committed']")).to_have_attribute("data-value", "0.00")
    reintegration = page.locator(f"#line-{programme.budget_lines.get(category='reintegration').pk}")
    expect(reintegration.locator("[data-figure='spent']")).to_have_attribute("data-value", "3300.00")
    expect(reintegration.locator("[data-figure='committed']")).to_have_attribute("data-value", "700.00")
    expect(reintegration.locator("[data-figure='spent']")).to_have_text("3,300.00")
    budgeted = programme.budget_lines.get(category="reintegration").amount
    expect(reintegration.locator("[data-figure='remaining']")).to_have_attribute(
        "data-value", str(budgeted - Decimal("4000.00"))
    )
