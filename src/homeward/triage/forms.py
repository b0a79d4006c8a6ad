"""Triage forms: parse what staff typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.core.forms import ServiceErrorsMixin, StyledFormMixin, blank_choice
from homeward.triage.models import ContactAttempt, Inquiry


class TriageForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class AssignForm(TriageForm):
    counsellor = forms.TypedChoiceField(label=_("Counsellor"), coerce=int)

    def __init__(self, *args: Any, counsellors: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].choices = [(u.pk, u.get_full_name() or u.username) for u in counsellors]


class ContactForm(TriageForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=blank_choice(ContactAttempt.Channel.choices))
    reached = forms.TypedChoiceField(
        label=_("Reached the person?"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(TriageForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=blank_choice(Inquiry.CloseReason.choices))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is “other”."),
    )  # fmt: skip


class ConvertForm(TriageForm):
    """What the case takes from the inquiry that staff may correct: the name split and the phone."""

    given_names = forms.CharField(label=_("Given names"), max_length=150)
    family_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    destination_country = forms.ChoiceField(label=_("Country of return"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_country"].choices = blank_choice(countries)
