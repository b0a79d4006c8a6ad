"""The component's procurement page and the invoices page: who gets in, what each role sees, the forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import procurement
from homeward.assistance.models import Delivery, Invoice, LedgerEntry, Provider, PurchaseOrder, Quote
from homeward.reintegration.models import Component
from tests.assistance.conftest import client_for
from tests.assistance.procurement.steps import (
    delivered,
    invoiced,
    ordered,
    pdf,
    png,
    quote,
    today,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(component: Component) -> str:
    return reverse("assistance:component_procurement", args=[component.pk])


def html(user: User, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# ---------------------------------------------------------------- who gets in


def test_a_component_of_a_case_the_user_cannot_see_is_a_404(
    counsellor_ro: User, viewer: User, reintegration_af: User, component: Component, vetted: Provider,
    reintegration_pk: User,
) -> None:  # fmt: skip
    order = ordered(reintegration_pk, component, vetted)
    d = delivered(reintegration_pk, order)
    invoice = invoiced(reintegration_pk, order)
    q = order.quote
    urls = [
        page(component),
        reverse("assistance:delivery_evidence", args=[d.pk]),
        reverse("assistance:quote_scan", args=[q.pk]),
        reverse("assistance:invoice_scan", args=[invoice.pk]),
    ]
    for user in (counsellor_ro, viewer, reintegration_af):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        response = client.post(reverse("assistance:invoice_approve", args=[invoice.pk]))
        assert response.status_code == 404
    assert Invoice.objects.get().status == "received"


def test_the_host_mission_reads_the_page_without_any_form(
    counsellor_gr: User, component: Component, vetted: Provider, reintegration_pk: User
) -> None:
    ordered(reintegration_pk, component, vetted)
    body = html(counsellor_gr, page(component))
    assert "PO-PK-" in body
    assert "Record a quote" not in body
    assert "Record a delivery" not in body
    assert "Record an invoice" not in body
    response = client_for(counsellor_gr).post(
        reverse("assistance:quote_record", args=[component.pk]),
        {
            "quote-provider": vetted.pk,
            "quote-amount": "10",
            "quote-currency": "EUR",
            "quote-received_on": today().isoformat(),
        },
    )
    assert response.status_code == 403
    assert Quote.objects.count() == 1


def test_the_page_shows_the_component_and_its_amounts(
    reintegration_pk: User, supervisor_pk: User, finance_pk: User, cashier_pk: User, component: Component,
    vetted: Provider, case: object,
) -> None:  # fmt: skip
    order = ordered(reintegration_pk, component, vetted, "1200")
    delivered(reintegration_pk, order)
    first = invoiced(reintegration_pk, order, "700", "INV-1")
    procurement.invoice_approve(acting_user=supervisor_pk, invoice=first)
    procurement.invoice_pay(acting_user=cashier_pk, invoice=first, paid_on=today())
    invoiced(reintegration_pk, order, "300", "INV-2")
    body = html(reintegration_pk, page(component))
    assert f'href="{reverse("cases:detail", args=[case.reference])}"' in body  # type: ignore[attr-defined]
    assert "micro-business" in body
    assert "in delivery" in body
    assert '<dd class="col-sm-8 col-lg-4" id="budget">1500.00 EUR</dd>' in body
    assert '<dd class="col-sm-8 col-lg-4" id="ordered">1200.00 EUR</dd>' in body
    assert '<dd class="col-sm-8 col-lg-4" id="left-on-component">300.00 EUR</dd>' in body
    assert '<dd class="col-sm-8 col-lg-4" id="committed">800.00 EUR</dd>' in body  # 1,500 less 700 paid
    totals = body.split('class="row small mb-2 order-totals"')[1].split("</dl>")[0]
    for label, amount in [("Ordered", "1200.00"), ("Invoiced", "1000.00"), ("Paid", "700.00"),
                          ("Left to pay on the order", "500.00"), ("Left to invoice", "200.00")]:  # fmt: skip
        assert f'{label}</dt><dd class="col-6 col-md-2">{amount} EUR</dd>' in totals, label
    assert "Lahore Tools &amp; Co" in body
    assert "vetted" in body
    assert "Cheapest of three, delivers to Lahore" in body


# ---------------------------------------------------------------- the whole way through the pages


def test_a_component_is_bought_and_paid_through_the_pages(
    reintegration_pk: User, supervisor_pk: User, finance_pk: User, component: Component, vetted: Provider,
    unvetted: Provider, programme: object,
) -> None:  # fmt: skip
    officer = client_for(reintegration_pk)
    body = html(reintegration_pk, page(component))
    assert "Lahore Tools &amp; Co (vetted)" in body
    assert "Multan Machines (not vetted)" in body

    response = officer.post(
        reverse("assistance:quote_record", args=[component.pk]),
        {"quote-provider": vetted.pk, "quote-amount": "1200", "quote-currency": "EUR", "quote-received_on": today().isoformat(),
         "quote-description": "Two machines", "quote-scan": pdf()},
    )  # fmt: skip
    assert response.status_code == 302
    q = Quote.objects.get()
    assert q.scan_content_type == "application/pdf"
    scan = officer.get(reverse("assistance:quote_scan", args=[q.pk]))
    assert scan.status_code == 200
    assert b"".join(scan.streaming_content).startswith(b"%PDF")

    # No reason: refused in words, nothing chosen.
    response = officer.post(reverse("assistance:quote_choose", args=[q.pk]), {"reason": ""}, follow=True)
    assert "Say why this quote is chosen." in response.content.decode()
    officer.post(reverse("assistance:quote_choose", args=[q.pk]), {"reason": "Cheapest"})
    officer.post(reverse("assistance:po_issue", args=[q.pk]), {"issued_on": today().isoformat(), "note": ""})
    order = PurchaseOrder.objects.get()

    response = officer.post(
        reverse("assistance:delivery_record", args=[component.pk]),
        {"delivery-purchase_order": order.pk, "delivery-received_on": today().isoformat(), "delivery-description": "First machine",
         "delivery-confirmed_by_returnee": "on", "delivery-evidence": png()},
    )  # fmt: skip
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    evidence = officer.get(reverse("assistance:delivery_evidence", args=[delivery.pk]))
    assert evidence.status_code == 200
    assert evidence["X-Content-Type-Options"] == "nosniff"

    response = officer.post(
        reverse("assistance:invoice_record", args=[component.pk]),
        {"invoice-purchase_order": order.pk, "invoice-provider_reference": "LT-991", "invoice-amount": "1200", "invoice-currency": "EUR",
         "invoice-issued_on": today().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    client_for(supervisor_pk).post(reverse("assistance:invoice_approve", args=[invoice.pk]))
    invoice.refresh_from_db()
    assert invoice.status == "approved"

    body = html(finance_pk, page(component))
    assert f'action="{reverse("assistance:invoice_pay", args=[invoice.pk])}"' in body
    response = client_for(finance_pk).post(
        reverse("assistance:invoice_pay", args=[invoice.pk]),
        {"paid_on": today().isoformat(), "payment_reference": "TRF-1"},
        follow=True,
    )
    body = response.content.decode()
    assert "Invoice LT-991 paid: 1200.00 EUR." in body
    assert "paid by" in body
    assert LedgerEntry.objects.get(kind="payment").amount == Decimal("1200.00")


def test_a_refused_invoice_is_shown_on_the_form_with_both_amounts(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted, "1200")
    response = client_for(reintegration_pk).post(
        reverse("assistance:invoice_record", args=[component.pk]),
        {"invoice-purchase_order": order.pk, "invoice-provider_reference": "LT-1", "invoice-amount": "1500", "invoice-currency": "EUR",
         "invoice-issued_on": today().isoformat()},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "An invoice above its purchase order" in body
    assert "1500.00 EUR" in body
    assert "1200.00 EUR" in body
    assert not Invoice.objects.exists()


def test_a_confirmed_delivery_without_evidence_is_refused_on_the_form(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted)
    response = client_for(reintegration_pk).post(
        reverse("assistance:delivery_record", args=[component.pk]),
        {"delivery-purchase_order": order.pk, "delivery-received_on": today().isoformat(), "delivery-description": "Machine",
         "delivery-confirmed_by_returnee": "on"},
    )  # fmt: skip
    assert "The returnee&#x27;s confirmation needs their signature or a photo." in response.content.decode()
    assert not Delivery.objects.exists()


def test_an_order_above_the_budget_shows_the_override_to_a_supervisor_only(
    reintegration_pk: User, supervisor_pk: User, component: Component, vetted: Provider
) -> None:
    q = quote(reintegration_pk, component, vetted, "1800")
    procurement.quote_choose(acting_user=reintegration_pk, quote=q, reason="Only offer")
    assert 'name="override_reason"' not in html(reintegration_pk, page(component))
    assert 'name="override_reason"' in html(supervisor_pk, page(component))
    response = client_for(reintegration_pk).post(reverse("assistance:po_issue", args=[q.pk]), {}, follow=True)
    assert "a supervisor&#x27;s override with a reason is needed" in response.content.decode()
    client_for(supervisor_pk).post(reverse("assistance:po_issue", args=[q.pk]), {"override_reason": "Prices rose"})
    assert PurchaseOrder.objects.get().override_reason == "Prices rose"


# ---------------------------------------------------------------- separation of duties on the page


@pytest.fixture
def approved(reintegration_pk: User, finance_pk: User, component: Component, vetted: Provider) -> Invoice:
    order = ordered(reintegration_pk, component, vetted)
    delivered(reintegration_pk, order)
    return procurement.invoice_approve(acting_user=finance_pk, invoice=invoiced(reintegration_pk, order))


def test_the_approver_is_refused_payment_on_the_page(
    finance_pk: User, cashier_pk: User, approved: Invoice, component: Component
) -> None:
    pay_url = reverse("assistance:invoice_pay", args=[approved.pk])
    body = html(finance_pk, page(component))
    assert "You approved this invoice: the person who approved an invoice cannot pay it." in body
    assert f'action="{pay_url}"' not in body
    response = client_for(finance_pk).post(pay_url, {"paid_on": today().isoformat()})
    assert response.status_code == 403
    assert f'action="{pay_url}"' in html(cashier_pk, page(component))


def test_the_recorder_is_not_offered_the_approval(
    finance_pk: User, supervisor_pk: User, component: Component, vetted: Provider
) -> None:
    invoice = invoiced(finance_pk, ordered(finance_pk, component, vetted))
    approve_url = reverse("assistance:invoice_approve", args=[invoice.pk])
    body = html(finance_pk, page(component))
    assert "the person who raises an invoice cannot approve its payment" in body
    assert f'action="{approve_url}"' not in body
    assert client_for(finance_pk).post(approve_url).status_code == 403
    assert f'action="{approve_url}"' in html(supervisor_pk, page(component))


# ---------------------------------------------------------------- the invoices page


def test_the_invoices_page_lists_what_waits_in_the_users_missions(
    finance_pk: User, cashier_pk: User, supervisor_pk: User, reintegration_pk: User, approved: Invoice,
    counsellor_gr: User, ro: Mission,
) -> None:  # fmt: skip
    url = reverse("assistance:invoices")
    assert client_for(reintegration_pk).get(url).status_code == 403
    assert client_for(counsellor_gr).get(url).status_code == 403
    body = html(cashier_pk, url)
    payment = body.split('id="payment"')[1]
    assert approved.provider_reference in payment
    assert "1200.00 EUR" in payment
    assert html(finance_pk, url).count("You approved it: someone else pays it.") == 1
    # A finance officer of Romania works none of these cases: nothing waits for them.
    finance_ro = UserFactory(username="finance.ro", roles=[(ro, Role.FINANCE_OFFICER)])
    assert approved.provider_reference not in html(finance_ro, url)


def test_the_invoices_page_approves_and_comes_back(
    supervisor_pk: User, reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    invoice = invoiced(reintegration_pk, ordered(reintegration_pk, component, vetted))
    body = html(supervisor_pk, reverse("assistance:invoices"))
    assert invoice.provider_reference in body.split('id="approval"')[1].split('id="payment"')[0]
    response = client_for(supervisor_pk).post(
        reverse("assistance:invoice_approve", args=[invoice.pk]), {"next": "invoices"}
    )
    assert response["Location"] == reverse("assistance:invoices")
    invoice.refresh_from_db()
    assert invoice.status == "approved"


def test_the_menu_offers_invoices_to_finance_officers_and_supervisors(
    finance_pk: User, supervisor_pk: User, reintegration_pk: User, counsellor_gr: User
) -> None:
    template = Template("{% load assistance_nav %}{% invoices_nav %}")
    for user, shown in [(finance_pk, True), (supervisor_pk, True), (reintegration_pk, False), (counsellor_gr, False)]:
        request = RequestFactory().get("/")
        request.user = user
        rendered = template.render(Context({"request": request}))
        assert (reverse("assistance:invoices") in rendered) is shown, user


def test_the_invoices_page_does_not_query_per_invoice(
    supervisor_pk: User, reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    order = ordered(reintegration_pk, component, vetted, "1200")
    invoiced(reintegration_pk, order, "100", "INV-1")
    client = client_for(supervisor_pk)
    url = reverse("assistance:invoices")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(2, 5):
        invoiced(reintegration_pk, order, "100", f"INV-{n}")
    with CaptureQueriesContext(connection) as four:
        body = client.get(url).content.decode()
    assert body.count("INV-") == 4
    assert len(four) == len(one)
