"""Health forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin, blank_choice
from homeward.health.models import FitToTravelExam, MedicalAppointment, MedicalReferral


class HealthForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Every health form names the member it is about."""

    member = forms.TypedChoiceField(label=_("Member"), coerce=int)

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = blank_choice([(m.pk, str(m.person)) for m in members])
        self.order_fields(["member"])


class AppointmentForm(HealthForm):
    when = forms.DateTimeField(label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    provider = forms.TypedChoiceField(label=_("Health service"), coerce=int, required=False, empty_value=None)
    provider_name = forms.CharField(label=_("Or another provider"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=250)
    status = forms.ChoiceField(label=_("Status"), choices=MedicalAppointment.Status.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, providers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = blank_choice([(p.pk, p.name) for p in providers])


class ReferralForm(HealthForm):
    referred_to = forms.CharField(label=_("Referred to"), max_length=200)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())


class MedicineForm(HealthForm):
    name = forms.CharField(label=_("Medicine"), max_length=200)
    dosage = forms.CharField(label=_("Dosage"), max_length=200, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    supplied_on = forms.DateField(label=_("Supplied on"), widget=DateInput())
    for_journey = forms.BooleanField(label=_("For the journey"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExamForm(HealthForm):
    examined_on = forms.DateField(label=_("Examined on"), widget=DateInput())
    examiner = forms.CharField(label=_("Examiner"), max_length=200)
    result = forms.ChoiceField(label=_("Result"), choices=blank_choice(FitToTravelExam.Result.choices))
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    notes = forms.CharField(label=_("Conditions and notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CostForm(HealthForm):
    what = forms.CharField(label=_("What"), max_length=250)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    incurred_on = forms.DateField(label=_("Incurred on"), widget=DateInput())
    budget_line = forms.TypedChoiceField(label=_("Budget line"), coerce=int)
    override_reason = forms.CharField(
        label=_("Reason for exceeding the budget"), required=False,
        help_text=_("Only a case supervisor may exceed a budget line."),
    )  # fmt: skip

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].choices = blank_choice([(b.pk, str(b)) for b in lines])


class AppointmentUpdateForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MedicalAppointment.Status.choices)
    outcome = forms.CharField(label=_("Outcome"), required=False)


class ReferralUpdateForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MedicalReferral.Status.choices)
    answer = forms.CharField(label=_("Answer"), required=False)


class CommitForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    override_reason = forms.CharField(label=_("Reason for exceeding the budget"), required=False)


class PayForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
