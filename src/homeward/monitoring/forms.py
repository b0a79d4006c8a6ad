"""Monitoring forms: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.errors import ServiceError
from homeward.core.forms import DateInput, StyledFormMixin
from homeward.monitoring.models import Closure, Visit, VisitFinding

UNSCHEDULED = ""
NOT_CHECKED = ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MonitoringForm(StyledFormMixin, forms.Form):
    def add_service_error(self, error: ServiceError) -> None:
        for key, messages in error.fields.items():
            field = key.split(".")[0]
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        if not error.fields:
            self.add_error(None, error.message)


class RecordForm(MonitoringForm):
    visit = forms.ChoiceField(label=_("Which visit"), required=False)
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput())
    mode = forms.ChoiceField(label=_("How"), choices=[("", "—"), *Visit.Mode.choices])
    met = forms.CharField(label=_("Who was met"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    risks = forms.CharField(label=_("Risks found"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("Follow-up actions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photos = MultipleFileField(label=_("Photos"), required=False, help_text=_("JPEG or PNG, at most 10 a visit."))
    caption = forms.CharField(label=_("Caption of the photos"), required=False, max_length=200)

    def __init__(self, *args: Any, planned: list[Visit], **kwargs: Any) -> None:
        # The visit due next is the one usually recorded.
        kwargs.setdefault(
            "initial", {"visited_on": timezone.localdate(), "visit": str(planned[0].pk) if planned else ""}
        )
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [
            *((str(v.pk), f"{v} ({v.scheduled_for:%Y-%m-%d})") for v in planned),
            (UNSCHEDULED, _("a visit outside the schedule")),
        ]


class FindingForm(MonitoringForm):
    """One row per plan component; a row left at "not checked" says nothing about it."""

    delivered = forms.ChoiceField(
        label=_("Delivered"), required=False, choices=[(NOT_CHECKED, _("not checked")), *VisitFinding.Delivered.choices]
    )
    in_use = forms.ChoiceField(label=_("In use"), required=False, choices=[("", "—"), *VisitFinding.YesNo.choices])
    business_running = forms.ChoiceField(
        label=_("Business running"),
        required=False,
        choices=VisitFinding.Running.choices,
        initial=VisitFinding.Running.NOT_APPLICABLE,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, component: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"c{component.pk}", **kwargs)
        self.component = component


class MissedForm(MonitoringForm):
    note = forms.CharField(label=_("Why it did not take place"), widget=forms.Textarea(attrs={"rows": 2}))


class PhotosForm(MonitoringForm):
    photos = MultipleFileField(label=_("Photos"), help_text=_("JPEG or PNG, at most 10 a visit."))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)


class CloseForm(MonitoringForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *Closure.Reason.choices])
    summary = forms.CharField(label=_("Final summary"), widget=forms.Textarea(attrs={"rows": 4}))
