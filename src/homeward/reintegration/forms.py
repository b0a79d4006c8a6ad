"""Forms of the plan pages: they parse what was typed; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.cases.forms import ServiceErrorsMixin
from homeward.cases.models import Case
from homeward.core.forms import DateInput
from homeward.reintegration.models import Component
from homeward.reintegration.services import ComponentInput

_TEXT = {"rows": 2}


class PlanCreateForm(ServiceErrorsMixin, forms.Form):
    member = forms.ChoiceField(label=_("A plan for"), required=False)

    def __init__(self, *args: Any, case: Case, planned: set[int | None], **kwargs: Any) -> None:
        """``planned``: the member ids that have a plan (``None`` for the household's): they are not offered."""
        super().__init__(*args, **kwargs)
        members = [
            (str(m.pk), f"{m.person.full_name} ({m.get_relationship_display()})")
            for m in case.members.all()
            if m.pk not in planned
        ]
        household = [] if planned else [("", _("the whole household"))]
        self.fields["member"].choices = [*household, *members]
        self.case = case

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["member"].choices)

    def member_obj(self) -> Any:
        chosen = self.cleaned_data.get("member")
        return next((m for m in self.case.members.all() if str(m.pk) == chosen), None)


class NeedsForm(ServiceErrorsMixin, forms.Form):
    needs_economic = forms.CharField(label=_("Economic needs"), widget=forms.Textarea(attrs=_TEXT), required=False)
    needs_social = forms.CharField(label=_("Social needs"), widget=forms.Textarea(attrs=_TEXT), required=False)
    needs_psychosocial = forms.CharField(
        label=_("Psychosocial needs"), widget=forms.Textarea(attrs=_TEXT), required=False
    )
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs=_TEXT), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ComponentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Component.Kind.choices])
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs=_TEXT), required=False)
    budget = forms.DecimalField(label=_("Budget"), min_value=0, max_digits=12, decimal_places=2)
    delivery = forms.ChoiceField(label=_("How it is delivered"), choices=Component.Delivery.choices)
    due_by = forms.DateField(label=_("To deliver by"), widget=DateInput(), required=False)
    business_activity = forms.CharField(label=_("Business activity"), max_length=200, required=False)
    business_location = forms.CharField(label=_("Business location"), max_length=200, required=False)
    business_costs = forms.DecimalField(
        label=_("Start-up costs"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    expected_income = forms.DecimalField(
        label=_("Expected monthly income"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    partnership = forms.BooleanField(label=_("In partnership"), required=False)
    partners = forms.CharField(label=_("Partners"), widget=forms.Textarea(attrs={"rows": 1}), required=False)

    def __init__(self, *args: Any, cash_allowed: bool, currency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["budget"].label = _("Budget (%(currency)s)") % {"currency": currency}
        if not cash_allowed:
            # The programme pays reintegration in kind only: cash is not offered at all.
            self.fields["delivery"].choices = [
                c for c in Component.Delivery.choices if c[0] == Component.Delivery.IN_KIND
            ]
        self.fields["business_activity"].help_text = _("For a micro-business: the short business plan.")

    def to_input(self) -> ComponentInput:
        return ComponentInput(**self.cleaned_data)


class ApproveForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 1}), required=False)
    override_reason = forms.CharField(
        label=_("Reason for exceeding the ceiling"), widget=forms.Textarea(attrs=_TEXT), required=False,
        help_text=_("Only a supervisor's reason lets the plans cost more than the case's ceiling."),
    )  # fmt: skip


class DayForm(ServiceErrorsMixin, forms.Form):
    on = forms.DateField(label=_("On"), widget=DateInput(), required=False)


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    on = forms.DateField(label=_("On"), widget=DateInput(), required=False)


class CloseForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Why it closes"), max_length=500, required=False)


class AgreementForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Scan of the signed agreement"), help_text=_("PDF, JPEG or PNG."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )  # fmt: skip
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
