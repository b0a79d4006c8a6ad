"""The programme budget page: figures are sums of entries, conversions show their rate, overspending
shows, and only those who see aggregates, pay or supervise in the programme's missions see it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.accounts.models import Mission, User
from homeward.assistance import ledger
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.programmes.models import BudgetLine, ExchangeRate, Programme
from tests.budgets.conftest import book, client_for, page_conversion, page_figures, page_totals, today
from tests.money import money_programme, rate

CENT = Decimal("0.01")


def budget_url(programme: Programme) -> str:
    return reverse("budgets:programme_budget", args=[programme.pk])


def line_url(budget_line: BudgetLine) -> str:
    return reverse("budgets:budget_line", args=[budget_line.programme_id, budget_line.pk])


def test_each_line_shows_budgeted_committed_spent_and_remaining_from_its_entries(
    programme: Programme, cash: BudgetLine, reintegration: BudgetLine, finance_gr: User, supervisor_gr: User,
    case_gr: Case,
) -> None:  # fmt: skip
    book(supervisor_gr, cash, "commitment", "300", "grant:1", case=case_gr)
    ledger.entry_release(acting_user=finance_gr, source="grant:1", booked_on=today(), amount=Decimal("300"))
    book(finance_gr, cash, "payment", "300", "grant:1", case=case_gr)
    wrong = book(finance_gr, cash, "payment", "40", "grant:2", case=case_gr)
    ledger.entry_reverse(acting_user=finance_gr, entry=wrong, reason="paid twice")
    book(supervisor_gr, reintegration, "commitment", "1200", "component:5", case=case_gr)

    html = client_for(finance_gr).get(budget_url(programme)).content.decode()

    assert page_figures(html, cash.pk) == {
        "budgeted": Decimal("10000.00"), "committed": Decimal("0.00"), "spent": Decimal("300.00"),
        "remaining": Decimal("9700.00"),
    }  # fmt: skip
    assert page_figures(html, reintegration.pk)["committed"] == Decimal("1200.00")
    assert page_totals(html) == {
        "budgeted": Decimal("60000.00"), "committed": Decimal("1200.00"), "spent": Decimal("300.00"),
        "remaining": Decimal("58500.00"),
    }  # fmt: skip
    for budget_line in (cash, reintegration):
        f = ledger.figures(budget_line)
        assert page_figures(html, budget_line.pk) == {
            "budgeted": f.budgeted, "committed": f.committed, "spent": f.spent, "remaining": f.remaining
        }  # fmt: skip
    assert "10,000.00" in html  # readable amounts beside the exact values


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["commitment", "payment"]),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("400"), places=2),
            st.sampled_from(["EUR", "USD"]),
            st.booleans(),
        ),
        max_size=8,
    )
)
@pytest.mark.django_db
def test_page_and_api_figures_always_equal_the_sum_of_the_bookings(
    programme: Programme, finance_gr: User, api_as: object, steps: list[tuple[str, Decimal, str, bool]]
) -> None:
    # Each example gets a line of its own: hypothesis keeps the database between examples.
    budget_line = BudgetLine.objects.create(
        programme=programme, category="other", amount=Decimal("1000"), currency="EUR"
    )
    ExchangeRate.objects.get_or_create(currency="USD", quote="EUR", on=today(), defaults={"rate": Decimal("0.9")})
    expected = {"commitment": Decimal(0), "payment": Decimal(0)}
    for n, (kind, amount, currency, undo) in enumerate(steps):
        try:
            book(finance_gr, budget_line, kind, str(amount), f"x:{budget_line.pk}:{n}", currency=currency)
        except ServiceError:
            continue  # over the line without an override: refused, nothing booked
        in_eur = amount if currency == "EUR" else (amount * Decimal("0.9")).quantize(CENT)
        if undo:
            entry = budget_line.entries.get(source=f"x:{budget_line.pk}:{n}")
            ledger.entry_reverse(acting_user=finance_gr, entry=entry, reason="mistake")
            in_eur = Decimal(0)
        expected[kind] += in_eur
    want = {
        "budgeted": Decimal("1000.00"), "committed": expected["commitment"], "spent": expected["payment"],
        "remaining": Decimal("1000.00") - expected["commitment"] - expected["payment"],
    }  # fmt: skip

    html = client_for(finance_gr).get(budget_url(programme)).content.decode()
    assert page_figures(html, budget_line.pk) == want
    lines = api_as(finance_gr).get(f"/programmes/{programme.pk}/budget-lines").json()  # type: ignore[attr-defined]
    api = next(x for x in lines if x["id"] == budget_line.pk)
    assert {k: Decimal(api[k]) for k in want} == want
    assert want["remaining"] >= 0


def test_a_line_in_another_currency_shows_its_value_in_the_programmes_currency_with_the_rate_and_date(
    programme: Programme, finance_gr: User
) -> None:
    usd = BudgetLine.objects.create(programme=programme, category="travel", amount=Decimal("1000"), currency="USD")
    rate("USD", "EUR", "0.9", on=today() - dt.timedelta(days=2))
    book(finance_gr, usd, "payment", "100", "grant:9")

    html = client_for(finance_gr).get(budget_url(programme)).content.decode()

    assert page_figures(html, usd.pk)["spent"] == Decimal("100.00")  # in the line's own currency
    converted, row = page_conversion(html, usd.pk)
    assert converted == {
        "budgeted": Decimal("900.00"), "committed": Decimal("0.00"), "spent": Decimal("90.00"),
        "remaining": Decimal("810.00"),
    }  # fmt: skip
    assert "1 USD = 0.9 EUR" in row
    assert f"rate of {date_filter(today() - dt.timedelta(days=2), 'SHORT_DATE_FORMAT')}" in row
    assert "old rate" not in row
    assert page_totals(html)["budgeted"] == Decimal("60900.00")  # 10,000 + 50,000 + 900


def test_a_line_without_a_rate_says_so_in_words_and_stays_out_of_the_totals(
    programme: Programme, finance_gr: User
) -> None:
    pkr = BudgetLine.objects.create(programme=programme, category="travel", amount=Decimal("300000"), currency="PKR")

    html = client_for(finance_gr).get(budget_url(programme)).content.decode()

    converted, row = page_conversion(html, pkr.pk)
    assert converted == {}
    assert "No exchange rate from PKR to EUR" in row
    assert "left out of the totals" in row
    assert page_totals(html)["budgeted"] == Decimal("60000.00")
    assert "The totals leave out 1 line that has no exchange rate." in html


def test_an_old_rate_is_used_but_marked(programme: Programme, finance_gr: User) -> None:
    usd = BudgetLine.objects.create(programme=programme, category="travel", amount=Decimal("1000"), currency="USD")
    rate("USD", "EUR", "0.8", on=today() - dt.timedelta(days=90))

    html = client_for(finance_gr).get(budget_url(programme)).content.decode()

    converted, row = page_conversion(html, usd.pk)
    assert converted["budgeted"] == Decimal("800.00")
    assert "old rate" in row


def test_an_overspent_line_is_highlighted(
    programme: Programme, cash: BudgetLine, reintegration: BudgetLine, supervisor_gr: User
) -> None:
    book(supervisor_gr, cash, "commitment", "10250", "component:1", override_reason="a family of nine")

    html = client_for(supervisor_gr).get(budget_url(programme)).content.decode()

    assert page_figures(html, cash.pk)["remaining"] == Decimal("-250.00")
    assert 'class="budget-line table-danger overspent"' in html.split(f'id="line-{cash.pk}"')[1][:60]
    assert "overspent" not in html.split(f'id="line-{reintegration.pk}"')[1][:60]
    line_page = client_for(supervisor_gr).get(line_url(cash)).content.decode()
    assert "a family of nine" in line_page  # the override's reason, beside the entry


def test_an_unconfirmed_line_is_marked_as_a_placeholder(programme: Programme, supervisor_gr: User) -> None:
    draft = BudgetLine.objects.create(
        programme=programme, category="outreach", amount=Decimal("5000"), currency="EUR", confirmed=False
    )
    html = client_for(supervisor_gr).get(budget_url(programme)).content.decode()
    row = html.split(f'id="line-{draft.pk}"')[1].split("</tr>")[0]
    assert "placeholder: amount not confirmed" in row


def test_a_lines_entries_show_amount_as_paid_rate_source_case_and_marks(
    programme: Programme, cash: BudgetLine, finance_gr: User, case_gr: Case
) -> None:
    rate("USD", "EUR", "0.9")
    paid = book(finance_gr, cash, "payment", "100", "grant:12", case=case_gr, currency="USD", note="airport")
    counter = ledger.entry_reverse(acting_user=finance_gr, entry=paid, reason="paid to the wrong person")

    html = client_for(finance_gr).get(line_url(cash)).content.decode()

    row = html.split(f'id="entry-{paid.pk}"')[1].split("</tr>")[0]
    assert "100.00 USD" in row
    assert "0.9" in row
    assert "90.00" in row
    assert "grant 12" in row
    assert f">{case_gr.reference}</a>" in row  # the finance officer may view the case
    assert str(finance_gr) in row
    assert "reversed" in row
    counter_row = html.split(f'id="entry-{counter.pk}"')[1].split("</tr>")[0]
    assert f"counter-entry of {paid.pk}" in counter_row
    assert "-90.00" in counter_row
    assert "paid to the wrong person" in counter_row


def test_a_programme_viewer_sees_numbers_and_references_but_no_names_and_no_links(
    programme: Programme, cash: BudgetLine, finance_gr: User, viewer: User, case_gr: Case
) -> None:
    book(finance_gr, cash, "payment", "100", "grant:1", case=case_gr, note="Handed to Imran Khan at the airport")
    client = client_for(viewer)

    budget = client.get(budget_url(programme))
    entries = client.get(line_url(cash))

    assert budget.status_code == entries.status_code == 200
    assert page_figures(budget.content.decode(), cash.pk)["spent"] == Decimal("100.00")
    html = entries.content.decode()
    assert case_gr.reference in html
    assert reverse("cases:detail", args=[case_gr.reference]) not in html  # no link to a case they cannot open
    for name in ("Imran", "Ayesha", "Sana "):
        assert name not in html
        assert name not in budget.content.decode()
    # The finance officer, who may read the case, reads the note.
    assert "Handed to Imran Khan" in client_for(finance_gr).get(line_url(cash)).content.decode()


@pytest.mark.parametrize("persona", ["viewer", "finance_gr", "supervisor_gr", "me_gr"])
def test_those_who_see_aggregates_pay_or_supervise_in_the_programmes_missions_see_the_budget(
    persona: str, programme: Programme, cash: BudgetLine, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(budget_url(programme)).status_code == 200
    assert client.get(line_url(cash)).status_code == 200
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert budget_url(programme) in detail


def test_a_counsellor_without_aggregates_gets_a_404_and_no_link(
    programme: Programme, cash: BudgetLine, counsellor_gr: User
) -> None:
    client = client_for(counsellor_gr)
    assert client.get(budget_url(programme)).status_code == 404
    assert client.get(line_url(cash)).status_code == 404
    detail = client.get(reverse("programmes:detail", args=[programme.pk]))
    assert detail.status_code == 200
    assert budget_url(programme) not in detail.content.decode()


def test_a_viewer_of_another_mission_gets_a_404(
    programme: Programme, cash: BudgetLine, viewer_ro: User, ro: Mission
) -> None:
    client = client_for(viewer_ro)
    assert client.get(budget_url(programme)).status_code == 404
    assert client.get(line_url(cash)).status_code == 404
    own = money_programme(missions=("RO",), code="RO/MONEY")
    assert client.get(budget_url(own)).status_code == 200
    # A line reached through a programme it does not belong to is not found either.
    assert client.get(reverse("budgets:budget_line", args=[own.pk, cash.pk])).status_code == 404


def test_the_budget_page_needs_a_fixed_number_of_queries_however_many_entries(
    programme: Programme, cash: BudgetLine, reintegration: BudgetLine, finance_gr: User, supervisor_gr: User,
    case_gr: Case, django_assert_max_num_queries: object,
) -> None:  # fmt: skip
    rate("USD", "EUR", "0.9")
    usd = BudgetLine.objects.create(programme=programme, category="travel", amount=Decimal("9000"), currency="USD")
    BudgetLine.objects.create(programme=programme, category="office", amount=Decimal("9000"), currency="PKR")
    for n in range(40):
        book(finance_gr, (cash, reintegration, usd)[n % 3], "payment", "10", f"grant:{n}", case=case_gr)
        book(supervisor_gr, (cash, reintegration, usd)[n % 3], "commitment", "5", f"component:{n}", case=case_gr)
    client = client_for(finance_gr)
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(budget_url(programme)).status_code == 200
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert client.get(line_url(cash)).status_code == 200
