"""Audit entries as a person reads them, with related objects looked up in one query per model.

django-auditlog's ``changes_display_dict`` queries once per foreign key per
entry; a case page shows dozens of entries, so this resolves them in batches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

EMPTY = {"None", "", "[]", "{}", None}


@dataclass
class Change:
    label: str
    old: str | None  # None on a creation: there was nothing before
    new: str


@dataclass
class Row:
    entry: LogEntry
    changes: list[Change]


def _field(entry: LogEntry, name: str) -> models.Field | None:
    model = entry.content_type.model_class()
    try:
        return model._meta.get_field(name) if model else None  # type: ignore[return-value]
    except FieldDoesNotExist:
        return None


def _m2m(change: dict[str, Any]) -> str:
    """django-auditlog's many-to-many entries: people added to or removed from a list."""
    objects = ", ".join(str(o) for o in change.get("objects", []))
    operation = {"add": _("added"), "delete": _("removed")}.get(change.get("operation", ""), _("set"))
    return f"{operation}: {objects}"


def describe(entries: list[LogEntry]) -> list[Row]:
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for entry in entries:
        for name, values in entry.changes_dict.items():
            field = _field(entry, name)
            if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation", "objects"}
                continue
            if field is not None and field.many_to_one:
                wanted[field.related_model].update(str(v) for v in values if v not in EMPTY)  # type: ignore[index]
    names = {
        (model, str(obj.pk)): str(obj)
        for model, pks in wanted.items()
        for obj in model._default_manager.filter(pk__in=[pk for pk in pks if pk.isdigit()])
    }

    def show(field: models.Field | None, value: Any) -> str:
        if value in EMPTY:
            return "—"
        if field is None:
            return str(value)
        if field.many_to_one:
            return names.get((field.related_model, str(value)), str(value))  # type: ignore[arg-type]
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            try:
                return formats.date_format(dt.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
            except ValueError:
                return str(value)
        return str(value)

    rows = []
    for entry in entries:
        created = entry.action == LogEntry.Action.CREATE
        changes = []
        for name, values in entry.changes_dict.items():
            field = _field(entry, name)
            if isinstance(values, dict):
                label = str(field.verbose_name) if field is not None else name
                changes.append(Change(label, None, _m2m(values)))
                continue
            old, new = values
            if created and new in EMPTY:
                continue
            label = str(field.verbose_name) if field is not None else name
            changes.append(Change(label, None if created else show(field, old), show(field, new)))
        rows.append(Row(entry, changes))
    return rows
