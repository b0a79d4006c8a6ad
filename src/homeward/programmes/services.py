"""Writes to programmes: loading a programme file, exchange rates."""

from __future__ import annotations

import csv
import datetime as dt
import io
from contextlib import AbstractContextManager, nullcontext
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.core.audit import acting_as
from homeward.core.errors import ServiceError
from homeward.programmes.models import BudgetLine, ExchangeRate, Phase, Programme, RuleVersion, Target
from homeward.programmes.schema import ProgrammeFile, _currency
from homeward.programmes.schema import RuleVersion as RuleVersionSchema


def schema_errors(error: SchemaError) -> dict[str, list[str]]:
    """Pydantic's errors keyed by their place in the file, e.g. ``rules[0].benefits.per_diem.max_days``."""
    fields: dict[str, list[str]] = {}
    for item in error.errors():
        place = ""
        for part in item["loc"]:
            place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
        fields.setdefault(place or "__all__", []).append(item["msg"].removeprefix("Value error, "))
    return fields


def _acting(acting_user: User | None) -> AbstractContextManager[None]:
    # The command line writes without a user; the audit shows it as the system.
    return acting_as(acting_user) if acting_user else nullcontext()


def can_manage(user: User, mission_ids: set[int]) -> bool:
    """An administrator of every mission that implements the programme."""
    return bool(mission_ids) and mission_ids <= permissions.mission_ids_with(user, Perm.MANAGE_PROGRAMMES)


def _require_manager(acting_user: User | None, mission_ids: set[int] | None = None) -> None:
    # None: the command line, run by whoever operates the server.
    if acting_user is None:
        return
    allowed = (
        can_manage(acting_user, mission_ids)
        if mission_ids is not None
        else permissions.has_perm_anywhere(acting_user, Perm.MANAGE_PROGRAMMES)
    )
    if not allowed:
        raise PermissionDenied(_("Only an administrator of the programme's missions manages it."))


def programme_load(*, acting_user: User | None, data: Any) -> Programme:
    """Create or update a programme from a programme file; all of it or nothing.

    Rule: every key is known and every value valid (schema.py); the missions exist.
    Rule versions are matched by their effective date: a reload replaces their
    content, and assessments keep the copy of the rules they were made under.
    """
    try:
        parsed = ProgrammeFile.model_validate(data)
    except SchemaError as exc:
        raise ServiceError(_("The programme file is not valid: see the places listed."), schema_errors(exc)) from exc
    info = parsed.programme
    missions = list(Mission.objects.filter(code__in=info.missions))
    unknown = sorted(set(info.missions) - {m.code for m in missions})
    if unknown:
        raise ServiceError(
            _("The programme file is not valid: see the places listed."),
            {"programme.missions": [_("Unknown mission: %(codes)s.") % {"codes": ", ".join(unknown)}]},
        )
    existing = Programme.objects.filter(code=info.code).first()
    _require_manager(
        acting_user,
        {m.pk for m in missions} | (set(existing.missions.values_list("pk", flat=True)) if existing else set()),
    )
    with transaction.atomic(), _acting(acting_user):
        programme, _created = Programme.objects.update_or_create(
            code=info.code,
            defaults={
                "name": info.name, "donor": info.donor, "fund": info.fund, "partners": info.partners,
                "currency": info.currency, "start": info.start, "end": info.end, "status": info.status,
                "source": info.source, "description": info.description,
                "age_groups": parsed.reporting.age_groups, "report_disaggregations": parsed.reporting.disaggregations,
            },
        )  # fmt: skip
        programme.missions.set(missions)
        _replace(
            programme.phases.all(),
            [Phase(programme=programme, name=p.name, start=p.start, end=p.end) for p in info.phases],
        )
        _replace(
            programme.targets.all(),
            [
                Target(
                    programme=programme,
                    kind=t.kind,
                    value=t.value,
                    note=t.note,
                    period=t.period,
                    starts_on=t.starts_on,
                    ends_on=t.ends_on(),
                )
                for t in parsed.targets
            ],
        )
        _replace(
            programme.budget_lines.all(),
            [BudgetLine(programme=programme, category=b.category, amount=b.amount.value, currency=b.currency,
                        confirmed=b.amount.confirmed, note=b.note or b.amount.note) for b in parsed.budget],
        )  # fmt: skip
        kept = []
        for version in parsed.rules:
            row, _new = RuleVersion.objects.update_or_create(
                programme=programme,
                effective_from=version.effective_from,
                defaults={"rules": version.model_dump(mode="json"), "note": version.note},
            )
            kept.append(row.pk)
        for stale in programme.rule_versions.exclude(pk__in=kept):
            stale.delete()
    return programme


def _replace(existing: Any, new: list[Any]) -> None:
    # One by one, not bulk: each row gets its audit entry.
    for row in existing:
        row.delete()
    for row in new:
        row.save()


MAX_RATE = Decimal(10) ** 9  # ExchangeRate.rate holds 10 digits before the point


def rate_for(currency: str, quote: str, on: dt.date, *, max_age_days: int = 31) -> ExchangeRate | None:
    """The latest rate on or before ``on``, no older than ``max_age_days``."""
    return (
        ExchangeRate.objects.filter(
            currency=currency, quote=quote, on__lte=on, on__gte=on - dt.timedelta(days=max_age_days)
        )
        .order_by("-on")
        .first()
    )


