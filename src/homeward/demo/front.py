"""Demo of the time before a case and before departure: the public site, inquiries waiting in
triage with an appointment, the open centre with its guests and waiting list, a course in Romania.

Recorded through the services, after the demo cases. Names and stories are made up.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from homeward.accommodation import services as accommodation
from homeward.accommodation.models import Facility
from homeward.accounts.models import Mission, User
from homeward.activities import services as activities
from homeward.activities.models import Activity
from homeward.appointments import services as appointments
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.demo.site_texts import PAGES
from homeward.public import services as site
from homeward.public.models import Page

S = CaseStatus
BEFORE_DEPARTURE = (S.REGISTERED, S.ELIGIBILITY_ASSESSED, S.IN_COUNSELLING, S.RETURN_DECLARED, S.TRAVEL_PREPARATION)
INQUIRIES = [
    # given, family, language, nationality, where, facility or city, how heard
    ("Hamid", "Karimi", "fa", "AF", "reception_facility", "Malakasa", "ngo"),
    ("Nadia", "Haddad", "ar", "IQ", "city", "Athens", "friend_or_relative"),
    ("Bilal", "Ahmed", "ur", "PK", "detention_facility", "Amygdaleza", "information_session"),
]


def front(missions: dict[str, Mission], users: dict[str, User], rng: random.Random) -> None:
    _site(missions["GR"], users["admin"])
    _inquiries(missions["GR"], users["counsellor.gr"])
    _open_centre(missions["GR"], users["supervisor.gr"], users["counsellor.gr"], rng)
    _course(missions["RO"], users["supervisor.ro"], users["counsellor.ro"], rng)


def _site(mission: Mission, admin: User) -> None:
    if Page.objects.filter(mission=mission).exists():
        return
    for slug, (kind, position, texts) in PAGES.items():
        page = site.page_create(acting_user=admin, mission=mission, slug=slug, kind=kind, position=position)
        for language, (title, body) in texts.items():
            site.page_translation_save(acting_user=admin, page=page, language=language, title=title, body=body)
        site.page_publish(acting_user=admin, page=page, published=True)


def _inquiries(mission: Mission, counsellor: User) -> None:
    for n, (given, family, language, country, where, place, heard) in enumerate(INQUIRIES):
        inquiry = site.self_referral_submit(
            mission=mission, page_language=language,
            data=site.SelfReferralInput(
                given_names=given, family_name=family, phone=f"+30 69{n + 1} 555 01{n:02d}", language=language,
                nationality=country, destination_country=country, where=where,
                city=place if where == "city" else "", facility=place if where != "city" else "",
                how_heard=heard, consent=True,
            ),
        )  # fmt: skip
        if n == 0:  # the first has an appointment with an interpreter on the next working day
            office = mission.offices.first()
            day = timezone.localdate() + dt.timedelta(days=1)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            appointments.appointment_book(
                acting_user=counsellor, inquiry=inquiry,
                data=appointments.AppointmentInput(office=office, counsellor=counsellor, on=day, start=dt.time(10),
                                                   minutes=60, language=language, interpreter_needed=True,
                                                   interpreter="Dari interpreter by phone"),
            )  # fmt: skip


def _waiting(mission: Mission) -> list[Case]:
    """Cases before departure with someone vulnerable, most recent first."""
    return list(
        Case.objects.filter(host_mission=mission, status__in=BEFORE_DEPARTURE,
                            members__person__vulnerabilities__isnull=False)
        .distinct().order_by("-created_at")[:8]
    )  # fmt: skip


def _open_centre(mission: Mission, supervisor: User, counsellor: User, rng: random.Random) -> None:
    if Facility.objects.filter(mission=mission).exists():
        return
    centre = accommodation.facility_create(
        acting_user=supervisor, mission=mission,
        data=accommodation.FacilityInput(name="Open centre for vulnerable applicants (demo)",
                                         kind=Facility.Kind.OPEN_CENTRE, address="Elaionas, Athens"),
    )  # fmt: skip
    beds = {"single_men": 6, "single_women": 4, "family": 8, "accessible": 2}
    for room_type, count in beds.items():
        accommodation.capacity_set(acting_user=supervisor, facility=centre, room_type=room_type, beds=count)
    today = timezone.localdate()
    for n, case in enumerate(_waiting(mission)):
        members = list(case.members.select_related("person"))
        room = "family" if len(members) > 1 else ("single_women" if members[0].person.sex == "F" else "single_men")
        if n < 5:
            try:
                accommodation.placement_check_in(
                    acting_user=supervisor, case=case, members=members, facility=centre, room_type=room,
                    checked_in_on=today - dt.timedelta(days=rng.randint(2, 40)),
                    expected_check_out_on=today + dt.timedelta(days=rng.randint(5, 30)),
                    reason="Vulnerable applicant awaiting departure.",
                )  # fmt: skip
                continue
            except ServiceError:
                pass  # a full room type: this one waits instead
        accommodation.waiting_add(acting_user=supervisor, case=case, members=members, room_type=room,
                                  facility=centre, requested_on=today - dt.timedelta(days=rng.randint(0, 10)))  # fmt: skip


def _course(mission: Mission, supervisor: User, counsellor: User, rng: random.Random) -> None:
    if Activity.objects.filter(mission=mission).exists():
        return
    today = timezone.localdate()
    course = activities.activity_create(
        acting_user=supervisor, mission=mission, title="Basic electrical installation (demo)",
        kind=Activity.Kind.VOCATIONAL, starts_on=today - dt.timedelta(days=14), ends_on=today + dt.timedelta(days=30),
        place="Bucharest vocational training centre", capacity=12,
        description="A six-week course before departure, with a certificate recognised at home.",
    )  # fmt: skip
    cases = Case.objects.filter(host_mission=mission, status__in=BEFORE_DEPARTURE).order_by("created_at")[:5]
    enrolments = []
    for case in cases:
        principal = case.members.filter(relationship="principal").first()
        if principal is not None:
            enrolments.append(activities.enrol(acting_user=supervisor, activity=course, member=principal,
                                               enrolled_on=course.starts_on))  # fmt: skip
    for days_ago in (14, 13, 12, 9, 8, 7, 6, 5, 2, 1):
        day = today - dt.timedelta(days=days_ago)
        if day.weekday() >= 5 or not enrolments:
            continue
        present = {e.pk for e in enrolments if rng.random() < 0.85}
        activities.attendance_record(acting_user=supervisor, activity=course, on=day, present=present)
