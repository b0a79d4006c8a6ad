"""Outreach forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.core import languages
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin, blank_choice
from homeward.outreach.models import HotlineCall, HowHeard, MaterialDistribution, OutreachMeeting, VenueKind


class OutreachForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    """Shows a service's refusal at its fields."""


class CampaignForm(OutreachForm):
    mission = forms.TypedChoiceField(label=_("Mission"), coerce=int)
    programme = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=200)
    start = forms.DateField(label=_("Start"), widget=DateInput())
    end = forms.DateField(label=_("End"), widget=DateInput())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, missions: list[Any], programmes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [(m.pk, m.code) for m in missions]
        self.fields["programme"].choices = [(p.pk, f"{p.code} — {p.name}") for p in programmes]
        if len(missions) == 1:
            self.fields["mission"].widget = forms.HiddenInput()
            self.fields["mission"].initial = missions[0].pk


class SessionForm(OutreachForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    venue_kind = forms.ChoiceField(label=_("Where"), choices=blank_choice(VenueKind.choices))
    venue_name = forms.CharField(label=_("Venue"), required=False, max_length=200)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    women = forms.IntegerField(label=_("Women"), min_value=0, initial=0)
    men = forms.IntegerField(label=_("Men"), min_value=0, initial=0)
    girls = forms.IntegerField(label=_("Girls"), min_value=0, initial=0)
    boys = forms.IntegerField(label=_("Boys"), min_value=0, initial=0)
    other_participants = forms.IntegerField(label=_("Other or unknown"), min_value=0, initial=0)
    interpreters = forms.IntegerField(label=_("Interpreters"), min_value=0, initial=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = languages.choices()


class MaterialForm(OutreachForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=blank_choice(MaterialDistribution.Kind.choices))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    language = forms.ChoiceField(label=_("Language"), required=False)
    distributed_on = forms.DateField(label=_("Distributed on"), widget=DateInput())
    place = forms.CharField(label=_("Where"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = blank_choice(languages.choices())


class MeetingForm(OutreachForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    with_whom = forms.ChoiceField(label=_("With"), choices=blank_choice(OutreachMeeting.WithWhom.choices))
    organisation = forms.CharField(
        label=_("Organisation"), required=False, max_length=200, help_text=_("E.g. the border and alien police.")
    )
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


LOGGABLE_OUTCOMES = [c for c in HotlineCall.Outcome.choices if c[0] != HotlineCall.Outcome.INQUIRY]


class CallForm(OutreachForm):
    mission = forms.TypedChoiceField(label=_("Mission"), coerce=int)
    received_at = forms.DateTimeField(
        label=_("Received at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    caller_kind = forms.ChoiceField(label=_("Caller"), choices=blank_choice(HotlineCall.CallerKind.choices))
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=200)
    caller_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=32)
    language = forms.ChoiceField(label=_("Language"), required=False)
    interpreter = forms.BooleanField(label=_("Interpreter by conference call"), required=False)
    destination_country = forms.ChoiceField(
        label=_("Country of return"), required=False, help_text=_("If it came up: a case needs it.")
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=blank_choice(HotlineCall.Topic.choices))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=blank_choice(LOGGABLE_OUTCOMES))
    notes = forms.CharField(label=_("What was said"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, missions: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_at": timezone.localtime().replace(second=0, microsecond=0)})
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [(m.pk, m.code) for m in missions]
        if len(missions) == 1:
            self.fields["mission"].widget = forms.HiddenInput()
            self.fields["mission"].initial = missions[0].pk
        self.fields["language"].choices = blank_choice(languages.choices())
        self.fields["destination_country"].choices = blank_choice(list(countries))


class InquiryForm(OutreachForm):
    """What a call may lack to become a case: the migrant's name (another caller) and the country of return."""

    given_names = forms.CharField(label=_("Migrant's given names"), required=False, max_length=150)
    family_name = forms.CharField(label=_("Migrant's family name"), required=False, max_length=150)
    destination_country = forms.ChoiceField(label=_("Country of return"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_country"].choices = blank_choice(list(countries))


class SourceForm(OutreachForm):
    how = forms.ChoiceField(label=_("Heard of the programme through"), choices=blank_choice(HowHeard.choices))
    session = forms.TypedChoiceField(label=_("Information session"), required=False, coerce=int, empty_value=None)
    call = forms.TypedChoiceField(label=_("Hotline call"), required=False, coerce=int, empty_value=None)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, sessions: list[Any], calls: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = blank_choice(
            (s.pk, f"{s.held_on:%Y-%m-%d} · {s.campaign.name} · {s.get_venue_kind_display()} {s.venue_name}")
            for s in sessions
        )
        self.fields["call"].choices = blank_choice(
            (
                c.pk,
                f"{timezone.localtime(c.received_at):%Y-%m-%d %H:%M} · {c.caller_name or c.get_caller_kind_display()}",
            )
            for c in calls
        )
