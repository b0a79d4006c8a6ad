"""The monitoring page, its forms, the photo download and the case card: what each role sees and may do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.monitoring import services
from homeward.monitoring.models import Visit, VisitFinding, VisitPhoto
from homeward.work.models import Task
from tests.monitoring.conftest import PDF, client_for, plan_with_components, png

pytestmark = pytest.mark.django_db


def page(case: Case) -> str:
    return reverse("monitoring:case_monitoring", args=[case.reference])


def html_of(user: User, case: Case) -> str:
    response = client_for(user).get(page(case))
    assert response.status_code == 200
    return response.content.decode()


def planned(case: Case) -> list[Visit]:
    return list(Visit.objects.filter(case=case, status="planned").order_by("scheduled_for"))


def test_the_schedule_shows_each_visit_and_highlights_the_overdue_one(returned: Case, reintegration_pk: User) -> None:
    first = planned(returned)[0]
    Visit.objects.filter(pk=first.pk).update(scheduled_for=timezone.localdate() - dt.timedelta(days=2))
    html = html_of(reintegration_pk, returned)
    assert html.count('class="visit-row') == 3
    assert f'id="visit-{first.pk}" class="visit-row table-danger" data-status="planned" data-overdue="true"' in html
    assert "visits at 3, 6, 12 months after arrival" in html
    assert "visit at 6 months" in html


def test_an_me_officer_records_the_3_month_visit_with_a_findings_row_per_component(
    returned: Case, reintegration_pk: User, me_pk: User
) -> None:
    shop, course = plan_with_components(returned, reintegration_pk)
    visit = planned(returned)[0]
    html = html_of(me_pk, returned)
    assert f'data-component="{shop.pk}"' in html
    assert f'data-component="{course.pk}"' in html
    response = client_for(me_pk).post(reverse("monitoring:record", args=[returned.reference]), {
        "record-visit": str(visit.pk), "record-visited_on": timezone.localdate().isoformat(),
        "record-mode": "business", "record-met": "Imran", "record-findings": "The shop is open.",
        "record-risks": "", "record-follow_up": "", "record-caption": "the counter",
        "record-photos": [png()],
        f"c{shop.pk}-delivered": "yes", f"c{shop.pk}-in_use": "yes", f"c{shop.pk}-business_running": "yes",
        f"c{course.pk}-delivered": "", f"c{course.pk}-business_running": "n/a",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == page(returned) + f"#visit-{visit.pk}"
    visit.refresh_from_db()
    assert (visit.status, visit.visited_by) == ("done", me_pk)
    # The row left at "not checked" says nothing about the course.
    assert list(VisitFinding.objects.values_list("component_id", "delivered", "business_running")) == [
        (shop.pk, "yes", "yes")
    ]
    photo = VisitPhoto.objects.get()
    html = html_of(me_pk, returned)
    assert "The shop is open." in html
    assert 'class="component-finding"' in html
    assert reverse("monitoring:photo", args=[photo.pk]) in html
    assert Task.objects.get(subject_key=f"visit:{visit.pk}").status == "done"


def test_errors_show_in_the_record_form_and_nothing_is_saved(returned: Case, reintegration_pk: User) -> None:
    response = client_for(reintegration_pk).post(reverse("monitoring:record", args=[returned.reference]), {
        "record-visit": str(planned(returned)[0].pk), "record-visited_on": "2099-01-01", "record-mode": "home",
        "record-photos": [png("scan.png", PDF)],
    })  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "The date of the visit cannot be in the future." in html
    assert "A photo is a JPEG or PNG image." in html
    assert len(planned(returned)) == 3


def test_a_visit_is_recorded_missed_from_the_page(returned: Case, reintegration_pk: User) -> None:
    visit = planned(returned)[0]
    response = client_for(reintegration_pk).post(
        reverse("monitoring:missed", args=[visit.pk]), {f"missed{visit.pk}-note": "nobody at home"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "missed"


def test_photos_are_served_only_to_who_may_see_the_case(
    returned: Case, reintegration_pk: User, counsellor_gr: User, counsellor_ro: User, viewer: User
) -> None:
    visit = services.visit_record(acting_user=reintegration_pk, visit=planned(returned)[0],
                                  visited_on=timezone.localdate(), mode="home",
                                  photos=[services.PhotoInput(png())])  # fmt: skip
    photo = visit.photos.get()
    url = reverse("monitoring:photo", args=[photo.pk])
    for allowed in (reintegration_pk, counsellor_gr):
        response = client_for(allowed).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    for outsider in (counsellor_ro, viewer):
        assert client_for(outsider).get(url).status_code == 404
    anonymous = client_for(reintegration_pk)
    anonymous.logout()
    assert anonymous.get(url).status_code == 302  # to the sign-in page


def test_the_page_is_404_for_an_invisible_case_and_actions_403_for_a_role_that_may_not(
    returned: Case, counsellor_ro: User, counsellor_gr: User, reintegration_pk: User
) -> None:
    assert client_for(counsellor_ro).get(page(returned)).status_code == 404
    assert client_for(counsellor_ro).post(reverse("monitoring:record", args=[returned.reference])).status_code == 404
    visit = planned(returned)[0]
    assert client_for(counsellor_ro).post(reverse("monitoring:missed", args=[visit.pk])).status_code == 404
    # The host's counsellor sees the page, records nothing and closes nothing.
    html = html_of(counsellor_gr, returned)
    assert 'id="record"' not in html
    assert 'id="close"' not in html
    assert client_for(counsellor_gr).post(reverse("monitoring:record", args=[returned.reference])).status_code == 403
    assert client_for(counsellor_gr).post(reverse("monitoring:missed", args=[visit.pk])).status_code == 403
    closing = client_for(reintegration_pk).post(reverse("monitoring:close", args=[returned.reference]),
                                                {"close-reason": "other", "close-summary": "x"})  # fmt: skip
    assert closing.status_code == 403


def test_a_supervisor_closes_the_case_from_the_page(returned: Case, supervisor_gr: User) -> None:
    html = html_of(supervisor_gr, returned)
    assert 'id="close"' in html
    assert 'value="stops_participating"' in html
    url = reverse("monitoring:close", args=[returned.reference])
    response = client_for(supervisor_gr).post(url, {"close-reason": "", "close-summary": ""})
    assert response.status_code == 400
    response = client_for(supervisor_gr).post(
        url, {"close-reason": "support_ended", "close-summary": "Twelve months of support completed."}
    )
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == "closed"
    html = html_of(supervisor_gr, returned)
    assert "Closed: support period ended" in html
    assert "Twelve months of support completed." in html
    assert 'id="close"' not in html
    assert html.count('data-status="cancelled"') == 3


def test_the_case_card_shows_the_next_visit_the_visits_done_and_the_closure(
    returned: Case, reintegration_pk: User, supervisor_gr: User
) -> None:
    first, second, _third = planned(returned)
    services.visit_record(acting_user=reintegration_pk, visit=first, visited_on=timezone.localdate(), mode="video")
    response = client_for(reintegration_pk).get(reverse("cases:detail", args=[returned.reference]))
    html = response.content.decode()
    assert 'id="monitoring-panel"' in html
    assert "Next visit: visit at 6 months" in html
    assert "1 visit done" in html
    services.case_close(acting_user=supervisor_gr, case=returned, reason="died", summary="Passed away.")
    html = client_for(reintegration_pk).get(reverse("cases:detail", args=[returned.reference])).content.decode()
    assert "returnee died" in html
    assert "Next visit" not in html
    second.refresh_from_db()
    assert second.status == "cancelled"


def test_the_monitoring_page_reads_visits_in_a_fixed_number_of_queries(returned: Case, reintegration_pk: User) -> None:
    plan_with_components(returned, reintegration_pk)
    for visit in planned(returned)[:2]:
        services.visit_record(acting_user=reintegration_pk, visit=visit, visited_on=timezone.localdate(),
                              mode="home", photos=[services.PhotoInput(png())])  # fmt: skip
    client = client_for(reintegration_pk)
    client.get(page(returned))
    with CaptureQueriesContext(connection) as two:
        client.get(page(returned))
    services.visit_record(acting_user=reintegration_pk, visit=planned(returned)[0], visited_on=timezone.localdate(),
                          mode="home", photos=[services.PhotoInput(png())])  # fmt: skip
    with CaptureQueriesContext(connection) as three:
        client.get(page(returned))
    assert len(three) == len(two)
