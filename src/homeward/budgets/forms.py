"""The period of a payments export, read from ``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (page and API alike)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.core.forms import DateInput

FORMATS = (("csv", "CSV"), ("xlsx", "XLSX (Excel)"))


class PeriodForm(forms.Form):
    """``from`` and ``to`` are Python keywords, so the fields are added by name."""

    def __init__(self, *args: Any, with_format: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("From"), widget=DateInput(), input_formats=["%Y-%m-%d"]
        )
        self.fields["to"] = forms.DateField(label=gettext_lazy("To"), widget=DateInput(), input_formats=["%Y-%m-%d"])
        if with_format:
            self.fields["format"] = forms.ChoiceField(label=gettext_lazy("Format"), choices=FORMATS, initial="csv")
        for item in self.fields.values():  # added after StyledFormMixin ran, so styled here
            css = "form-select" if isinstance(item.widget, forms.Select) else "form-control"
            item.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            message = _("The period starts after it ends: %(start)s is after %(end)s.") % {
                "start": start.isoformat(),
                "end": end.isoformat(),
            }
            self.add_error("to", message)
        return data

    def message(self) -> str:
        """The errors in one sentence, for a 400 page or an API error."""
        parts = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            parts.extend(f"{label}: {e}" if label else str(e) for e in errors)
        return " ".join(parts)
