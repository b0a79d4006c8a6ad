"""Forms of the survey pages: they only parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.errors import ServiceError
from homeward.core.forms import DateInput, StyledFormMixin
from homeward.surveys.models import Instrument, Questionnaire, Response

ANSWER_PREFIX = "a_"
QUESTION_PREFIX = "q_"


class ServiceErrorMixin:
    answer_prefix = ANSWER_PREFIX

    def answers(self) -> dict[str, str]:
        d = self.cleaned_data  # type: ignore[attr-defined]
        return {name.removeprefix(self.answer_prefix): d[name] for name in d if name.startswith(self.answer_prefix)}

    def add_service_error(self, error: ServiceError) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        placed = False
        for key, messages in error.fields.items():
            name = key.replace("answers.", self.answer_prefix)
            if name in form.fields:
                for message in messages:
                    form.add_error(name, message)
                placed = True
        if not placed:
            form.add_error(None, error.message)


class ResponseForm(ServiceErrorMixin, StyledFormMixin, forms.Form):
    """One radio group per indicator, grouped by dimension (``dimensions`` gives the groups)."""

    kind = forms.ChoiceField(label=_("Interview"), choices=Response.Kind.choices, initial=Response.Kind.FOLLOW_UP)
    taken_on = forms.DateField(label=_("Taken on"), widget=DateInput())

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()
        self.dimensions: list[tuple[Any, list[str]]] = []
        for dimension in instrument.parsed.dimensions:
            names = []
            for indicator in dimension.indicators:
                name = f"{ANSWER_PREFIX}{indicator.code}"
                self.fields[name] = forms.ChoiceField(
                    label=indicator.question,
                    help_text=indicator.label,
                    choices=[(o.code, o.label) for o in indicator.options],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
                names.append(name)
            self.dimensions.append((dimension, names))

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(dimension, [self[name] for name in names]) for dimension, names in self.dimensions]


LIKERT_CHOICES = [
    ("1", _("1 · very dissatisfied")),
    ("2", _("2 · dissatisfied")),
    ("3", _("3 · neither")),
    ("4", _("4 · satisfied")),
    ("5", _("5 · very satisfied")),
]


class SatisfactionForm(ServiceErrorMixin, StyledFormMixin, forms.Form):
    answer_prefix = QUESTION_PREFIX
    taken_on = forms.DateField(label=_("Taken on"), widget=DateInput())

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = timezone.localdate()
        for question in questionnaire.parsed.questions:
            name = f"{QUESTION_PREFIX}{question.code}"
            if question.kind == "likert":
                self.fields[name] = forms.ChoiceField(
                    label=question.text, choices=LIKERT_CHOICES, required=question.required or question.overall,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )  # fmt: skip
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
                )


class FileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))

    def add_service_error(self, error: ServiceError) -> None:
        self.add_error("file", error.message)


class WeightTableForm(FileForm):
    file = forms.FileField(label=_("Weight table (YAML or JSON)"))


class KoboUploadForm(FileForm):
    instrument = forms.TypedChoiceField(label=_("Instrument"), coerce=int)
    file = forms.FileField(label=_("Kobo or ODK export (CSV or JSON, XML values and headers)"))

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.pk, f"{i.parsed.title} (v{i.version})") for i in instruments]
