"""Pre-departure activities: setting one up, enrolment (places, twice, missions), attendance, completion;
the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.activities import services
from homeward.activities.models import Activity, Attendance, Enrolment
from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.core.errors import ServiceError
from tests.api.conftest import ApiClient, make_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def supervisor_ro(ro: Mission) -> User:
    return UserFactory(username="supervisor.ro", roles=[(ro, Role.CASE_SUPERVISOR)])


@pytest.fixture
def course(supervisor_ro: User, ro: Mission) -> Activity:
    """A ten-day tailoring course in Bucharest that started three days ago, with two places."""
    return services.activity_create(
        acting_user=supervisor_ro, mission=ro, title="Tailoring", kind="vocational", place="Bucharest",
        starts_on=TODAY() - dt.timedelta(days=3), ends_on=TODAY() + dt.timedelta(days=6), capacity=2,
    )  # fmt: skip


def member(case: Case, given: str) -> CaseMember:
    return case.members.select_related("person").get(person__given_names=given)


def enrol(user: User, activity: Activity, case: Case, given: str) -> Enrolment:
    return services.enrol(acting_user=user, activity=activity, member=member(case, given))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# ---------------------------------------------------------------- setting up


def test_a_counsellor_cannot_set_up_an_activity_but_an_administrator_can(counsellor_ro: User, ro: Mission) -> None:
    data = {"mission": ro, "title": "Romanian A1", "kind": "language",
            "starts_on": TODAY(), "ends_on": TODAY() + dt.timedelta(days=30)}  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.activity_create(acting_user=counsellor_ro, **data)  # type: ignore[arg-type]
    admin = UserFactory(username="admin.ro", roles=[(ro, Role.ADMINISTRATOR)])
    assert services.activity_create(acting_user=admin, **data).title == "Romanian A1"  # type: ignore[arg-type]


def test_an_activity_ending_before_it_starts_is_refused_at_its_field(supervisor_ro: User, ro: Mission) -> None:
    with pytest.raises(ServiceError) as error:
        services.activity_create(
            acting_user=supervisor_ro, mission=ro, title="", kind="workshop", starts_on=TODAY(),
            ends_on=TODAY() - dt.timedelta(days=1), capacity=0,
        )  # fmt: skip
    assert set(error.value.fields) >= {"ends_on", "title", "capacity"}
    assert not Activity.objects.exists()


# ---------------------------------------------------------------- enrolment


def test_enrolment_stops_at_capacity_and_a_drop_out_frees_a_place(
    course: Activity, counsellor_ro: User, case_ro: Case
) -> None:
    first = enrol(counsellor_ro, course, case_ro, "Imran")
    enrol(counsellor_ro, course, case_ro, "Ayesha")
    with pytest.raises(ServiceError) as error:
        enrol(counsellor_ro, course, case_ro, "Sana")
    assert "all 2 places are taken" in error.value.fields["activity"][0]
    services.enrolment_drop(acting_user=counsellor_ro, enrolment=first)
    assert enrol(counsellor_ro, course, case_ro, "Sana").status == "enrolled"


def test_a_member_is_not_enrolled_twice(course: Activity, counsellor_ro: User, case_ro: Case) -> None:
    enrol(counsellor_ro, course, case_ro, "Imran")
    with pytest.raises(ServiceError) as error:
        enrol(counsellor_ro, course, case_ro, "Imran")
    assert "already enrolled" in error.value.fields["member"][0]
    assert Enrolment.objects.count() == 1


def test_a_case_of_another_mission_is_not_enrolled(
    course: Activity, counsellor_gr: User, case_gr: Case, counsellor_ro: User
) -> None:
    with pytest.raises(PermissionDenied):
        enrol(counsellor_ro, course, case_gr, "Imran")
    with pytest.raises(ServiceError) as error:
        enrol(counsellor_gr, course, case_gr, "Imran")
    assert "activity" in error.value.fields


def test_a_departed_case_is_not_enrolled(course: Activity, counsellor_ro: User, case_ro: Case) -> None:
    Case.objects.filter(pk=case_ro.pk).update(status=CaseStatus.DEPARTED)
    case_ro.refresh_from_db()
    with pytest.raises(ServiceError, match="before departure"):
        enrol(counsellor_ro, course, case_ro, "Imran")


# ---------------------------------------------------------------- attendance and completion


def test_attendance_is_taken_for_everyone_at_once_and_corrected_by_taking_it_again(
    course: Activity, counsellor_ro: User, case_ro: Case
) -> None:
    imran, ayesha = enrol(counsellor_ro, course, case_ro, "Imran"), enrol(counsellor_ro, course, case_ro, "Ayesha")
    services.attendance_record(acting_user=counsellor_ro, activity=course, on=TODAY(), present=[imran.pk])
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {imran.pk: True, ayesha.pk: False}
    services.attendance_record(acting_user=counsellor_ro, activity=course, on=TODAY(), present=[imran.pk, ayesha.pk])
    assert Attendance.objects.filter(present=True).count() == 2
    assert Attendance.objects.count() == 2


def test_attendance_outside_the_activitys_dates_is_refused(
    course: Activity, counsellor_ro: User, case_ro: Case
) -> None:
    imran = enrol(counsellor_ro, course, case_ro, "Imran")
    with pytest.raises(ServiceError) as error:
        services.attendance_record(
            acting_user=counsellor_ro, activity=course, on=course.starts_on - dt.timedelta(days=1), present=[imran.pk]
        )
    assert "choose a day within" in error.value.fields["on"][0]
    with pytest.raises(ServiceError) as error:
        services.attendance_record(acting_user=counsellor_ro, activity=course, on=TODAY(), present=[99999])
    assert "present" in error.value.fields
    assert not Attendance.objects.exists()


def test_completion_is_recorded_once_with_the_certificate(course: Activity, counsellor_ro: User, case_ro: Case) -> None:
    imran = enrol(counsellor_ro, course, case_ro, "Imran")
    with pytest.raises(ServiceError) as error:
        services.enrolment_complete(
            acting_user=counsellor_ro, enrolment=imran, completed_on=course.starts_on - dt.timedelta(days=1)
        )
    assert "completed_on" in error.value.fields
    done = services.enrolment_complete(
        acting_user=counsellor_ro, enrolment=imran, completed_on=TODAY(), certificate_note="certificate no. 17"
    )
    assert (done.status, done.completed_on, done.certificate_note) == ("completed", TODAY(), "certificate no. 17")
    with pytest.raises(ServiceError, match="nothing to complete"):
        services.enrolment_complete(acting_user=counsellor_ro, enrolment=imran, completed_on=TODAY())


# ---------------------------------------------------------------- pages and API


def test_the_activity_page_shows_the_grid_and_the_sheet_saves_without_javascript(
    course: Activity, counsellor_ro: User, case_ro: Case
) -> None:
    imran = enrol(counsellor_ro, course, case_ro, "Imran")
    client = client_for(counsellor_ro)
    url = reverse("activities:attendance", args=[course.pk])
    response = client.post(url, {"on": TODAY().isoformat(), "present": [imran.pk], f"note-{imran.pk}": "late"})
    assert response.status_code == 302
    html = client.get(reverse("activities:detail", args=[course.pk])).content.decode()
    assert 'id="attendance-grid"' in html
    assert "Imran Popal" in html
    assert "✓" in html
    outside = client.post(url, {"on": (course.ends_on + dt.timedelta(days=1)).isoformat(), "present": [imran.pk]})
    assert outside.status_code == 400
    assert "choose a day within" in outside.content.decode()
    assert Attendance.objects.get().note == "late"


def test_a_member_is_enrolled_from_the_case_page(course: Activity, counsellor_ro: User, case_ro: Case) -> None:
    client = client_for(counsellor_ro)
    html = client.get(reverse("cases:detail", args=[case_ro.reference])).content.decode()
    assert 'id="activities-panel"' in html
    assert "Tailoring" in html
    response = client.post(reverse("activities:enrol", args=[case_ro.reference]),
                           {"enrol-activity": course.pk, "enrol-member": member(case_ro, "Sana").pk})  # fmt: skip
    assert response.status_code == 302
    assert Enrolment.objects.get().member == member(case_ro, "Sana")


def test_the_list_and_the_menu_are_for_those_who_read_cases(
    course: Activity, counsellor_ro: User, counsellor_gr: User, viewer: User
) -> None:
    html = client_for(counsellor_ro).get(reverse("activities:list")).content.decode()
    assert "Tailoring" in html
    assert '<a class="nav-link" href="/activities/">Activities</a>' in html
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = viewer
    assert Template("{% load activities_tags %}{% activities_nav %}").render(Context({"request": request})) == ""
    assert "Tailoring" not in client_for(counsellor_gr).get(reverse("activities:list")).content.decode()
    assert client_for(counsellor_gr).get(reverse("activities:detail", args=[course.pk])).status_code == 404
    assert client_for(viewer).get(reverse("activities:list")).status_code == 403


def test_the_api_lists_activities_and_shows_enrolments_of_visible_cases(
    course: Activity, counsellor_ro: User, counsellor_gr: User, case_ro: Case
) -> None:
    enrol(counsellor_ro, course, case_ro, "Imran")
    ro_api, gr_api = ApiClient(make_token(counsellor_ro)), ApiClient(make_token(counsellor_gr))
    assert [a["title"] for a in ro_api.get("/activities").json()] == ["Tailoring"]
    assert ro_api.get("/activities").json()[0]["taken"] == 1
    body = ro_api.get(f"/activities/{course.pk}").json()
    assert body["enrolments"][0]["name"] == "Imran Popal"
    assert body["enrolments"][0]["status"] == "enrolled"
    assert gr_api.get("/activities").json() == []
    assert gr_api.get(f"/activities/{course.pk}").status_code == 404
