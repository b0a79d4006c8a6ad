from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker: it only reads yyyy-mm-dd, whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class StyledFormMixin:
    """Bootstrap classes on every widget (Django 5.2 adds aria-invalid and aria-describedby itself)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form: forms.Form = self  # type: ignore[assignment]
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
