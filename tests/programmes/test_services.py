"""Loading programme files and exchange rates: all or nothing, errors that name the place."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from homeward.accounts.models import Mission, User
from homeward.core.errors import ServiceError
from homeward.programmes import catalogue, services
from homeward.programmes.models import ExchangeRate, Programme, RuleVersion

pytestmark = pytest.mark.django_db

FILE: dict[str, Any] = {
    "programme": {
        "code": "TEST/1", "name": "Test programme", "donor": "EEA Grants", "fund": "Asylum and Migration",
        "missions": ["GR"], "currency": "EUR", "start": "2025-01-01", "end": "2026-12-31",
    },
    "targets": [
        {"kind": "persons_assisted", "value": 200}, {"kind": "individual_cases", "value": 80},
        {"kind": "family_cases", "value": 40}, {"kind": "average_family_size", "value": 3},
    ],
    "budget": [{"category": "travel", "amount": 50000, "currency": "EUR"}],
    "rules": [
        {"effective_from": "2025-01-01", "benefits": {"pre_departure_cash": {"currency": "EUR", "per_person": {"adult": 100, "minor": 50, "minor_below": 12}}}},
        {"effective_from": "2026-01-01", "benefits": {"pre_departure_cash": {"currency": "EUR", "per_person": {"adult": 100, "minor": 50, "minor_below": 18}}}},
    ],
}  # fmt: skip


def with_change(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(FILE)
    node: Any = data
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(last) if last.isdigit() else last] = value
    return data


def test_the_seed_target_is_expressed_exactly(gr: Mission) -> None:
    programme = services.programme_load(acting_user=None, data=FILE)
    assert {t.kind: t.value for t in programme.targets.all()} == {
        "persons_assisted": 200, "individual_cases": 80, "family_cases": 40, "average_family_size": 3,
    }  # fmt: skip
    assert list(programme.missions.values_list("code", flat=True)) == ["GR"]


def test_the_version_in_force_on_a_date_is_the_latest_before_it(gr: Mission) -> None:
    programme = services.programme_load(acting_user=None, data=FILE)
    assert programme.version_on(dt.date(2025, 6, 1)).parsed.benefits.pre_departure_cash.per_person.minor_below == 12
    assert programme.version_on(dt.date(2026, 6, 1)).parsed.benefits.pre_departure_cash.per_person.minor_below == 18
    assert programme.version_on(dt.date(2024, 6, 1)) is None


def test_reloading_updates_in_place(gr: Mission) -> None:
    services.programme_load(acting_user=None, data=FILE)
    services.programme_load(acting_user=None, data=with_change("programme.name", "Renamed"))
    assert Programme.objects.get().name == "Renamed"
    assert RuleVersion.objects.count() == 2


@pytest.mark.parametrize(
    ("path", "value", "place"),
    [
        ("programme.colour", "blue", "programme.colour"),
        ("programme.end", "2024-01-01", "programme"),
        ("rules.0.benefits.pre_departure_cash.per_person.adult", -5, "rules[0].benefits.pre_departure_cash.per_person.adult.value"),
        ("rules.0.benefits.pre_departure_cash.currency", "XYZ", "rules[0].benefits.pre_departure_cash.currency"),
        ("rules.1.effective_from", "2025-01-01", "__all__"),
        ("rules.0.eligibility", {"excluded_destinations": ["QQ"]}, "rules[0].eligibility.excluded_destinations"),
        ("rules.0.eligibility", {"vulnerabilities": {"any_of": ["sadness"]}}, "rules[0].eligibility.vulnerabilities.any_of"),
        ("programme.missions", ["ZZ"], "programme.missions"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_the_place_and_saves_nothing(
    gr: Mission, path: str, value: Any, place: str
) -> None:
    with pytest.raises(ServiceError) as error:
        services.programme_load(acting_user=None, data=with_change(path, value))
    assert place in error.value.fields, error.value.fields
    assert Programme.objects.count() == 0


def test_only_an_administrator_loads_programmes_from_a_page(counsellor_gr: User) -> None:
    with pytest.raises(PermissionDenied):
        services.programme_load(acting_user=counsellor_gr, data=FILE)


def test_the_four_templates_load_and_cite_their_seed(db: None) -> None:
    from tests.factories import MissionFactory

    for code in ("GR", "RO", "SK", "HU"):
        MissionFactory(code=code, country=code)
    names = catalogue.names()
    assert len(names) == 4
    out = StringIO()
    call_command("load_programme", *names, stdout=out)
    assert Programme.objects.count() == 4
    assert all(p.source for p in Programme.objects.all())
    greece = Programme.objects.get(missions__code="GR")
    targets = {t.kind: t.value for t in greece.targets.all()}
    assert (
        targets.items()
        >= {"persons_assisted": 200, "individual_cases": 80, "family_cases": 40, "average_family_size": 3}.items()
    )
    assert "placeholders" in out.getvalue()


def test_the_command_prints_the_places_of_errors(gr: Mission, tmp_path: Any) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("programme: {code: X}\nrules: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"programme\.name"):
        call_command("load_programme", str(bad))


def test_rates_import_all_or_nothing_and_convert(db: None) -> None:
    with pytest.raises(ServiceError) as error:
        services.rates_import(
            acting_user=None, text="currency,quote,date,rate\nUSD,RON,2026-01-05,4.41\nUSD,RON,2026-01-06,-1\n"
        )
    assert list(error.value.fields) == ["row 3"]
    assert ExchangeRate.objects.count() == 0
    assert services.rates_import(acting_user=None, text="USD,RON,2026-01-05,4.41,BNR\n") == 1
    amount, rate = services.convert(Decimal("100"), "USD", "RON", dt.date(2026, 1, 20))
    assert amount == Decimal("441.00")
    assert rate is not None
    assert rate.on == dt.date(2026, 1, 5)
    with pytest.raises(ServiceError, match="No exchange rate"):
        services.convert(Decimal("100"), "USD", "RON", dt.date(2026, 3, 1))


@pytest.mark.parametrize("amount", ["abc", True])
def test_an_amount_that_is_not_a_number_is_named(gr: Mission, amount: Any) -> None:
    with pytest.raises(ServiceError) as error:
        services.programme_load(
            acting_user=None, data=with_change("rules.0.benefits.pre_departure_cash.per_person.adult", amount)
        )
    assert "rules[0].benefits.pre_departure_cash.per_person.adult" in error.value.fields


@pytest.mark.parametrize("rate", ["0.000000001", "12345678901234567890"])
def test_a_rate_the_database_cannot_hold_is_refused_by_row(db: None, rate: str) -> None:
    with pytest.raises(ServiceError) as error:
        services.rates_import(acting_user=None, text=f"USD,RON,2026-01-05,{rate}\n")
    assert list(error.value.fields) == ["row 1"]


def test_the_rates_command_reports_an_unreadable_file(tmp_path: Any) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_rates", str(tmp_path / "missing.csv"))
