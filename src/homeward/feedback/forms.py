"""Feedback forms: parse what was typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core import languages
from homeward.core.forms import ServiceErrorsMixin, StyledFormMixin
from homeward.feedback.models import TEXT_MAX
from homeward.feedback.services import FeedbackInput

RATINGS = [
    ("1", _("1 — very bad")),
    ("2", _("2 — bad")),
    ("3", _("3 — acceptable")),
    ("4", _("4 — good")),
    ("5", _("5 — very good")),
]


class _FeedbackFields(ServiceErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the help you received?"), choices=RATINGS, coerce=int,
        empty_value=None, required=False, widget=forms.RadioSelect,
    )  # fmt: skip
    text = forms.CharField(
        label=_("Your feedback"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
    )  # fmt: skip
    is_complaint = forms.BooleanField(label=_("This is a complaint"), required=False)
    contact_ok = forms.BooleanField(label=_("You may contact me about this"), required=False)
    contact = forms.CharField(label=_("Phone or e-mail (optional)"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("text") or "").strip() and data.get("rating") is None and not self.errors:
            self.add_error("text", _("Write your feedback or choose a rating."))
        return data

    def feedback_input(self, language: str) -> FeedbackInput:
        d = self.cleaned_data
        return FeedbackInput(
            text=d["text"], rating=d["rating"], is_complaint=d["is_complaint"], contact_ok=d["contact_ok"],
            contact=d["contact"], language=language,
        )  # fmt: skip


class PublicFeedbackForm(_FeedbackFields):
    """The returnee's form. ``website`` is a honeypot: hidden from people, filled in by robots."""

    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)


class CodeFeedbackForm(PublicFeedbackForm):
    """The same form reached by typing the code from the travel letter."""

    code = forms.CharField(
        label=_("Your code (on your travel letter)"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )  # fmt: skip
    field_order = ["code"]


class PhoneFeedbackForm(StyledFormMixin, _FeedbackFields):
    """Feedback a returnee gave by phone, typed by a member of staff."""

    received_at = forms.DateTimeField(
        label=_("Call received at"), required=False, help_text=_("Leave empty for now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language of the call"), required=False)
    field_order = ["received_at", "language", "rating", "text", "is_complaint", "contact_ok", "contact"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *languages.choices()]
        self.fields["rating"].label = _("Rating given")
        self.fields["text"].label = _("What the returnee said")
        self.fields["is_complaint"].label = _("It is a complaint")
        self.fields["contact_ok"].label = _("The returnee may be contacted about it")
        self.fields["contact"].label = _("Phone or e-mail to call back on")


class AnswerForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label=_("How it was answered"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )
