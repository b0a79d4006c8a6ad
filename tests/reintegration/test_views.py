"""The plan pages: figures always shown, each form only to the roles that may use it, 404 and 403."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.cases.models import Case
from homeward.programmes.models import Programme
from homeward.reintegration import services
from homeward.reintegration.models import Component, Plan
from tests.counselling.uploads import HTML_PAGE, pdf, upload
from tests.money import line
from tests.reintegration.conftest import component, ready_plan

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(case: Case) -> str:
    return reverse("reintegration:case_plans", args=[case.reference])


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_case_another_mission_cannot_see_is_a_404(case: Case, counsellor_ro: User) -> None:
    plan = ready_plan(case.counsellor, case, "100")
    assert client_for(counsellor_ro).get(page(case)).status_code == 404
    assert (
        client_for(counsellor_ro).get(reverse("reintegration:component", args=[plan.components.get().pk])).status_code
        == 404
    )
    assert (
        client_for(counsellor_ro)
        .get(reverse("reintegration:agreement_pdf", args=[case.reference, plan.pk]))
        .status_code
        == 404
    )


def test_the_page_shows_the_ceiling_the_plans_and_the_remaining_balance(case: Case, counsellor_gr: User) -> None:
    ready_plan(counsellor_gr, case, "1200", "300")
    html = text(client_for(counsellor_gr).get(page(case)))
    assert '<dd class="col-sm-8" id="plan-ceiling">3500.00 EUR' in html
    assert re.search(r'id="plan-committed">1500.00 EUR', html)
    assert re.search(r'id="plan-remaining"><strong class="">2000.00 EUR</strong>', html)
    assert "ceiling per family" in html
    assert "Household items" in html
    assert "in kind only" in html
    assert "Start a plan" not in html  # the household has its plan


def test_individual_plans_are_offered_for_the_members_without_one(case: Case, counsellor_gr: User) -> None:
    imran = case.members.get(person__given_names="Imran")
    ready_plan(counsellor_gr, case, member=imran)
    html = text(client_for(counsellor_gr).get(page(case)))
    form = html[html.index("Start a plan") :]
    assert "Ayesha Khan" in form
    assert "Imran Khan" not in form
    assert "the whole household" not in form


def test_a_counsellor_starts_a_plan_and_adds_a_component_but_does_not_approve(case: Case, counsellor_gr: User) -> None:
    client = client_for(counsellor_gr)
    response = client.post(page(case), {"new-member": ""})
    plan = Plan.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#plan-{plan.pk}")
    html = text(client.get(page(case)))
    assert "Add a component" in html
    assert "Approve the plan" not in html
    # In kind only: the form does not offer cash at all.
    assert 'value="cash"' not in html
    response = client.post(reverse("reintegration:component_add", args=[case.reference, plan.pk]), {
        f"add-{plan.pk}-kind": "vocational_training", f"add-{plan.pk}-budget": "900",
        f"add-{plan.pk}-delivery": "in_kind", f"add-{plan.pk}-description": "Welding course",
    })  # fmt: skip
    assert response.status_code == 302
    assert plan.components.get().budget == 900
    response = client.post(reverse("reintegration:plan_approve", args=[case.reference, plan.pk]), {})
    assert response.status_code == 403


def test_a_refused_component_is_shown_with_its_error(returned: Case, reintegration_pk: User) -> None:
    plan = ready_plan(reintegration_pk, returned)
    response = client_for(reintegration_pk).post(
        reverse("reintegration:component_add", args=[returned.reference, plan.pk]),
        {f"add-{plan.pk}-kind": "micro_business", f"add-{plan.pk}-budget": "900", f"add-{plan.pk}-delivery": "in_kind"},
    )
    assert response.status_code == 200
    assert "A micro-business needs its short business plan" in text(response)
    assert not plan.components.exists()


def test_the_override_field_appears_when_the_plan_is_over_the_ceiling(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    plan = ready_plan(counsellor_gr, case, "3000")
    client = client_for(supervisor_gr)
    html = text(client.get(page(case)))
    assert "Approve the plan" in html
    assert f'name="approve-{plan.pk}-override_reason"' not in html
    component(counsellor_gr, plan, "600")
    html = text(client.get(page(case)))
    assert f'name="approve-{plan.pk}-override_reason"' in html
    url = reverse("reintegration:plan_approve", args=[case.reference, plan.pk])
    refused = client.post(url, {f"approve-{plan.pk}-note": "ok"})
    assert refused.status_code == 200
    assert "above its ceiling of 3500.00 EUR" in text(refused)
    assert client.post(url, {f"approve-{plan.pk}-override_reason": "Wheelchair-accessible workshop"}).status_code == 302
    assert ledger.figures(line(prog, "reintegration")).committed == 3600
    html = text(client.get(page(case)))
    assert "Wheelchair-accessible workshop" in html
    assert "over the ceiling" in html


def test_the_origin_mission_delivers_from_the_page_and_the_host_may_not(
    returned: Case, reintegration_pk: User, supervisor_pk: User, counsellor_gr: User
) -> None:
    plan = services.plan_approve(acting_user=supervisor_pk, plan=ready_plan(reintegration_pk, returned, "1000"))
    item = plan.components.get()
    origin = client_for(reintegration_pk)
    html = text(origin.get(page(returned)))
    assert "Start delivery" in html
    assert ">Delivered</button>" in html
    assert "Start delivery" not in text(client_for(counsellor_gr).get(page(returned)))
    deliver = reverse("reintegration:component_action", args=[item.pk, "deliver"])
    assert client_for(counsellor_gr).post(deliver, {}).status_code == 403
    assert origin.post(reverse("reintegration:component_action", args=[item.pk, "start"]), {}).status_code == 302
    response = origin.post(deliver, {"next": "component"})
    assert response["Location"] == reverse("reintegration:component", args=[item.pk])
    assert Component.objects.get(pk=item.pk).status == Component.Status.DELIVERED
    html = text(origin.get(response["Location"]))
    assert "delivered" in html
    assert "1000.00 EUR" in html


def test_cancelling_from_the_page_needs_a_reason_and_releases_the_money(
    returned: Case, reintegration_pk: User, supervisor_pk: User, prog: Programme
) -> None:
    plan = services.plan_approve(acting_user=supervisor_pk, plan=ready_plan(reintegration_pk, returned, "1000"))
    item = plan.components.get()
    cancel = reverse("reintegration:component_action", args=[item.pk, "cancel"])
    assert client_for(reintegration_pk).post(cancel, {"reason": "no longer needed"}).status_code == 403
    client = client_for(supervisor_pk)
    response = client.post(cancel, {"reason": ""}, follow=True)
    assert "Say why the component is cancelled." in text(response)
    client.post(cancel, {"reason": "moved to Karachi"})
    assert Component.objects.get(pk=item.pk).status == Component.Status.CANCELLED
    assert ledger.figures(line(prog, "reintegration")).committed == 0


def test_a_planned_component_is_changed_on_its_page(
    case: Case, counsellor_gr: User, viewer: User, movement_gr: User
) -> None:
    item = component(counsellor_gr, ready_plan(counsellor_gr, case), "400")
    url = reverse("reintegration:component", args=[item.pk])
    assert "Change the component" not in text(client_for(movement_gr).get(url))
    assert client_for(movement_gr).post(url, {"kind": "schooling", "budget": "1"}).status_code == 403
    assert client_for(viewer).get(url).status_code == 404  # a programme viewer sees no case
    response = client_for(counsellor_gr).post(url, {"kind": "schooling", "budget": "450", "delivery": "in_kind"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.budget) == ("schooling", 450)


def test_the_agreement_is_downloaded_uploaded_signed_and_served_only_as_checked(
    case: Case, counsellor_gr: User, supervisor_gr: User
) -> None:
    plan = services.plan_approve(acting_user=supervisor_gr, plan=ready_plan(counsellor_gr, case, "100"))
    client = client_for(counsellor_gr)
    response = client.get(reverse("reintegration:agreement_pdf", args=[case.reference, plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    url = reverse("reintegration:agreement_upload", args=[case.reference, plan.pk])
    signed = timezone.localdate().isoformat()
    refused = client.post(url, {f"agreement-{plan.pk}-file": upload(HTML_PAGE, "agreement.pdf"),
                                f"agreement-{plan.pk}-signed_on": signed})  # fmt: skip
    assert "Only PDF, JPEG or PNG files can be uploaded" in text(refused)
    assert (
        client.post(
            url, {f"agreement-{plan.pk}-file": upload(pdf()), f"agreement-{plan.pk}-signed_on": signed}
        ).status_code
        == 302
    )
    plan.refresh_from_db()
    assert (plan.agreement_signed_on.isoformat(), plan.agreement_language) == (signed, "en")
    scan = client.get(reverse("reintegration:agreement_scan", args=[case.reference, plan.pk]))
    assert scan["Content-Type"] == "application/pdf"
    assert b"".join(scan.streaming_content).startswith(b"%PDF")


def test_the_case_page_card_shows_the_plan_totals_ceiling_remaining_and_deadlines(
    case: Case, counsellor_gr: User
) -> None:
    ready_plan(counsellor_gr, case, "1000")
    html = text(client_for(counsellor_gr).get(reverse("cases:detail", args=[case.reference])))
    card = html[html.index('id="reintegration"') :]
    card = card[: card.index("</section>")]
    assert "Reintegration plan" in card
    assert "1000.00 EUR" in card
    assert "3500.00 EUR" in card
    assert "2500.00 EUR" in card
    assert "Deliver the components by" in card
    assert reverse("reintegration:case_plans", args=[case.reference]) in card


def test_a_case_without_reintegration_shows_no_card(case_gr: Case, counsellor_gr: User) -> None:
    html = text(client_for(counsellor_gr).get(reverse("cases:detail", args=[case_gr.reference])))
    assert 'id="reintegration"' not in html


def test_the_plan_page_reads_the_same_number_of_queries_however_many_components(
    case: Case, counsellor_gr: User, supervisor_gr: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = ready_plan(counsellor_gr, case, "100", "100")
    client = client_for(supervisor_gr)
    client.get(page(case))  # warm the caches (session, translations)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(case)).status_code == 200
        return len(queries)

    few = counted()
    for _n in range(5):
        component(counsellor_gr, plan, "10")
    assert counted() == few
