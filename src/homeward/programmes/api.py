"""Programmes over JSON: /api/v1/programmes…"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from homeward.programmes import selectors
from homeward.programmes.models import Programme

router = Router(tags=["programmes"])


class TargetOut(Schema):
    kind: str
    value: Decimal
    note: str


class ProgrammeBudgetLineOut(Schema):
    category: str
    amount: Decimal
    currency: str
    confirmed: bool
    note: str


class RuleVersionOut(Schema):
    effective_from: dt.date
    note: str
    rules: dict[str, Any]


class ProgrammeSummaryOut(Schema):
    id: int
    code: str
    name: str
    donor: str
    fund: str
    missions: list[str]
    currency: str
    start: dt.date
    end: dt.date
    status: str


class ProgrammeOut(ProgrammeSummaryOut):
    partners: list[str]
    source: str
    description: str
    targets: list[TargetOut]
    budget: list[ProgrammeBudgetLineOut]
    rule_versions: list[RuleVersionOut]


def summary(p: Programme) -> dict[str, Any]:
    return {
        **{f: getattr(p, f) for f in ("id", "code", "name", "donor", "fund", "currency", "start", "end", "status")},
        "missions": [m.code for m in p.missions.all()],
    }


@router.get("", response=list[ProgrammeSummaryOut], summary="Programmes of the user's missions")
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    return [summary(p) for p in selectors.programmes_for(request.user)]


@router.get("/{programme_id}", response=ProgrammeOut, summary="A programme with its targets, budget and rules")
def get_programme(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    p = selectors.programme_for(request.user, programme_id)
    return {
        **summary(p),
        "partners": p.partners,
        "source": p.source,
        "description": p.description,
        "targets": list(p.targets.all()),
        "budget": list(p.budget_lines.all()),
        "rule_versions": list(p.rule_versions.all()),
    }
