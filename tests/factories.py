"""Typed factories and a sample household for tests."""

from __future__ import annotations

import datetime as dt

import factory

from homeward.accounts.models import Membership, Mission, User
from homeward.cases import services
from homeward.cases.models import Case, ReferralSource, Relationship
from homeward.core.dates import PartialDate
from homeward.people.inputs import DocumentInput, PersonInput

PASSWORD = "correct-horse-battery"  # noqa: S105


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission
        django_get_or_create = ("code",)

    code = "GR"
    name = factory.LazyAttribute(lambda m: f"IOM {m.code}")
    country = factory.LazyAttribute(lambda m: m.code)
    kind = Mission.Kind.HOST


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[tuple[Mission, str]] | None, **kwargs: object) -> None:
        self.save()
        for mission, role in extracted or []:
            Membership.objects.create(user=self, mission=mission, role=role)


def person(given: str, family: str, *, year: int | None = 1985, month: int | None = None, day: int | None = None,
           estimated: bool = False, nationality: str = "PK", **extra: object) -> PersonInput:  # fmt: skip
    dob = PartialDate.build(year=year, month=month, day=day, estimated=estimated) if year else None
    return PersonInput(given_names=given, family_name=family, birth_date=dob, nationality=nationality, **extra)  # type: ignore[arg-type]


def family_of_three(family: str = "Khan") -> list[services.MemberInput]:
    return [
        services.MemberInput(
            Relationship.PRINCIPAL,
            person("Imran", family, year=1985, month=3, day=14, phone="+92 300 1234567"),
            [DocumentInput(kind="passport", number="AB1234567", issuing_country="PK", expires_on=dt.date(2030, 1, 1))],
        ),
        services.MemberInput(Relationship.SPOUSE, person("Ayesha", family, year=1988)),
        services.MemberInput(Relationship.CHILD, person("Sana", family, year=2015, month=6)),
    ]


def case_data(**overrides: object) -> services.CaseInput:
    values: dict[str, object] = {
        "destination_country": "PK",
        "referral_source": ReferralSource.NGO,
        "destination_place": "Lahore",
    }
    values.update(overrides)
    return services.CaseInput(**values)  # type: ignore[arg-type]


def register_case(
    user: User, mission: Mission, members: list[services.MemberInput] | None = None, **overrides: object
) -> Case:
    return services.case_register(
        acting_user=user, host_mission=mission, data=case_data(**overrides), members=members or family_of_three()
    )