def convert(amount: Decimal, currency: str, quote: str, on: dt.date) -> tuple[Decimal, ExchangeRate | None]:
    """``amount`` in ``quote`` at the rate of ``on``, with the rate used. Raises ServiceError without one."""
    if currency == quote:
        return amount, None
    rate = rate_for(currency, quote, on)
    if rate is None:
        raise ServiceError(
            _("No exchange rate from %(currency)s to %(quote)s on or shortly before %(date)s: enter one first.")
            % {"currency": currency, "quote": quote, "date": on.isoformat()}
        )
    return (amount * rate.rate).quantize(Decimal("0.01")), rate


def rates_import(*, acting_user: User | None, text: str) -> int:
    """Import rates from CSV (``currency,quote,date,rate[,source]``); one bad row imports nothing."""
    _require_manager(acting_user)
    rows, errors = [], {}
    reader = csv.reader(io.StringIO(text))
    for number, row in enumerate(reader, start=1):
        if not row or (number == 1 and row[0].strip().lower() == "currency"):
            continue
        try:
            if len(row) not in (4, 5):
                raise ValueError(_("expected currency,quote,date,rate[,source]"))
            currency, quote = _currency(row[0]), _currency(row[1])
            on = dt.date.fromisoformat(row[2].strip())
            rate = Decimal(row[3].strip()).quantize(Decimal("0.00000001"))
            if not 0 < rate < MAX_RATE:
                raise ValueError(_("a rate must be above zero and below %(max)s") % {"max": MAX_RATE})
        except (ValueError, InvalidOperation) as exc:
            errors[f"row {number}"] = [str(exc) or _("not a number")]
            continue
        rows.append(
            ExchangeRate(
                currency=currency, quote=quote, on=on, rate=rate, source=(row[4] if len(row) == 5 else "").strip()
            )
        )
    if errors:
        raise ServiceError(_("Nothing was imported: correct the rows listed."), errors)
    with transaction.atomic(), _acting(acting_user):
        for rate in rows:
            ExchangeRate.objects.update_or_create(
                currency=rate.currency,
                quote=rate.quote,
                on=rate.on,
                defaults={"rate": rate.rate, "source": rate.source},
            )
    return len(rows)


def rule_version_set_cash(
    *, acting_user: User | None, version: RuleVersion, adult: Decimal, minor: Decimal, confirmed: bool
) -> RuleVersion:
    """Change the pre-departure cash per person of a rule version (an administrator's correction).

    Rule: the amounts are checked like a programme file; assessments keep their
    own copy of the rules; a new assessment of a case applies the change.
    """
    _require_manager(acting_user, set(version.programme.missions.values_list("pk", flat=True)))
    rules = dict(version.rules)
    benefits = dict(rules.get("benefits") or {})
    cash = benefits.get("pre_departure_cash")
    if not cash:
        raise ServiceError(_("This rule version pays no pre-departure cash."))
    per_person = dict(cash["per_person"])
    per_person["adult"] = {"value": str(adult), "confirmed": confirmed, "note": per_person["adult"].get("note", "")}
    per_person["minor"] = {"value": str(minor), "confirmed": confirmed, "note": per_person["minor"].get("note", "")}
    benefits["pre_departure_cash"] = {**cash, "per_person": per_person}
    rules["benefits"] = benefits
    try:
        parsed = RuleVersionSchema.model_validate(rules)
    except SchemaError as exc:
        raise ServiceError(_("The amounts are not valid."), schema_errors(exc)) from exc
    version.rules = parsed.model_dump(mode="json")
    with transaction.atomic(), _acting(acting_user):
        version.save(update_fields=["rules", "updated_at"])
    return version


def rule_version_save(
    *,
    acting_user: User | None,
    programme: Programme,
    effective_from: dt.date,
    data: Any,
    version: RuleVersion | None = None,
) -> RuleVersion:
    """Create a rule version, or change one, from the ``eligibility``/``benefits``/``note`` of a rule file.

    Rule: checked like a programme file, errors named by place; one version per date.
    Assessments keep their own copy of the rules they were made under.
    """
    _require_manager(acting_user, set(programme.missions.values_list("pk", flat=True)))
    if not isinstance(data, dict):
        raise ServiceError(
            _("The rules are not valid: see the places listed."),
            {"__all__": [_("Expected keys such as eligibility and benefits.")]},
        )
    try:
        parsed = RuleVersionSchema.model_validate({**data, "effective_from": effective_from})
    except SchemaError as exc:
        raise ServiceError(_("The rules are not valid: see the places listed."), schema_errors(exc)) from exc
    clash = programme.rule_versions.filter(effective_from=effective_from)
    if version is not None:
        clash = clash.exclude(pk=version.pk)
    if clash.exists():
        raise ServiceError(
            _("The rules are not valid: see the places listed."),
            {"effective_from": [_("Another version already takes effect on this date.")]},
        )
    version = version or RuleVersion(programme=programme)
    version.effective_from = effective_from
    version.rules = parsed.model_dump(mode="json")
    version.note = parsed.note
    with transaction.atomic(), _acting(acting_user):
        version.save()
    return version
