"""Activity forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.activities.models import Activity
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin, blank_choice


class ActivitiesForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class ActivityForm(ActivitiesForm):
    mission = forms.TypedChoiceField(label=_("Mission"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=blank_choice(Activity.Kind.choices))
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int, required=False, empty_value=None)
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int, required=False, empty_value=None)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    capacity = forms.IntegerField(label=_("Places"), required=False, min_value=1, help_text=_("Empty: no limit."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, missions: list[Any], programmes: list[Any], providers: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [(m.pk, m.code) for m in missions]
        self.fields["programme"].choices = blank_choice([(p.pk, p.code) for p in programmes])
        self.fields["provider"].choices = blank_choice([(p.pk, p.name) for p in providers])
        if len(missions) == 1:
            self.fields["mission"].widget = forms.HiddenInput()
            self.fields["mission"].initial = missions[0].pk


class EnrolForm(ActivitiesForm):
    activity = forms.TypedChoiceField(label=_("Activity"), coerce=int)
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)

    def __init__(self, *args: Any, activities: list[Any], members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = blank_choice(
            [(a.pk, f"{a.title} ({a.starts_on:%Y-%m-%d})") for a in activities]
        )
        self.fields["member"].choices = blank_choice([(m.pk, str(m.person)) for m in members])


class SheetForm(ActivitiesForm):
    """One day's attendance: the date and who came (enrolment ids)."""

    on = forms.DateField(label=_("Date"), widget=DateInput())
    present = forms.TypedMultipleChoiceField(label=_("Present"), coerce=int, required=False)

    def __init__(self, *args: Any, enrolments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(e.pk, str(e.member.person)) for e in enrolments]


class CompleteForm(ActivitiesForm):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    certificate_note = forms.CharField(label=_("Certificate"), max_length=250, required=False)
