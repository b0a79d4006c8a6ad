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


def test_an_administrator_edits_the_rules_as_yaml_with_errors_by_place(admin_gr: User, programme: Programme) -> None:
    version = programme.rule_versions.get()
    client = _client(admin_gr)
    url = reverse("programmes:version_edit", args=[programme.pk, version.pk])
    form = client.get(url).content.decode()
    assert "pre_departure_cash:" in form
    bad = client.post(
        url,
        {"effective_from": "2024-01-01", "rules": "benefits:\n  per_diem: {currency: RON, per_day: 10, max_days: 0}\n"},
    )
    assert "benefits.per_diem.max_days" in bad.content.decode()
    assert "not yaml" not in bad.content.decode()
    broken = client.post(url, {"effective_from": "2024-01-01", "rules": "benefits: [unclosed"})
    assert "not valid YAML" in broken.content.decode()
    version.refresh_from_db()
    assert "pre_departure_cash" in version.rules["benefits"]  # nothing saved


def test_a_new_version_starts_from_the_latest_and_takes_effect_on_its_date(
    admin_gr: User, programme: Programme
) -> None:
    import datetime as dt

    client = _client(admin_gr)
    url = reverse("programmes:version_new", args=[programme.pk])
    rules = client.get(url).context["form"].initial["rules"].replace("minor_below: 18", "minor_below: 12")
    clash = client.post(url, {"effective_from": "2024-01-01", "rules": rules})
    assert "Another version already takes effect on this date" in clash.content.decode()
    response = client.post(url, {"effective_from": "2027-01-01", "rules": rules})
    assert response.status_code == 302
    assert programme.version_on(dt.date(2027, 6, 1)).parsed.benefits.pre_departure_cash.per_person.minor_below == 12
    assert programme.version_on(dt.date(2026, 6, 1)).parsed.benefits.pre_departure_cash.per_person.minor_below == 18


def test_an_administrator_of_another_mission_cannot_change_the_programme(
    programme: Programme, gr: Mission, ro: Mission
) -> None:
    intruder = UserFactory(username="admin.ro", roles=[(ro, Role.ADMINISTRATOR), (gr, Role.PROGRAMME_VIEWER)])
    version = programme.rule_versions.get()
    client = _client(intruder)
    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 200
    assert (
        client.post(
            reverse("programmes:cash_edit", args=[programme.pk, version.pk]), {"adult": "999", "minor": "1"}
        ).status_code
        == 403
    )
    version.refresh_from_db()
    assert version.parsed.benefits.pre_departure_cash.per_person.adult.value == 100
