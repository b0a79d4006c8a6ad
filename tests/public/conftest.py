"""A Greek public site: an administrator, two pages (one translated into Arabic), an office with its hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.appointments.models import Office, OfficeHours
from homeward.public import services
from homeward.public.models import Page
from tests.factories import UserFactory

ELIGIBILITY_EN = "Anyone who wishes to return home **voluntarily** can apply."


@pytest.fixture
def admin_gr(gr: Mission) -> User:
    return UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])


@pytest.fixture
def admin_ro(ro: Mission) -> User:
    return UserFactory(username="admin.ro", roles=[(ro, Role.ADMINISTRATOR)])


def add_page(user: User, mission: Mission, slug: str, texts: dict[str, tuple[str, str]], **kwargs: Any) -> Page:
    page = services.page_create(acting_user=user, mission=mission, slug=slug, kind=kwargs.get("kind", "other"),
                                position=kwargs.get("position", 0))  # fmt: skip
    for lang, (title, body) in texts.items():
        services.page_translation_save(acting_user=user, page=page, language=lang, title=title, body=body)
    if kwargs.get("published", True):
        services.page_publish(acting_user=user, page=page, published=True)
    return page


@pytest.fixture
def site(admin_gr: User, gr: Mission) -> dict[str, Page]:
    """GR's site: "who-can-apply" in English and Arabic, "assistance" in English only, a draft."""
    gr.contact_phone = "+30 800 111 2222"
    gr.save(update_fields=["contact_phone"])
    eligibility = add_page(
        admin_gr, gr, "who-can-apply",
        {"en": ("Who can apply", ELIGIBILITY_EN), "ar": ("من يمكنه التقديم", "يمكن لأي شخص يرغب في العودة أن يتقدم.")},
        kind="eligibility", position=1,
    )  # fmt: skip
    assistance = add_page(
        admin_gr, gr, "assistance", {"en": ("Assistance", "Travel, cash and reintegration.")}, kind="assistance",
        position=2,
    )  # fmt: skip
    draft = add_page(admin_gr, gr, "draft", {"en": ("Draft", "Not yet.")}, published=False)
    return {"eligibility": eligibility, "assistance": assistance, "draft": draft}


@pytest.fixture
def office(gr: Mission) -> Office:
    office = Office.objects.create(
        mission=gr, name="Athens office", address="Leoforos Vouliagmenis 1", city="Athens", phone="+30 210 000 0000",
        languages=["ar", "fa", "ur"],
    )  # fmt: skip
    for day in range(5):
        OfficeHours.objects.create(office=office, weekday=day, opens=dt.time(8, 30), closes=dt.time(16, 30))
    Office.objects.create(mission=gr, name="Back office", public=False)
    Office.objects.create(mission=gr, name="Closed office", active=False)
    return office


@pytest.fixture
def visitor() -> Client:
    return Client(REMOTE_ADDR="203.0.113.7")


GOOD = {
    "given_names": "Farida",
    "family_name": "Rahimi",
    "phone": "+30 690 123 4567",
    "messenger": "whatsapp",
    "messenger_number": "+30 690 765 4321",
    "email": "farida@example.org",
    "language": "fa",
    "nationality": "AF",
    "destination_country": "",
    "where": "reception_facility",
    "city": "",
    "facility": "Malakasa",
    "family_travels": "on",
    "family_size": "3",
    "how_heard": "ngo",
    "message": "I want to go home with my children.",
    "consent": "on",
    "website": "",
}


def apply(client: Client, lang: str = "en", code: str = "GR", **changes: Any) -> Any:
    """Send the form as a browser would, following the redirect to the acknowledgement.
    ``HTTP_…`` keywords are request headers, the rest form fields."""
    headers = {k: v for k, v in changes.items() if k.startswith("HTTP_")}
    fields = {k: v for k, v in changes.items() if k not in headers}
    return client.post(f"/site/{code}/{lang}/apply/", {**GOOD, **fields}, follow=True, **headers)
