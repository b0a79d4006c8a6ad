"""The case's grants page and its forms: what each role sees and may do, errors in the form, the receipt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.grants.models import Grant
from tests.factories import family_of_three, register_case
from tests.grants.conftest import approve, cash_component, client_for, member, pay, propose, receipt
from tests.money import arrived, entitled, money_programme

pytestmark = pytest.mark.django_db


def page(case: Case) -> str:
    return reverse("grants:case_grants", args=[case.reference])


def html_of(user: User, case: Case) -> str:
    response = client_for(user).get(page(case))
    assert response.status_code == 200
    return response.content.decode()


def test_the_counsellor_sees_the_entitlement_and_proposes(case: Case, counsellor_gr: User) -> None:
    html = html_of(counsellor_gr, case)
    assert 'data-kind="pre_departure_cash"' in html
    assert "250.00" in html  # the household's pre-departure cash
    assert 'action="{}"'.format(reverse("grants:propose", args=[case.reference])) in html
    response = client_for(counsellor_gr).post(
        reverse("grants:propose", args=[case.reference]),
        {"propose-kind": "per_diem", "propose-member": member(case, "Ayesha").pk, "propose-days": "4"},
    )
    grant = Grant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page(case) + f"#grant-{grant.pk}"
    html = html_of(counsellor_gr, case)
    assert "40.00 EUR" in html
    assert "Ayesha Khan" in html
    assert "proposed by" in html


def test_an_error_is_shown_in_the_propose_form(case: Case, counsellor_gr: User) -> None:
    response = client_for(counsellor_gr).post(
        reverse("grants:propose", args=[case.reference]),
        {"propose-kind": "pre_departure_cash", "propose-amount": "400"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the reason for exceeding the entitlement." in html
    assert not Grant.objects.exists()


def test_an_in_kind_programme_offers_no_reintegration_cash(
    case: Case, counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission
) -> None:
    arrived(case, supervisor_gr, pk)
    cash_component(case, supervisor_gr, case.programme)
    html = html_of(reintegration_pk, case)
    assert "This programme pays reintegration in kind only: no cash." in html
    assert 'value="reintegration"' not in html
    response = client_for(reintegration_pk).post(
        reverse("grants:propose", args=[case.reference]), {"propose-kind": "reintegration"}
    )
    assert response.status_code == 400
    assert "This programme pays reintegration in kind only: no cash." in response.content.decode()


def test_a_cash_programme_offers_its_cash_components(
    counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission, gr: Mission
) -> None:
    case = register_case(counsellor_gr, gr, family_of_three("Ahmadi"), counsellor=counsellor_gr)
    case = arrived(entitled(case, counsellor_gr, money_programme(payment="cash")), supervisor_gr, pk)
    component = cash_component(case, supervisor_gr, case.programme, "1500")
    html = html_of(reintegration_pk, case)
    assert 'value="reintegration"' in html
    assert "micro-business (1500.00 EUR)" in html
    assert 'value="pre_departure_cash"' not in html  # cash before departure is the host mission's
    client_for(reintegration_pk).post(
        reverse("grants:propose", args=[case.reference]),
        {"propose-kind": "reintegration", "propose-component": component.pk},
    )
    assert Grant.objects.get().amount == Decimal("1500.00")


def test_only_the_supervisor_gets_the_approve_form_and_others_are_forbidden(
    case: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User, movement_gr: User
) -> None:
    grant = propose(counsellor_gr, case)
    approve_url = reverse("grants:approve", args=[grant.pk])
    assert approve_url not in html_of(counsellor_gr, case)
    assert approve_url in html_of(supervisor_gr, case)
    for user in (counsellor_gr, finance_gr, movement_gr):
        assert client_for(user).post(approve_url, {}).status_code == 403, user
    response = client_for(supervisor_gr).post(approve_url, {})
    assert response.status_code == 302
    html = html_of(supervisor_gr, case)
    assert "approved by" in html
    assert Grant.objects.get().status == Grant.Status.APPROVED


def test_a_role_that_may_not_propose_is_forbidden(case: Case, movement_gr: User, finance_gr: User) -> None:
    for user in (movement_gr, finance_gr):
        response = client_for(user).post(
            reverse("grants:propose", args=[case.reference]), {"propose-kind": "pre_departure_cash"}
        )
        assert response.status_code == 403
    assert 'id="propose"' not in html_of(finance_gr, case)


def test_an_invisible_case_is_not_found(case: Case, counsellor_ro: User, viewer: User, counsellor_gr: User) -> None:
    grant = propose(counsellor_gr, case)
    for user in (counsellor_ro, viewer):
        client = client_for(user)
        assert client.get(page(case)).status_code == 404
        assert client.post(reverse("grants:propose", args=[case.reference]), {}).status_code == 404
        assert client.post(reverse("grants:approve", args=[grant.pk]), {}).status_code == 404
        assert client.get(reverse("grants:receipt", args=[grant.pk])).status_code == 404


def test_the_finance_officer_pays_cash_with_the_receipt_and_it_can_be_downloaded(
    approved: Grant, finance_gr: User, counsellor_gr: User, counsellor_ro: User
) -> None:
    case = approved.case
    prefix = f"pay{approved.pk}"
    url = reverse("grants:pay", args=[approved.pk])
    assert url in html_of(finance_gr, case)
    response = client_for(finance_gr).post(url, {f"{prefix}-paid_on": "2020-01-01", f"{prefix}-method": "cash"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cash is paid against a receipt the returnee signed" in html
    assert "cannot have been paid before" in html
    today = approved.approved_at.date().isoformat()
    response = client_for(finance_gr).post(
        url, {f"{prefix}-paid_on": today, f"{prefix}-method": "cash", f"{prefix}-receipt": receipt()}
    )
    assert response.status_code == 302, response.content.decode()
    html = html_of(counsellor_gr, case)
    download = reverse("grants:receipt", args=[approved.pk])
    assert download in html
    assert "paid by" in html
    assert "cash, with a signed receipt" in html
    response = client_for(counsellor_gr).get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Disposition"].startswith(f'attachment; filename="receipt-{case.reference}-')
    assert client_for(counsellor_ro).get(download).status_code == 404


def test_the_approver_is_refused_in_words(
    case: Case, counsellor_gr: User, gr: Mission, pk: Mission, supervisor_gr: User
) -> None:
    from homeward.accounts.roles import Role
    from tests.factories import UserFactory

    both = UserFactory(username="both", roles=[(gr, Role.CASE_SUPERVISOR), (pk, Role.FINANCE_OFFICER)])
    grant = approve(both, propose(counsellor_gr, case))
    arrived(case, supervisor_gr, pk)
    url = reverse("grants:pay", args=[grant.pk])
    assert url not in html_of(both, case)
    prefix = f"pay{grant.pk}"
    data = {f"{prefix}-paid_on": grant.approved_at.date().isoformat(), f"{prefix}-method": "bank_transfer"}
    response = client_for(both).post(url, data)
    assert response.status_code == 400
    assert "You approved this grant: someone else pays it." in response.content.decode()
    assert Grant.objects.get(pk=grant.pk).status == Grant.Status.APPROVED


def test_cancel_form_for_the_counsellor_on_a_proposal(case: Case, counsellor_gr: User) -> None:
    grant = propose(counsellor_gr, case)
    url = reverse("grants:cancel", args=[grant.pk])
    assert url in html_of(counsellor_gr, case)
    response = client_for(counsellor_gr).post(url, {f"cancel{grant.pk}-reason": "Proposed twice by mistake"})
    assert response.status_code == 302
    assert "cancelled: Proposed twice by mistake" in html_of(counsellor_gr, case)


def test_the_case_page_shows_the_grants_card(approved: Grant, finance_gr: User, counsellor_gr: User) -> None:
    pay(finance_gr, approved, payment_reference="TRF-1")
    html = client_for(counsellor_gr).get(reverse("cases:detail", args=[approved.case.reference])).content.decode()
    assert 'id="grants-panel"' in html
    assert "Paid: 250.00 EUR" in html
    assert page(approved.case) in html


def test_the_page_needs_no_more_queries_for_more_grants(case: Case, counsellor_gr: User, supervisor_gr: User) -> None:
    client = client_for(supervisor_gr)
    propose(counsellor_gr, case, member=member(case, "Sana"))
    with CaptureQueriesContext(connection) as one:
        client.get(page(case))
    for name in ("Imran", "Ayesha"):
        approve(supervisor_gr, propose(counsellor_gr, case, kind="per_diem", member=member(case, name), days=2))
    with CaptureQueriesContext(connection) as three:
        client.get(page(case))
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]
