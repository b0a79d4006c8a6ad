"""Import forms: parse what a person chose; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import ServiceErrorsMixin, StyledFormMixin
from homeward.imports import mapping
from homeward.imports.reading import Cell, Sheet

SAMPLES = 3


class ImportForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class UploadForm(ImportForm):
    file = forms.FileField(
        label=_("Tracker"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file; the first sheet is read."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    mission = forms.TypedChoiceField(label=_("Mission the cases go to"), coerce=int)
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, missions: list[Any], programmes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [(m.pk, str(m)) for m in missions]
        self.fields["programme"].choices = [("", "—"), *((p.pk, str(p)) for p in programmes)]
        if len(missions) == 1:
            self.fields["mission"].initial = missions[0].pk


def _sample(values: list[Cell]) -> str:
    shown = [str(v) for v in values if v not in (None, "")][:SAMPLES]
    return ", ".join(s if len(s) <= 30 else s[:29] + "…" for s in shown)


class MappingForm(ImportForm):
    """One select per column of the tracker (``col_<n>``), the date order, and a name to save the mapping under."""

    date_order = forms.ChoiceField(
        label=_("Dates written as"), choices=mapping.DateOrder.CHOICES, initial=mapping.DateOrder.AUTO,
        help_text=_("03/04/1990 is 3 April in day/month/year and 4 March in month/day/year."),
    )  # fmt: skip
    mapping_name = forms.CharField(
        label=_("Save this mapping as"), max_length=80, required=False,
        help_text=_("A name to reuse it for the next import (and with the homeward import command)."),
    )  # fmt: skip
    allow_duplicates = forms.BooleanField(label=_("Import rows flagged as probably already recorded"), required=False)

    def __init__(self, *args: Any, sheet: Sheet, initial_columns: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = sheet.headers
        choices = mapping.field_choices()
        for index, header in enumerate(sheet.headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=initial_columns.get(header, ""),
                help_text=_sample(sheet.column(index)),
            )  # fmt: skip
            self.fields[f"col_{index}"].widget.attrs["class"] = "form-select form-select-sm"

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{i}"] for i in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen: dict[str, str] = {}
        for index, header in enumerate(self.headers):
            code = data.get(f"col_{index}")
            if not code:
                continue
            if code in chosen.values():
                self.add_error(f"col_{index}", _("Another column is already this field."))
            chosen[header] = code
        data["columns"] = chosen
        return data
