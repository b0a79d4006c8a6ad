"""Grant forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin
from homeward.grants.models import Grant

HOUSEHOLD = ""


class GrantForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class ProposeForm(GrantForm):
    kind = forms.ChoiceField(label=_("Kind"))
    member = forms.ChoiceField(label=_("For"), required=False)
    days = forms.IntegerField(
        label=_("Days"), required=False, min_value=1, help_text=_("Per diem only: the days counted.")
    )
    component = forms.TypedChoiceField(
        label=_("Plan component"), required=False, coerce=int, empty_value=None,
        help_text=_("Reintegration in cash only: the component delivered in cash."),
    )  # fmt: skip
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=12, decimal_places=2,
        help_text=_("Leave empty for the amount the programme gives."),
    )  # fmt: skip
    override_reason = forms.CharField(
        label=_("Reason for exceeding the entitlement"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    at_airport = forms.BooleanField(label=_("Handed over at the airport on departure"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, kinds: list[tuple[str, str]], members: list[Any], components: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["member"].choices = [
            (HOUSEHOLD, _("the household")),
            *((str(m.pk), m.person.full_name) for m in members),
        ]
        if components:
            self.fields["component"].choices = [
                ("", "—"),
                *((c.pk, f"{c.get_kind_display()} ({c.budget} {c.plan.currency})") for c in components),
            ]
        else:
            del self.fields["component"]


class ApproveForm(GrantForm):
    override_reason = forms.CharField(
        label=_("Reason for exceeding the budget line"),
        required=False,
        help_text=_("Only if the budget line has too little left."),
    )


class PayForm(GrantForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=[("", "—"), *Grant.Method.choices])
    paid_currency = forms.CharField(
        label=_("Currency paid"), required=False, max_length=3, help_text=_("If paid in another currency.")
    )
    paid_amount = forms.DecimalField(
        label=_("Amount paid"), required=False, min_value=0, max_digits=12, decimal_places=2,
        help_text=_("Leave empty: the grant's amount, converted at the day's rate."),
    )  # fmt: skip
    payment_reference = forms.CharField(label=_("Payment reference"), required=False, max_length=80)
    receipt = forms.FileField(
        label=_("Receipt"), required=False, help_text=_("Cash: the scan of the receipt the returnee signed.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReceiptForm(GrantForm):
    receipt = forms.FileField(label=_("Receipt"))


class CancelForm(GrantForm):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(GrantForm):
    returned_on = forms.DateField(label=_("Returned on"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Why it came back"), widget=forms.Textarea(attrs={"rows": 2}))


class ReissueForm(GrantForm):
    reissued_on = forms.DateField(label=_("Handed over again on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Which departure, and by whom"), widget=forms.Textarea(attrs={"rows": 2}))
