"""The form to record a safeguarding item: it parses; the service decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from homeward.cases.forms import ServiceErrorsMixin
from homeward.core.forms import DateInput
from homeward.people.taxonomy import NAMES
from homeward.safeguarding.selectors import Required


def target_key(required: Required) -> str:
    """One value naming a member's item: ``<member id>:<vulnerability>:<item>``."""
    return f"{required.member.pk}:{required.vulnerability}:{required.item}"


def parse_target(value: str) -> tuple[int, str, str] | None:
    parts = (value or "").split(":")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1], parts[2]


class ItemForm(ServiceErrorsMixin, forms.Form):
    target = forms.ChoiceField(label=_("Item"))
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, by whom, and where the record is kept."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"), required=False, help_text=_("Optional: PDF, JPEG or PNG."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )  # fmt: skip

    def __init__(self, *args: Any, missing: list[Required], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (target_key(r), f"{r.member.person.full_name} — {NAMES.get(r.vulnerability, r.vulnerability)}: {r.label}")
            for r in missing
        ]

    def add_service_error(self, error: Any, prefix: str = "") -> None:
        # The service names member, vulnerability and item; the form shows them on its one choice.
        for key in ("member", "vulnerability", "item"):
            if key in error.fields:
                error.fields.setdefault("target", []).extend(error.fields.pop(key))
        super().add_service_error(error, prefix)
