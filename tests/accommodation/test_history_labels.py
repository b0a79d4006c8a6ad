"""Every field the case history may name has a translatable label, so the Greek history reads in Greek."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from homeward.accommodation.models import Placement, WaitingEntry

APPS = ("accommodation", "health", "activities", "partners", "triage", "appointments")


def test_every_field_of_the_new_apps_has_a_translatable_label() -> None:
    unlabelled = [
        f"{model._meta.label}.{f.name}"
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        for f in model._meta.get_fields()
        if not f.auto_created and (f.concrete or f.many_to_many) and not isinstance(f.verbose_name, Promise)
    ]
    assert unlabelled == []


@pytest.mark.parametrize(
    ("model", "field"),
    [(Placement, "placed_by"), (Placement, "checked_out_by"), (Placement, "facility"), (WaitingEntry, "created_by")],
)
def test_the_labels_of_a_stay_are_greek_in_greek(model: type, field: str) -> None:
    english = str(model._meta.get_field(field).verbose_name)
    with translation.override("el"):
        assert str(model._meta.get_field(field).verbose_name) != english
