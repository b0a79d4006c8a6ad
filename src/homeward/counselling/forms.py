"""Forms of the counselling pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.cases.forms import ServiceErrorsMixin
from homeward.cases.models import Case
from homeward.core import languages
from homeward.core.forms import DateInput
from homeward.counselling.models import Interpretation, Mode, Outcome, Topic


class _MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.get_relationship_display()})"


def language_choices(case: Case) -> list[tuple[str, str]]:
    """The common counselling languages, and any the case's members speak besides."""
    choices = languages.choices()
    known = {code for code, _name in choices}
    spoken = [code for m in case.members.all() for code in m.person.languages if code not in known]
    return [("", "—"), *((code, languages.name(code)) for code in dict.fromkeys(spoken)), *choices]


def principal_language(case: Case) -> str:
    for member in case.members.all():
        if member.is_principal and member.person.languages:
            return str(member.person.languages[0])
    return ""


class SessionForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(label=_("How it was held"), choices=Mode.choices)
    language = forms.ChoiceField(label=_("Language"))
    interpretation = forms.ChoiceField(
        label=_("Interpreter or cultural mediator"), choices=Interpretation.choices, required=False
    )
    interpreter_name = forms.CharField(label=_("Their name"), max_length=120, required=False)
    attendees = _MemberChoice(label=_("Present"), queryset=None, widget=forms.CheckboxSelectMultiple)
    topics = forms.MultipleChoiceField(
        label=_("Topics covered"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    questions = forms.CharField(
        label=_("The migrant's questions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    informed_decision = forms.BooleanField(
        label=_("The migrant understood the options and decided freely to return (informed decision)"),
        required=False,
    )
    next_steps = forms.CharField(label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"language": principal_language(case), "attendees": _principal_ids(case)})
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = case.members.select_related("person")
        self.fields["language"].choices = language_choices(case)

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _principal_ids(case: Case) -> list[int]:
    return [m.pk for m in case.members.all() if m.is_principal]


class DeclarationForm(ServiceErrorsMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("The migrant's language"),
        help_text=_("The declaration is printed in this language where Homeward has it, and in English."),
    )
    # Never ticked in advance: consent is recorded only as the migrant gives it.
    consent_processing = forms.BooleanField(label=_("Consents to the processing of personal data"), required=False)
    consent_sharing = forms.BooleanField(
        label=_("Consents to sharing with the mission in the country of origin"), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"language": principal_language(case)})
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices(case)


class ScanForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Scan of the signed declaration"), help_text=_("PDF, JPEG or PNG."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )  # fmt: skip
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    signatories = _MemberChoice(label=_("Signed by"), queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signatories"].queryset = case.members.select_related("person")
