"""Page forms for tasks: parse what a person typed; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.cases.forms import ServiceErrorsMixin
from homeward.work.models import TaskKind


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is read in the user's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class TaskCreateForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices, initial=TaskKind.OTHER)
    note = forms.CharField(label=_("What is to be done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    due_at = forms.DateTimeField(label=_("Due"), widget=DateTimeLocalInput())
    assignee = UserChoiceField(queryset=None, label=_("Assigned to"))

    def __init__(self, *args: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees


class TaskCompleteForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)


class TaskCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class TaskReassignForm(forms.Form):
    assignee = UserChoiceField(queryset=None, label=_("Assign to"), required=False, empty_label=_("the role's queue"))

    def __init__(self, *args: Any, assignees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees


class WorkFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("all", _("mine and my roles' queue")), ("mine", _("mine only")), ("queue", _("my roles' queue"))],
    )
