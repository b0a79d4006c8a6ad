"""Appointment and office forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.appointments import hours as office_hours
from homeward.appointments.models import Appointment, OfficeHours
from homeward.core import languages
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin


class AppointmentsForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class BookingForm(AppointmentsForm):
    office = forms.TypedChoiceField(label=_("Office"), coerce=int)
    counsellor = forms.TypedChoiceField(label=_("Counsellor"), coerce=int)
    on = forms.DateField(label=_("Date"), widget=DateInput(), help_text=_("In the office's time zone."))
    start = forms.TimeField(label=_("Start time"), widget=TimeInput())
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=60, widget=forms.NumberInput(attrs={"step": 15, "min": 15, "max": 240})
    )
    mode = forms.ChoiceField(label=_("How"), choices=Appointment.Mode.choices, initial=Appointment.Mode.IN_PERSON)
    phone = forms.CharField(label=_("Phone number to call"), required=False, max_length=32,
                            help_text=_("For an appointment by phone."))  # fmt: skip
    video_link = forms.CharField(label=_("Video link"), required=False, max_length=500,
                                 help_text=_("For an appointment by video call."))  # fmt: skip
    language = forms.ChoiceField(label=_("Language"))
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    interpreter = forms.CharField(label=_("Interpreter (name or note)"), required=False, max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, offices: list[Any], counsellors: list[Any], language: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o.pk, f"{o.name} ({o.mission.code})") for o in offices]
        self.fields["counsellor"].choices = [(u.pk, u.get_full_name() or u.username) for u in counsellors]
        choices = languages.choices()
        if language and language not in dict(choices):
            choices = [(language, languages.name(language)), *choices]
        self.fields["language"].choices = [("", "—"), *choices]


class CancelForm(AppointmentsForm):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2}))


class MarkForm(AppointmentsForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(Appointment.Status.ATTENDED, _("attended")), (Appointment.Status.NO_SHOW, _("did not come"))],
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OfficeForm(AppointmentsForm):
    mission = forms.TypedChoiceField(label=_("Mission"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=150)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Europe/Athens",
                                help_text=_("As in the IANA list, e.g. Europe/Athens or Europe/Bratislava."))  # fmt: skip
    languages = forms.CharField(label=_("Languages of service"), required=False, max_length=200,
                                help_text=_("ISO 639 codes, separated by commas: en, el, ar, fa."))  # fmt: skip
    public = forms.BooleanField(label=_("Shown on the public site"), required=False, initial=True)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, missions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [(m.pk, m.code) for m in missions]
        if len(missions) == 1:
            self.fields["mission"].widget = forms.HiddenInput()
            self.fields["mission"].initial = missions[0].pk

    def clean_languages(self) -> list[str]:
        return [c.strip().lower() for c in self.cleaned_data["languages"].replace(";", ",").split(",") if c.strip()]


class HoursForm(AppointmentsForm):
    """One line per weekday: "08:30–12:30, 13:30–16:30", empty for a closed day."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in OfficeHours.Weekday.choices:
            self.fields[f"day_{day}"] = forms.CharField(label=label, required=False, max_length=100)
            self.fields[f"day_{day}"].widget.attrs.setdefault("class", "form-control")
            self.fields[f"day_{day}"].widget.attrs["placeholder"] = "08:30–16:30"

    @staticmethod
    def initial_for(hours: Any) -> dict[str, str]:
        days = office_hours.by_day(hours)
        return {f"day_{d}": ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in periods) for d, periods in days.items()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        week: dict[int, list[office_hours.Period]] = {}
        for day in range(7):
            try:
                week[day] = office_hours.parse_periods(data.get(f"day_{day}", ""))
            except ValueError as exc:
                self.add_error(f"day_{day}", str(exc))
        data["week"] = week
        return data
