"""Travel forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import Mission
from homeward.cases.models import Case
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin
from homeward.partners import selectors as partner_selectors
from homeward.partners.models import Partner
from homeward.travel import rules
from homeward.travel.models import AssistanceLeg, SpecialNeed, TravelDocumentRequest

Doc = TravelDocumentRequest
_LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class AirportTimeField(forms.Field):
    """A wall-clock time at an airport, kept without a zone: the airport's zone gives it one.

    Django's DateTimeField would read it in the server's zone, which is not the airport's.
    """

    widget = LocalDateTimeInput

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for fmt in _LOCAL_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)  # noqa: DTZ007 - a wall-clock time, made aware by the service
            except ValueError:
                continue
            return rules.plausible_travel_time(parsed)
        raise ValidationError(_("Enter a date and time, e.g. 2026-12-01 10:00."), code="invalid")


class TravelForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


def _members(members: Any) -> list[tuple[str, str]]:
    return [(str(m.pk), m.person.full_name) for m in members]


class DocumentRequestForm(TravelForm):
    """The embassy comes from the host mission's partners directory, those of the case's destination
    country first, with how long each usually takes as help."""

    member = forms.TypedChoiceField(label=_("Traveller"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=Doc.Kind.choices)
    embassy = forms.TypedChoiceField(label=_("Embassy or consulate"), coerce=int)
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput())
    expected_on = forms.DateField(label=_("Expected by"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: Any, members: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = _members(members)
        issuers = partner_selectors.issuers_for_case(case)
        self.embassies = {p.pk: p for p in issuers}
        destination = str(case.destination_country or "")
        preferred = [p for p in issuers if str(p.country) == destination]
        others = [p for p in issuers if str(p.country) != destination]
        choices: list[Any] = [("", "—")]
        if preferred:
            choices.append((case.destination_country.name, [(p.pk, p.name) for p in preferred]))
        if others:
            choices.append((str(_("Other embassies and consulates")), [(p.pk, _issuer_label(p)) for p in others]))
        self.fields["embassy"].choices = choices
        self.fields["embassy"].help_text = _embassy_help(preferred)
        if len(preferred) == 1 and not self.is_bound:
            self.fields["embassy"].initial = preferred[0].pk

    def clean_embassy(self) -> Partner:
        return self.embassies[self.cleaned_data["embassy"]]


def _issuer_label(partner: Partner) -> str:
    return f"{partner.name} ({partner.country.name})"


def _embassy_help(preferred: list[Partner]) -> str:
    """How long the embassies of the destination country usually take, from the travel-document history."""
    if not preferred:
        return str(_("No embassy or consulate of this country in the partners directory yet: add it there first."))
    figures = partner_selectors.turnaround(p.pk for p in preferred)
    lines = []
    for partner in preferred:
        text = figures[partner.pk].text if partner.pk in figures else ""
        lines.append(
            _("%(name)s: %(turnaround)s") % {"name": partner.name, "turnaround": text}
            if text
            else _("%(name)s: no document issued yet") % {"name": partner.name}
        )
    return "; ".join(lines)


class DocumentUpdateForm(TravelForm):
    status = forms.ChoiceField(label=_("Status"), choices=Doc.Status.choices)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput(), required=False)
    number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItineraryForm(TravelForm):
    booking_reference = forms.CharField(label=_("Booking reference"), max_length=40, required=False)
    travellers = forms.TypedMultipleChoiceField(label=_("Travellers"), coerce=int, widget=forms.CheckboxSelectMultiple)
    baggage_allowance = forms.CharField(label=_("Baggage allowance"), max_length=80, required=False)
    special_needs = forms.MultipleChoiceField(
        label=_("Special needs"), choices=SpecialNeed.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    escorts = forms.CharField(label=_("Escorts"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    onward_transport = forms.CharField(
        label=_("Onward transport to the final address"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    final_address = forms.CharField(label=_("Final address"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["travellers"].choices = _members(members)


class SegmentForm(TravelForm):
    carrier = forms.CharField(label=_("Carrier"), max_length=80)
    number = forms.CharField(label=_("Flight or route number"), max_length=20)
    origin = forms.CharField(label=_("From (IATA)"), max_length=3, min_length=3)
    departs_local = AirportTimeField(label=_("Departs (local time at the airport)"))
    destination = forms.CharField(label=_("To (IATA)"), max_length=3, min_length=3)
    arrives_local = AirportTimeField(label=_("Arrives (local time at the airport)"))


class TicketForm(TravelForm):
    member = forms.TypedChoiceField(label=_("Traveller"), coerce=int)
    number = forms.CharField(label=_("Ticket number"), max_length=40)
    cost = forms.DecimalField(label=_("Cost"), max_digits=10, decimal_places=2, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="EUR")

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = _members(members)


class AssistanceForm(TravelForm):
    kind = forms.ChoiceField(label=_("Where"), choices=AssistanceLeg.Kind.choices)
    airport = forms.CharField(label=_("Airport (IATA)"), max_length=3)
    mission = forms.TypedChoiceField(label=_("Provided by"), coerce=int)
    meeting_point = forms.CharField(label=_("Meeting point"), max_length=200, required=False)
    contact = forms.CharField(label=_("Contact on the day"), max_length=120, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=AssistanceLeg.Status.choices)
    outcome = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: Any, missions: list[Mission], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Plain choices from a list read once: a page shows this form once per itinerary.
        self.missions = {m.pk: m for m in missions}
        self.fields["mission"].choices = [(m.pk, m.name) for m in missions]
        if editing:
            del self.fields["kind"]
            del self.fields["airport"]

    def clean_mission(self) -> Mission:
        return self.missions[self.cleaned_data["mission"]]


def mission_choices() -> list[Mission]:
    return list(Mission.objects.order_by("code"))


class CheckForm(TravelForm):
    checked_at = AirportTimeField(
        label=_("Checked at (local time at the departure airport)"),
        required=False,
        help_text=_("Leave empty for now."),
    )
    fit_to_travel = forms.BooleanField(label=_("Fit to travel"), required=False)
    documents_in_order = forms.BooleanField(label=_("Documents in order"), required=False)
    still_willing = forms.BooleanField(label=_("Still willing to return"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 1}))


class ReconcileForm(TravelForm):
    note = forms.CharField(
        label=_("How the tickets, cash and assistance were settled"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )


class ManifestForm(forms.Form):
    date = forms.DateField(label=_("Arrival date"), widget=DateInput())
    country = forms.CharField(label=_("Destination country"), max_length=2, min_length=2)

    def clean_date(self) -> dt.date:
        return rules.plausible_travel_time(self.cleaned_data["date"])

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()
