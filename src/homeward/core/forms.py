from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages


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


class ServiceErrorsMixin:
    """``add_service_error``: a service's refusal shown on the form, each message at its field (or on top)."""

    def add_service_error(self, error: Any) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        for key, said in error.fields.items():
            for message in said:
                form.add_error(key if key in form.fields else None, message)
        if not error.fields:
            form.add_error(None, error.message)


def blank_choice(choices: Any) -> list[tuple[Any, Any]]:
    """A select's choices with an empty first one, "—"."""
    return [("", "—"), *choices]


def show_refusal(request: Any, form: Any, error: Any) -> None:
    """A service's refusal on the form, at each field, and said on top of the page."""
    form.add_service_error(error)
    messages.error(request, error.message)
