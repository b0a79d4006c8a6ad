"""The schedule planned on arrival, visits recorded or missed, photos, and the closure: the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case, Transition
from homeward.core.errors import ServiceError
from homeward.monitoring import services
from homeward.monitoring.models import Closure, Visit, VisitFinding, VisitPhoto
from homeward.programmes.models import Programme
from homeward.reintegration.rules import add_months
from homeward.work.models import Task
from tests import journey
from tests.factories import family_of_three, register_case
from tests.money import entitled, money_programme
from tests.monitoring.conftest import (
    JPEG,
    PDF,
    S,
    arrive,
    days_ago,
    plan_with_components,
    png,
    with_schedule,
)

pytestmark = pytest.mark.django_db
F = services.FindingInput


def visit_tasks(case: Case, status: str = "open") -> list[Task]:
    return list(Task.objects.filter(case=case, kind="monitoring_visit", status=status).order_by("due_at"))


def first_visit(case: Case) -> Visit:
    return Visit.objects.filter(case=case, status="planned").order_by("scheduled_for").first()  # type: ignore[return-value]


def record(user: User, visit: Visit, **kw: object) -> Visit:
    kw.setdefault("visited_on", timezone.localdate())
    kw.setdefault("mode", "home")
    return services.visit_record(acting_user=user, visit=visit, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the schedule


def test_arrival_plans_the_programmes_visits_with_a_task_for_the_origin_mission(returned: Case, pk: Mission) -> None:
    today = timezone.localdate()
    visits = list(Visit.objects.filter(case=returned).order_by("scheduled_for"))
    assert [(v.months_after, v.scheduled_for, v.status) for v in visits] == [
        (3, add_months(today, 3), "planned"),
        (6, add_months(today, 6), "planned"),
        (12, add_months(today, 12), "planned"),
    ]
    tasks = visit_tasks(returned)
    assert [(t.mission, t.role, t.assignee, t.subject, t.subject_key) for t in tasks] == [
        (pk, Role.REINTEGRATION_OFFICER, None, f"visit at {v.months_after} months", f"visit:{v.pk}") for v in visits
    ]
    assert [timezone.localtime(t.due_at).date() for t in tasks] == [v.scheduled_for for v in visits]


def test_no_first_monitoring_visit_task_comes_from_the_workflow_any_more(returned: Case) -> None:
    assert not Task.objects.filter(case=returned, kind="first_monitoring_visit").exists()


def test_a_programme_without_a_schedule_plans_no_visit(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, pk: Mission, gr: Mission
) -> None:
    case = entitled(case_gr, counsellor_gr, money_programme(code="GR/NONE"))
    journey.referred(case, supervisor_gr, pk)
    arrive(case, reintegration_pk)
    assert not Visit.objects.filter(case=case).exists()
    assert visit_tasks(case) == []


def test_the_schedule_in_force_on_the_arrival_date_applies(case: Case, programme: Programme) -> None:
    """A later rule version changes the schedule only for returns from its date."""
    version = programme.rule_versions.get()
    later = dict(version.rules) | {"monitoring": {"visits_after_months": [1]}}
    programme.rule_versions.create(effective_from=dt.date(2031, 1, 1), rules=later)
    assert services.schedule_months(case, timezone.localdate()) == [3, 6, 12]
    assert services.schedule_months(case, dt.date(2031, 2, 1)) == [1]


def test_without_an_origin_mission_the_host_counsellor_stands_in(
    case: Case, movement_gr: User, counsellor_gr: User, gr: Mission
) -> None:
    arrive(case, movement_gr, note="the returnee phoned from Lahore", confirmed_by="traveller_contact")
    tasks = visit_tasks(case)
    assert len(tasks) == 3
    assert {(t.mission, t.role, t.assignee) for t in tasks} == {(gr, Role.COUNSELLOR, counsellor_gr)}
    # ...and may record the visit it stands in for.
    record(counsellor_gr, first_visit(case), mode="phone")
    assert len(visit_tasks(case)) == 2


def test_arriving_again_plans_nothing_twice(returned: Case, reintegration_pk: User) -> None:
    arrive(returned, reintegration_pk)
    assert Visit.objects.filter(case=returned).count() == 3
    assert len(visit_tasks(returned)) == 3


def test_a_case_reopened_after_closure_gets_its_cancelled_visits_planned_again(
    returned: Case, supervisor_gr: User, reintegration_pk: User
) -> None:
    done = record(reintegration_pk, first_visit(returned))
    services.case_close(acting_user=supervisor_gr, case=returned, reason="other", summary="closed by mistake")
    journey.move(returned, supervisor_gr, S.ARRIVED, "closed by mistake", confirmed_by="traveller_contact")
    statuses = sorted(Visit.objects.filter(case=returned).values_list("months_after", "status"))
    assert statuses == [(3, "done"), (6, "cancelled"), (6, "planned"), (12, "cancelled"), (12, "planned")]
    assert Visit.objects.get(pk=done.pk).status == "done"
    assert len(visit_tasks(returned)) == 2
    # Still counted from the real arrival, not from the reopening.
    first_arrival = Transition.objects.filter(case=returned, to_status=S.ARRIVED).earliest("at").at
    assert services.arrived_on(returned) == timezone.localdate(first_arrival)


# ---------------------------------------------------------------- recording a visit


def test_recording_the_3_month_visit_keeps_findings_per_component_and_closes_its_task(
    returned: Case, reintegration_pk: User, me_pk: User
) -> None:
    shop, course = plan_with_components(returned, reintegration_pk)
    visit = first_visit(returned)
    recorded = record(
        me_pk, visit, mode="business", met="Imran Khan and his wife", findings="The shop is open six days a week.",
        risks="Rent doubles next year.", follow_up="Connect with the microcredit NGO.",
        components=[F(shop.pk, "yes", "yes", "yes", "stock bought"), F(course.pk, "partly", "no", "n/a")],
        photos=[services.PhotoInput(png(), "the shop"), services.PhotoInput(png("s.jpg", JPEG, "image/jpeg"))],
    )  # fmt: skip
    recorded.refresh_from_db()
    assert (recorded.pk, recorded.status, recorded.mode, recorded.visited_by) == (visit.pk, "done", "business", me_pk)
    assert recorded.risks == "Rent doubles next year."
    findings = {f.component_id: (f.delivered, f.in_use, f.business_running, f.note)
                for f in VisitFinding.objects.filter(visit=visit)}  # fmt: skip
    assert findings == {shop.pk: ("yes", "yes", "yes", "stock bought"), course.pk: ("partly", "no", "n/a", "")}
    photos = list(VisitPhoto.objects.filter(visit=visit).order_by("pk"))
    assert [(p.content_type, p.caption, p.uploaded_by) for p in photos] == [
        ("image/png", "the shop", me_pk),
        ("image/jpeg", "", me_pk),
    ]
    assert photos[0].file.name.startswith(f"cases/{returned.pk}/")
    assert photos[0].file.name.endswith(".png")
    done = Task.objects.get(case=returned, subject_key=f"visit:{visit.pk}")
    assert (done.status, done.closed_by) == ("done", me_pk)
    assert len(visit_tasks(returned)) == 2


def test_a_visit_outside_the_schedule_is_recorded_without_a_task(returned: Case, reintegration_pk: User) -> None:
    visit = services.visit_record(acting_user=reintegration_pk, case=returned, visited_on=timezone.localdate(),
                                  mode="phone", findings="called after the flood")  # fmt: skip
    assert (visit.months_after, visit.scheduled_for, visit.status) == (None, None, "done")
    assert len(visit_tasks(returned)) == 3


def test_a_planned_visit_is_recorded_once(returned: Case, reintegration_pk: User) -> None:
    visit = first_visit(returned)
    record(reintegration_pk, visit)
    with pytest.raises(ServiceError, match="This visit is done"):
        record(reintegration_pk, visit)


@pytest.mark.parametrize(
    ("day", "message"),
    [(None, "Give the date"), (1, "cannot be in the future"), (-400, "cannot be before")],
)
def test_the_date_of_a_visit_is_between_arrival_and_today(
    returned: Case, reintegration_pk: User, day: int | None, message: str
) -> None:
    on = None if day is None else timezone.localdate() + dt.timedelta(days=day)
    with pytest.raises(ServiceError) as caught:
        record(reintegration_pk, first_visit(returned), visited_on=on)
    assert message in caught.value.fields["visited_on"][0]
    assert first_visit(returned).status == "planned"


def test_findings_are_about_the_cases_own_components_with_answers_from_the_lists(
    returned: Case, reintegration_pk: User, counsellor_gr: User, gr: Mission, supervisor_gr: User
) -> None:
    shop, _course = plan_with_components(returned, reintegration_pk)
    other = entitled(register_case(counsellor_gr, gr, family_of_three("Ahmadi"), counsellor=counsellor_gr),
                     counsellor_gr, returned.programme)  # fmt: skip
    foreign, _ = plan_with_components(other, supervisor_gr)
    rows = [F(foreign.pk, "yes"), F(shop.pk, "maybe"), F(shop.pk, "yes", in_use="often", business_running="soon")]
    with pytest.raises(ServiceError) as caught:
        record(reintegration_pk, first_visit(returned), components=rows, mode="by pigeon")
    fields = caught.value.fields
    assert fields["components.0"] == ["Choose a component of this case's plans."]
    assert "delivered: yes, partly or no" in fields["components.1"][0]
    assert len(fields["components.2"]) == 2
    assert fields["mode"] == ["Choose how the visit was made."]
    assert not VisitFinding.objects.exists()
    # The same component twice is refused too.
    with pytest.raises(ServiceError) as caught:
        record(reintegration_pk, first_visit(returned), components=[F(shop.pk, "yes"), F(shop.pk, "no")])
    assert caught.value.fields == {"components.1": ["This component is reported twice."]}


def test_a_photo_is_a_jpeg_or_png_by_its_content(returned: Case, reintegration_pk: User) -> None:
    photos = [
        services.PhotoInput(png("scan.png", PDF, "image/png")),  # a PDF called .png
        services.PhotoInput(png("notes.jpg", b"just some text", "image/jpeg")),
        services.PhotoInput(png()),
    ]
    with pytest.raises(ServiceError) as caught:
        record(reintegration_pk, first_visit(returned), photos=photos)
    assert caught.value.fields["photos.0"] == ["A photo is a JPEG or PNG image."]
    assert "Only PDF, JPEG or PNG" in caught.value.fields["photos.1"][0]
    assert "photos.2" not in caught.value.fields
    assert not VisitPhoto.objects.exists()
    assert first_visit(returned).months_after == 3  # nothing half-saved


@override_settings(UPLOAD_MAX_BYTES=50)
def test_a_photo_is_size_limited(returned: Case, reintegration_pk: User) -> None:
    with pytest.raises(ServiceError) as caught:
        record(reintegration_pk, first_visit(returned), photos=[services.PhotoInput(png())])
    assert "too large" in caught.value.fields["photos.0"][0]


def test_photos_are_added_to_a_visit_that_took_place_up_to_ten(returned: Case, reintegration_pk: User) -> None:
    visit = first_visit(returned)
    with pytest.raises(ServiceError, match="Photos are added to a visit that took place"):
        services.visit_add_photos(acting_user=reintegration_pk, visit=visit, photos=[services.PhotoInput(png())])
    record(reintegration_pk, visit, photos=[services.PhotoInput(png()) for _ in range(9)])
    added = services.visit_add_photos(acting_user=reintegration_pk, visit=visit, photos=[services.PhotoInput(png())])
    assert len(added) == 1
    with pytest.raises(ServiceError) as caught:
        services.visit_add_photos(acting_user=reintegration_pk, visit=visit, photos=[services.PhotoInput(png())])
    assert caught.value.fields == {"photos": ["A visit keeps at most 10 photos."]}


def test_a_missed_visit_says_why_and_settles_its_task(returned: Case, reintegration_pk: User) -> None:
    visit = first_visit(returned)
    with pytest.raises(ServiceError):
        services.visit_missed(acting_user=reintegration_pk, visit=visit, note=" ")
    services.visit_missed(acting_user=reintegration_pk, visit=visit, note="the family was away at a wedding")
    visit.refresh_from_db()
    assert (visit.status, visit.note) == ("missed", "the family was away at a wedding")
    task = Task.objects.get(subject_key=f"visit:{visit.pk}")
    assert (task.status, task.outcome) == ("done", "visit missed: the family was away at a wedding")


# ---------------------------------------------------------------- who may


def test_who_records_visits(
    returned: Case, counsellor_gr: User, me_ro: User, finance_gr: User, supervisor_pk: User, me_pk: User
) -> None:
    visit = first_visit(returned)
    for outsider in (counsellor_gr, me_ro, finance_gr):  # the host's counsellor once the origin mission has it
        with pytest.raises(PermissionDenied):
            record(outsider, visit)
    record(supervisor_pk, visit)
    record(me_pk, first_visit(returned))


def test_no_visit_before_arrival(case: Case, reintegration_pk: User, supervisor_gr: User, pk: Mission) -> None:
    journey.referred(case, supervisor_gr, pk)
    with pytest.raises(ServiceError, match="between arrival and closure"):
        services.visit_record(acting_user=reintegration_pk, case=case, visited_on=timezone.localdate(), mode="home")


# ---------------------------------------------------------------- closure


def test_closing_moves_the_case_to_closed_with_the_reason_and_cancels_the_planned_visits(
    returned: Case, supervisor_pk: User, reintegration_pk: User
) -> None:
    done = record(reintegration_pk, first_visit(returned))
    closure = services.case_close(acting_user=supervisor_pk, case=returned, reason="moved_away",
                                  summary="Moved to Karachi; the shop was sold.")  # fmt: skip
    returned.refresh_from_db()
    assert returned.status == "closed"
    move = Transition.objects.filter(case=returned).latest("at")
    assert (move.to_status, move.note, move.details, move.by) == (
        "closed", "Moved to Karachi; the shop was sold.", {"reason": "moved_away"}, supervisor_pk,
    )  # fmt: skip
    assert (closure.reason, closure.closed_by, closure.closed_on) == ("moved_away", supervisor_pk,
                                                                      timezone.localdate())  # fmt: skip
    assert sorted(Visit.objects.filter(case=returned).values_list("status", flat=True)) == [
        "cancelled", "cancelled", "done",
    ]  # fmt: skip
    assert Visit.objects.get(pk=done.pk).status == "done"
    assert visit_tasks(returned) == []
    assert len(visit_tasks(returned, "cancelled")) == 2


def test_only_a_supervisor_closes_and_only_after_arrival(
    case: Case, returned: Case, reintegration_pk: User, me_pk: User, supervisor_gr: User, counsellor_ro: User
) -> None:
    for user in (reintegration_pk, me_pk, counsellor_ro):
        with pytest.raises(PermissionDenied):
            services.case_close(acting_user=user, case=returned, reason="support_ended", summary="done")
    with pytest.raises(ServiceError) as caught:
        services.case_close(acting_user=supervisor_gr, case=returned, reason="bored", summary="")
    assert set(caught.value.fields) == {"reason", "summary"}
    journey.set_status(returned, S.DEPARTED)
    with pytest.raises(ServiceError, match="only after the returnee arrived"):
        services.case_close(acting_user=supervisor_gr, case=returned, reason="support_ended", summary="done")
    assert not Closure.objects.exists()


def test_a_closed_case_takes_no_visit(returned: Case, supervisor_gr: User, reintegration_pk: User) -> None:
    services.case_close(acting_user=supervisor_gr, case=returned, reason="died", summary="Passed away in March.")
    with pytest.raises(ServiceError, match="between arrival and closure"):
        services.visit_record(acting_user=reintegration_pk, case=returned, visited_on=days_ago(0), mode="home")


def test_the_schedule_of_a_programme_file_is_validated(gr: Mission) -> None:
    from homeward.programmes.services import programme_load

    def load(months: object) -> Programme:
        return programme_load(acting_user=None, data={
            "programme": {"code": "GR/M", "name": "Monitoring test", "donor": "EU", "missions": ["GR"],
                          "currency": "EUR", "start": "2024-01-01", "end": "2030-12-31"},
            "rules": [{"effective_from": "2024-01-01", "monitoring": {"visits_after_months": months}}],
        })  # fmt: skip

    place = "rules[0].monitoring.visits_after_months"
    for bad, says in (([0, 3], "positive"), ([6, 3], "go up"), ([3, 3], "go up"), ([12, 48], "at most 36"),
                      ([], "at least 1"), (["three"], "valid integer")):  # fmt: skip
        with pytest.raises(ServiceError) as caught:
            load(bad)
        messages = " ".join(m for key, ms in caught.value.fields.items() if key.startswith(place) for m in ms)
        assert says in messages, (bad, caught.value.fields)
    assert load([3, 6, 12]).rule_versions.get().parsed.monitoring.visits_after_months == [3, 6, 12]  # type: ignore[union-attr]


def test_with_schedule_helper_removes_a_schedule(programme: Programme, case: Case) -> None:
    with_schedule(programme, None)
    assert services.schedule_months(case, timezone.localdate()) == []


def test_a_way_out_cancels_the_planned_visits_and_their_tasks(returned: Case, reintegration_pk: User) -> None:
    """``schedule_for`` on a way out (lost contact), for when ``cases/journey.py`` calls it on exits too."""
    done = record(reintegration_pk, first_visit(returned))
    journey.move(returned, reintegration_pk, S.LOST_CONTACT, "phone off for months")
    services.schedule_for(case=returned, moved_to=S.LOST_CONTACT)
    assert sorted(Visit.objects.filter(case=returned).values_list("status", flat=True)) == [
        "cancelled", "cancelled", "done",
    ]  # fmt: skip
    assert Visit.objects.get(pk=done.pk).status == "done"
    assert visit_tasks(returned) == []
    assert {t.closed_by for t in visit_tasks(returned, "cancelled")} == {reintegration_pk}
