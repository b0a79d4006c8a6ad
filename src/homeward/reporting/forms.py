"""Forms of the donor report: the period and missions asked for, and the narrative.

The period is read by ``periods.parse_period`` (the API reads it the same way), so a
date typed wrong or an end before the start gets the same words everywhere.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.core.errors import ServiceError
from homeward.core.forms import DateInput, ServiceErrorsMixin, StyledFormMixin
from homeward.programmes.models import Programme
from homeward.reporting import report_selectors, selectors
from homeward.reporting.periods import Period, parse_period


class AnyMissionField(forms.MultipleChoiceField):
    """Mission codes, checked by the form against what the user reports on (with clearer words)."""

    def valid_value(self, value: str) -> bool:
        return True


class ReportQueryForm(forms.Form):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD&mission=CODE`` (``mission`` repeatable, empty for all).

    Without dates the period is the life of the programme. ``from`` is a Python keyword,
    so the date fields are added by name.
    """

    mission = AnyMissionField(label=gettext_lazy("Missions"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, user: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.programme = user, programme
        self.fields["from"] = forms.CharField(label=gettext_lazy("From"), required=False, widget=DateInput())
        self.fields["to"] = forms.CharField(label=gettext_lazy("To"), required=False, widget=DateInput())
        self.fields["mission"].choices = [(m.code, m.name) for m in selectors.report_missions(user, programme)]
        for name in ("from", "to"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        life = Period(self.programme.start, self.programme.end)
        try:
            data["period"] = parse_period(data.get("from") or None, data.get("to") or None, default=life)
        except ServiceError as error:
            for name, messages in error.fields.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        data["missions"] = self._missions(data.get("mission") or [])
        return data

    def _missions(self, codes: list[str]) -> list[int] | None:
        if not codes:
            return None
        found = report_selectors.missions_by_code(codes)
        unknown = sorted({c.strip().upper() for c in codes} - set(found))
        if unknown:
            self.add_error("mission", _("Unknown mission: %(codes)s.") % {"codes": ", ".join(unknown)})
            return None
        allowed = selectors.aggregate_missions(self.user)
        foreign = sorted(code for code, m in found.items() if m.pk not in allowed)
        if foreign:
            self.add_error(
                "mission",
                _("You do not see the figures of %(codes)s.") % {"codes": ", ".join(foreign)},
            )
            return None
        return sorted(m.pk for m in found.values())

    def message(self) -> str:
        """The errors in one sentence, for a 400 page or the API."""
        return " ".join(str(e) for errors in self.errors.values() for e in errors)

    def error(self) -> ServiceError:
        return ServiceError(self.message(), {name: [str(e) for e in errors] for name, errors in self.errors.items()})


class NarrativeForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    context = forms.CharField(
        label=gettext_lazy("Context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The situation the programme worked in during the period."),
    )
    challenges = forms.CharField(
        label=gettext_lazy("Challenges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What held the programme back, and what was done about it."),
    )
    partnerships = forms.CharField(
        label=gettext_lazy("Partnerships"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Who the programme worked with: authorities, NGOs, other agencies."),
    )


class NewReportForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
