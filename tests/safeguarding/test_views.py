"""The checklist page, the case page's panel and the evidence download, as each role sees them."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.safeguarding import services
from homeward.safeguarding.models import ChecklistItem
from tests.counselling.uploads import HTML_PAGE, png, upload
from tests.safeguarding.conftest import member

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(case: Case) -> str:
    return reverse("safeguarding:checklist", args=[case.reference])


def target(case: Case, who: str, vulnerability: str, item: str) -> str:
    return f"{member(case, who).pk}:{vulnerability}:{item}"


def recorded(user: User, case: Case, who: str, vulnerability: str, item: str, **extra: object) -> ChecklistItem:
    return services.item_record(
        acting_user=user, case=case, member=member(case, who), vulnerability=vulnerability, item=item,
        done_on=timezone.localdate(), evidence="Doctor's certificate, 3 March.", **extra,
    )  # fmt: skip


def test_a_counsellor_sees_every_item_with_who_when_and_evidence(counsellor_gr: User, case: Case) -> None:
    recorded(counsellor_gr, case, "Imran", "trafficking", "safe_return_assessment")
    body = client_for(counsellor_gr).get(url(case)).content.decode()
    assert "victim of trafficking" in body
    assert "risk and safe-return assessment" in body
    assert "Doctor&#x27;s certificate, 3 March." in body
    assert "recorded by" in body
    assert "hidden-missing" not in body
    assert "5 items missing" in body


def test_a_movement_officer_sees_medical_items_and_a_count_of_the_others(movement_gr: User, case: Case) -> None:
    body = client_for(movement_gr).get(url(case)).content.decode()
    assert "medical fit-to-travel" in body
    assert "2 items you may not see are missing" in body
    assert "trafficking" not in body
    assert "safe-return" not in body
    assert "specialised referral" not in body


def test_a_movement_officer_records_a_medical_item_on_the_page(
    movement_gr: User, case: Case, private_files: Path
) -> None:
    client = client_for(movement_gr)
    page = client.get(url(case) + "?item=" + target(case, "Imran", "health_needs", "fit_to_travel"))
    assert "selected>Imran Khan — health needs: medical fit-to-travel" in page.content.decode()
    response = client.post(url(case), {
        "target": target(case, "Imran", "health_needs", "fit_to_travel"),
        "done_on": timezone.localdate().isoformat(),
        "evidence": "Fit to fly, Dr Papadopoulos.",
        "evidence_file": upload(png(), "fit.png", "image/png"),
    })  # fmt: skip
    assert response.status_code == 302
    item = ChecklistItem.objects.get(item="fit_to_travel")
    assert item.done_by == movement_gr
    assert item.evidence_content_type == "image/png"


def test_posting_a_hidden_item_is_forbidden(movement_gr: User, case: Case) -> None:
    response = client_for(movement_gr).post(url(case), {
        "target": target(case, "Imran", "trafficking", "safe_return_assessment"),
        "done_on": timezone.localdate().isoformat(),
        "evidence": "x",
    })  # fmt: skip
    assert response.status_code == 403
    assert not ChecklistItem.objects.exists()


def test_a_refused_item_shows_the_reason(counsellor_gr: User, case: Case) -> None:
    response = client_for(counsellor_gr).post(url(case), {
        "target": target(case, "Imran", "health_needs", "fit_to_travel"),
        "done_on": timezone.localdate().isoformat(),
        "evidence": "scan attached",
        "evidence_file": upload(HTML_PAGE, "fit.pdf"),
    })  # fmt: skip
    assert response.status_code == 200
    assert "Only PDF, JPEG or PNG files can be uploaded" in response.content.decode()
    assert not ChecklistItem.objects.exists()


def test_a_finance_officer_reads_but_cannot_record(finance_gr: User, case: Case) -> None:
    client = client_for(finance_gr)
    page = client.get(url(case)).content.decode()
    assert 'id="record"' not in page
    response = client.post(url(case), {"target": target(case, "Ayesha", "single_parent", "travel_assistance_needs")})
    assert response.status_code == 403


def test_the_page_is_404_for_another_mission(counsellor_ro: User, case: Case) -> None:
    assert client_for(counsellor_ro).get(url(case)).status_code == 404


def test_the_evidence_file_is_served_privately_to_who_may_see_it(
    counsellor_gr: User, movement_gr: User, counsellor_ro: User, case: Case
) -> None:
    medical = recorded(counsellor_gr, case, "Imran", "health_needs", "fit_to_travel",
                       evidence_file=upload(png(), "fit.pdf"))  # fmt: skip
    protection = recorded(counsellor_gr, case, "Imran", "trafficking", "specialised_referral",
                          evidence_file=upload(png(), "referral.png"))  # fmt: skip

    def evidence(user: User, item: ChecklistItem) -> object:
        return client_for(user).get(reverse("safeguarding:evidence", args=[case.reference, item.pk]))

    response = evidence(movement_gr, medical)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert evidence(movement_gr, protection).status_code == 404
    assert evidence(counsellor_gr, protection).status_code == 200
    assert evidence(counsellor_ro, medical).status_code == 404


def test_a_supervisor_removes_an_item_from_the_page(counsellor_gr: User, supervisor_gr: User, case: Case) -> None:
    item = recorded(counsellor_gr, case, "Imran", "health_needs", "fit_to_travel")
    remove = reverse("safeguarding:remove", args=[case.reference, item.pk])
    assert client_for(counsellor_gr).post(remove).status_code == 403
    assert "remove (recorded by mistake)" in client_for(supervisor_gr).get(url(case)).content.decode()
    assert client_for(supervisor_gr).post(remove).status_code == 302
    assert not ChecklistItem.objects.filter(pk=item.pk).exists()


def test_a_hidden_item_cannot_be_removed_by_who_may_not_see_it(
    counsellor_gr: User, movement_gr: User, case: Case
) -> None:
    item = recorded(counsellor_gr, case, "Imran", "trafficking", "specialised_referral")
    response = client_for(movement_gr).post(reverse("safeguarding:remove", args=[case.reference, item.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- the case page's panel


def panel(user: User, case: Case) -> str:
    request = RequestFactory().get(reverse("cases:detail", args=[case.reference]))
    request.user = user
    return Template("{% load safeguarding_panels %}{% safeguarding_panel case %}").render(
        RequestContext(request, {"case": case})
    )


def test_the_panel_counts_what_the_user_may_see_and_how_many_others_are_missing(
    movement_gr: User, counsellor_gr: User, case: Case
) -> None:
    recorded(counsellor_gr, case, "Imran", "health_needs", "fit_to_travel")
    html = panel(movement_gr, case)
    assert 'id="safeguarding-missing">3 / 4<' in html
    assert "2 items you may not see are missing." in html
    assert reverse("safeguarding:checklist", args=[case.reference]) in html
    assert 'id="safeguarding-missing">5 / 6<' in panel(counsellor_gr, case)
    assert "may not see" not in panel(counsellor_gr, case)


def test_the_panel_says_complete(counsellor_gr: User, case: Case) -> None:
    from homeward.safeguarding.selectors import missing_items

    for r in missing_items(case):
        services.item_record(acting_user=counsellor_gr, case=case, member=r.member, vulnerability=r.vulnerability,
                             item=r.item, done_on=timezone.localdate(), evidence="on file")  # fmt: skip
    assert "complete" in panel(counsellor_gr, case)


def test_no_panel_without_checklist_items(counsellor_gr: User, case_gr: Case) -> None:
    assert panel(counsellor_gr, case_gr).strip() == ""


def test_the_case_page_has_the_panel(counsellor_gr: User, case: Case) -> None:
    body = client_for(counsellor_gr).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'id="safeguarding"' in body


def test_the_checklist_page_does_not_query_per_item(counsellor_gr: User, case: Case) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.safeguarding.conftest import give

    client = client_for(counsellor_gr)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(case)).status_code == 200
        return len(captured)

    recorded(counsellor_gr, case, "Imran", "health_needs", "fit_to_travel")
    few = count()
    give(member(case, "Ayesha"), "pregnant")
    for item in ("escort_decision", "continuity_of_care"):
        recorded(counsellor_gr, case, "Imran", "health_needs", item)
    recorded(counsellor_gr, case, "Ayesha", "pregnant", "fit_to_travel")
    assert count() == few
