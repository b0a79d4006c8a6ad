"""Provider forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.assistance.models import Provider
from homeward.assistance.services import BankDetails, ProviderInput
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin


def _country_choices(blank: str = "—") -> list[tuple[str, str]]:
    return [("", blank), *((code, name) for code, name in countries)]


class ProviderFormBase(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class ProviderSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    vetting_status = forms.ChoiceField(label=_("Vetting"), required=False)
    inactive = forms.BooleanField(label=_("Include inactive"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices(str(_("any")))
        self.fields["category"].choices = [("", _("any")), *Provider.Category.choices]
        self.fields["vetting_status"].choices = [("", _("any")), *Provider.Vetting.choices]


class ProviderForm(ProviderFormBase):
    """The provider's details and, for those who handle them, its bank details.

    ``details=False`` leaves the details out (a finance officer changes only
    bank details); ``bank=False`` leaves the bank details out.
    """

    DETAIL_FIELDS = ("name", "country", "category", "contact_person", "phone", "email", "address", "active")
    BANK_FIELDS = ("account_holder", "bank_name", "account_number", "swift_bic")

    mission = forms.ModelChoiceField(queryset=None, label=_("Managing mission"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"))
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Provider.Category.choices])
    contact_person = forms.CharField(label=_("Contact person"), required=False, max_length=150)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        help_text=_("A local number is read in the provider's country; a number from abroad starts with +."),
    )
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    account_holder = forms.CharField(label=_("Account holder"), required=False, max_length=200)
    bank_name = forms.CharField(label=_("Bank"), required=False, max_length=200)
    account_number = forms.CharField(
        label=_("IBAN or account number"),
        required=False,
        max_length=50,
        help_text=_("An IBAN's check digits are verified; where there is no IBAN, type the account number."),
    )
    swift_bic = forms.CharField(label=_("SWIFT/BIC"), required=False, max_length=14)

    def __init__(
        self, *args: Any, missions: Any = None, details: bool = True, bank: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.has_details, self.has_bank = details, bank
        self.fields["country"].choices = _country_choices()
        if missions is None:
            del self.fields["mission"]
        else:
            self.fields["mission"].queryset = missions
        for name in () if details else self.DETAIL_FIELDS:
            del self.fields[name]
        for name in () if bank else self.BANK_FIELDS:
            del self.fields[name]

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.DETAIL_FIELDS if name in self.fields]

    def bank_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BANK_FIELDS if name in self.fields]

    def to_input(self) -> ProviderInput | None:
        if not self.has_details:
            return None
        d = self.cleaned_data
        return ProviderInput(**{name: d[name] for name in self.DETAIL_FIELDS})

    def to_bank(self) -> BankDetails | None:
        if not self.has_bank:
            return None
        d = self.cleaned_data
        return BankDetails(**{name: d[name] for name in self.BANK_FIELDS})


class VettingForm(ProviderFormBase):
    status = forms.ChoiceField(label=_("Vetting status"))
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=DateInput(),
        help_text=_("For a decision (vetted, rejected, suspended); today if left empty."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was checked, or why the provider is rejected or suspended."),
    )

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = statuses


# ---------------------------------------------------------------- procurement


class ProcurementForm(ProviderFormBase):
    """A procurement form: the services check the rules, this only parses."""


class QuoteForm(ProcurementForm):
    prefix = "quote"  # several forms share a page: their fields need distinct ids
    provider = forms.ModelChoiceField(queryset=None, label=_("Provider"))
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, help_text=_("e.g. PKR"))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    description = forms.CharField(label=_("What is offered"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    scan = forms.FileField(label=_("Scan (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        field.queryset = providers
        field.label_from_instance = lambda p: f"{p.name} ({p.get_vetting_status_display()})"


class ChooseQuoteForm(ProcurementForm):
    reason = forms.CharField(label=_("Why this quote"), widget=forms.Textarea(attrs={"rows": 2}))


class OrderForm(ProcurementForm):
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label=_("Reason for exceeding the component's budget"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A supervisor's, only when the order is above what is left of the budget."),
    )


class ReasonForm(ProcurementForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeliveryForm(ProcurementForm):
    prefix = "delivery"  # several forms share a page: their fields need distinct ids
    purchase_order = forms.ModelChoiceField(queryset=None, label=_("Order"), required=False, empty_label="—")
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    description = forms.CharField(label=_("What was received"), widget=forms.Textarea(attrs={"rows": 2}))
    complete = forms.BooleanField(label=_("Everything ordered has now been received"), required=False)
    confirmed_by_returnee = forms.BooleanField(label=_("Confirmed by the returnee"), required=False)
    evidence = forms.FileField(
        label=_("Signature or photo (PDF, JPEG or PNG)"),
        required=False,
        help_text=_("Required when the returnee confirms receiving it."),
    )

    def __init__(self, *args: Any, orders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchase_order"].queryset = orders


class InvoiceForm(ProcurementForm):
    prefix = "invoice"  # several forms share a page: their fields need distinct ids
    purchase_order = forms.ModelChoiceField(queryset=None, label=_("Order"), empty_label=None)
    provider_reference = forms.CharField(label=_("Provider's invoice number"), max_length=60)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    issued_on = forms.DateField(label=_("Invoice date"), widget=DateInput())
    scan = forms.FileField(label=_("Scan (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args: Any, orders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purchase_order"].queryset = orders


class PayForm(ProcurementForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    payment_reference = forms.CharField(label=_("Payment reference"), required=False, max_length=80)
    override_reason = forms.CharField(
        label=_("Reason for exceeding the budget or the case's ceiling"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
