from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from tests.cases.test_eligibility import RULES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(gr: Mission) -> Programme:
    return programme_load(acting_user=None, data=RULES)


@pytest.fixture
def admin_gr(gr: Mission) -> User:
    return UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_see_their_missions_programmes_only(
    counsellor_gr: User, counsellor_ro: User, programme: Programme
) -> None:
    assert programme.code in _client(counsellor_gr).get(reverse("programmes:list")).content.decode()
    assert programme.code not in _client(counsellor_ro).get(reverse("programmes:list")).content.decode()
    assert _client(counsellor_ro).get(reverse("programmes:detail", args=[programme.pk])).status_code == 404


def test_an_administrator_changes_the_pre_departure_cash(
    admin_gr: User, counsellor_gr: User, programme: Programme
) -> None:
    version = programme.rule_versions.get()
    url = reverse("programmes:cash_edit", args=[programme.pk, version.pk])
    assert _client(counsellor_gr).get(url).status_code == 403
    client = _client(admin_gr)
    bad = client.post(url, {"adult": "-1", "minor": "50"})
    assert "greater than or equal to 0" in bad.content.decode()
    response = client.post(url, {"adult": "120", "minor": "60", "confirmed": "on"}, follow=True)
    assert "120" in response.content.decode()
    version.refresh_from_db()
    assert version.parsed.benefits.pre_departure_cash.per_person.adult.value == 120
