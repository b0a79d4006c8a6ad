from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin
from homeward.privacy.models import How, Purpose


class ConsentForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)  # type: ignore[arg-type]
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    how = forms.ChoiceField(
        label=_("How it was given"), choices=[(How.FORM, How.FORM.label), (How.VERBAL, How.VERBAL.label)]
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = case.members.select_related("person")  # type: ignore[attr-defined]
        self.fields["member"].label_from_instance = lambda m: m.person.full_name  # type: ignore[attr-defined]


class WithdrawForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EraseForm(StyledFormMixin, ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), min_length=10, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the person's written request for erasure and its date."),
    )  # fmt: skip
