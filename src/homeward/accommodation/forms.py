"""Accommodation forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accommodation.models import EndReason, Facility, RoomType
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin, blank_choice


class AccommodationForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class FacilityForm(AccommodationForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=blank_choice(Facility.Kind.choices))
    partner = forms.TypedChoiceField(label=_("Run by partner"), coerce=int, required=False, empty_value=None)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, partners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = blank_choice([(p.pk, p.name) for p in partners])


class CapacityForm(AccommodationForm):
    room_type = forms.ChoiceField(label=_("Room type"), choices=blank_choice(RoomType.choices))
    beds = forms.IntegerField(label=_("Beds"), min_value=0, help_text=_("Zero removes the room type."))


def _member_choices(members: list[Any]) -> list[tuple[int, str]]:
    return [(m.pk, f"{m.person} ({m.get_relationship_display()})") for m in members]


class CheckInForm(AccommodationForm):
    members = forms.TypedMultipleChoiceField(
        label=_("Who"), coerce=int, widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Choose who.")}
    )
    facility = forms.TypedChoiceField(label=_("Facility"), coerce=int)
    room_type = forms.ChoiceField(label=_("Room type"), choices=blank_choice(RoomType.choices))
    checked_in_on = forms.DateField(label=_("Check-in"), widget=DateInput())
    expected_check_out_on = forms.DateField(label=_("Expected check-out"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason for the placement"), required=False, max_length=500)

    def __init__(self, *args: Any, members: list[Any], facilities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = _member_choices(members)
        self.fields["members"].initial = [m.pk for m in members]
        self.fields["facility"].choices = blank_choice([(f.pk, f.name) for f in facilities])
        if len(facilities) == 1:  # the usual case: the mission's one open centre
            self.fields["facility"].initial = facilities[0].pk
        self.fields["checked_in_on"].initial = timezone.localdate()


class CheckOutForm(AccommodationForm):
    checked_out_on = forms.DateField(label=_("Check-out"), widget=DateInput())
    end_reason = forms.ChoiceField(label=_("Reason"), choices=blank_choice(EndReason.choices))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checked_out_on"].initial = timezone.localdate()


class WaitingForm(AccommodationForm):
    members = forms.TypedMultipleChoiceField(
        label=_("Who"), coerce=int, widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Choose who.")}
    )
    room_type = forms.ChoiceField(label=_("Room type"), choices=blank_choice(RoomType.choices))
    facility = forms.TypedChoiceField(label=_("Preferred facility"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, members: list[Any], facilities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = _member_choices(members)
        self.fields["members"].initial = [m.pk for m in members]
        self.fields["facility"].choices = blank_choice([(f.pk, f.name) for f in facilities])
