"""A person's data, as the person could ask for it: everything held, in JSON and as a readable PDF.

The export covers the person's cases the exporting user may see, and nothing else: a case of
another mission is left out (its existence included). Within a case, facts of a sensitivity
the user's role may not see (medical, protection) are withheld and the export says which
sections were: whoever needs everything asks a counsellor or supervisor, who see it all.
Rows of a case member go with that member only; rows of the whole case (sessions, itinerary,
referral) are the household's and go with every member.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from homeward.accounts import permissions
from homeward.accounts.roles import Sensitivity
from homeward.cases.models import Case, CaseMember
from homeward.people.models import IdentityDocument, Person, PersonVulnerability

# Rows never exported: secrets (a feedback link's token is a password) and matching's internals.
SKIP = {"feedback.FeedbackLink", "matching.MatchRecord", "matching.MatchKey", "matching.DuplicatePair"}
# Whole apps whose rows are of one sensitivity.
SENSITIVE = {"health": Sensitivity.MEDICAL, "safeguarding": Sensitivity.PROTECTION}
# Rows reached through a parent rather than pointing at the case themselves.
NESTED = {"travel.Ticket": "itinerary__case", "reintegration.Component": "plan__case",
          "monitoring.VisitPhoto": "visit__case", "travel.Segment": "itinerary__case",
          "travel.AssistanceLeg": "itinerary__case", "travel.PreDepartureCheck": "itinerary__case"}  # fmt: skip


def _value(field: models.Field, row: models.Model) -> Any:
    if isinstance(field, models.FileField):
        file = getattr(row, field.name)
        return {"file": file.name.rsplit("/", 1)[-1]} if file else None
    if field.is_relation:
        target = getattr(row, field.name, None)
        return None if target is None else str(target)
    value = field.value_from_object(row)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


def row_sensitivity(row: models.Model) -> str:
    """The sensitivity a row declares for the audit history (``get_additional_data``); general otherwise."""
    additional = getattr(row, "get_additional_data", None)
    data = additional() if additional is not None else None
    return str((data or {}).get("sensitivity") or Sensitivity.GENERAL)


def row_of(row: models.Model) -> dict[str, Any]:
    """One row as ``{field: value}`` (stable keys for machines); users named, choices as words, files by name."""
    return {f.name: _value(f, row) for f in row._meta.concrete_fields if f.name not in ("id", "search_name")}


def read_by(user: Any, row: models.Model) -> dict[str, Any]:
    """``row_of`` as ``user`` may read it: a referral's package keeps the vulnerabilities of their level only."""
    from homeward.cases.models import Referral
    from homeward.cases.referrals import package_for

    out = row_of(row)
    if isinstance(row, Referral):
        out["package"] = package_for(user, row)[0]
    return out


def _case_models() -> list[tuple[str, str, str]]:
    """(label, lookup to the case, lookup to the member or "") of every model holding rows about a case."""
    found: dict[str, tuple[str, str]] = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in SKIP or model in (Case, CaseMember):
            continue
        case_fk = next((f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is Case), "")
        member_fk = next(
            (f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is CaseMember), ""
        )
        if case_fk or member_fk or label in NESTED:
            found[label] = (case_fk or NESTED.get(label, ""), member_fk)
    return sorted((label, c, m) for label, (c, m) in found.items())


def _section(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural).capitalize()


def person_data(user: Any, person: Person, cases: list[Case]) -> dict[str, Any]:
    """Everything held about ``person`` in ``cases`` (those ``user`` may see), as plain JSON-ready data."""
    seen = set()
    for case in cases:
        seen |= permissions.visible_sensitivities(user, case)
    vulnerabilities = PersonVulnerability.objects.filter(person=person).select_related("type")
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "exported_by": str(user),
        "person": row_of(person) | {"id": person.pk},
        "identity_documents": [row_of(d) for d in IdentityDocument.objects.filter(person=person)],
        "vulnerabilities": [
            row_of(v) | {"vulnerability": str(v.type)} for v in vulnerabilities if v.type.sensitivity in seen
        ],
        "cases": [],
        "withheld": [],
    }
    if any(v.type.sensitivity not in seen for v in vulnerabilities):
        data["withheld"].append(str(PersonVulnerability._meta.verbose_name_plural))
    for case in cases:
        member = CaseMember.objects.get(case=case, person=person)
        visible = permissions.visible_sensitivities(user, case)
        entry: dict[str, Any] = {
            "reference": case.reference,
            "case": row_of(case),
            "membership": row_of(member),
            "sections": [],
            "withheld": [],
        }
        for label, case_lookup, member_lookup in _case_models():
            model = apps.get_model(label)
            section = _section(model)
            filters = Q()
            if member_lookup:
                filters = Q(**{member_lookup: member})
                if case_lookup:
                    filters |= Q(**{case_lookup: case, f"{member_lookup}__isnull": True})
            else:
                filters = Q(**{case_lookup: case})
            rows = list(model.objects.filter(filters).order_by("pk"))
            if not rows:
                continue
            needed = SENSITIVE.get(model._meta.app_label)
            if needed is not None and needed not in visible:
                entry["withheld"].append(section)
                continue
            # A row of another app may hold a medical or protection fact too (a medical special need, a
            # placement's reason): it says so as it does for the case history, and is withheld as the pages do.
            shown = [r for r in rows if row_sensitivity(r) in visible]
            if len(shown) < len(rows):
                entry["withheld"].append(section)
            if shown:
                entry["sections"].append({"model": label, "title": section, "rows": [read_by(user, r) for r in shown]})
        data["cases"].append(entry)
    return data


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def as_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "privacy/export_pdf.html",
        {"data": data, "language": translation.get_language(), "bidi": translation.get_language_bidi()},
    )
    return bytes(HTML(string=html).write_pdf())


def filename(person: Person, fmt: str) -> str:
    return f"personal-data-{person.pk}.{fmt}"
