"""Partners forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.accounts.models import Mission
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin
from homeward.partners.models import Partner


def _countries(blank: Any = "—") -> list[tuple[str, Any]]:
    return [("", blank), *((code, name) for code, name in countries)]


class PartnersForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class PartnerSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    inactive = forms.BooleanField(label=_("Include inactive"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("any")), *Partner.Kind.choices]
        self.fields["country"].choices = _countries(_("any"))


class PartnerForm(PartnersForm):
    mission = forms.TypedChoiceField(label=_("Mission"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=Partner.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ChoiceField(
        label=_("Country"),
        help_text=_("For an embassy or consulate, the country it represents; otherwise where the partner is."),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    role = forms.CharField(
        label=_("Role in returns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What this partner does for returnees."),
    )

    def __init__(self, *args: Any, missions: list[Mission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missions = {m.pk: m for m in missions}
        self.fields["mission"].choices = [(m.pk, f"{m.code} — {m.name}") for m in missions]
        self.fields["country"].choices = _countries()
        if len(missions) == 1:
            self.fields["mission"].widget = forms.HiddenInput()
            self.fields["mission"].initial = missions[0].pk

    def clean_mission(self) -> Mission:
        return self.missions[self.cleaned_data["mission"]]


class ContactForm(PartnersForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title or role"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)


class IncomingReferralForm(PartnersForm):
    partner = forms.TypedChoiceField(label=_("Referred by"), coerce=int)
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())
    contact_person = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: Any, partners: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = {p.pk: p for p in partners}
        self.fields["partner"].choices = [("", "—"), *((p.pk, p.name) for p in partners)]

    def clean_partner(self) -> Partner:
        return self.partners[self.cleaned_data["partner"]]
