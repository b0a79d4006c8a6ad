"""Administrators edit programmes here; rule versions are checked against the rule format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from pydantic import ValidationError as SchemaError

from homeward.programmes.models import BudgetLine, ExchangeRate, Phase, Programme, RuleVersion, Target
from homeward.programmes.schema import RuleVersion as RuleVersionSchema
from homeward.programmes.services import schema_errors


class RuleVersionForm(forms.ModelForm):
    class Meta:
        model = RuleVersion
        fields = ["programme", "effective_from", "note", "rules"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rules = data.get("rules")
        if rules is not None and not isinstance(rules, dict):
            raise forms.ValidationError("rules: expected keys such as eligibility and benefits")
        if isinstance(rules, dict) and data.get("effective_from"):
            try:
                parsed = RuleVersionSchema.model_validate({**rules, "effective_from": data["effective_from"]})
            except SchemaError as exc:
                raise forms.ValidationError(
                    [f"{place}: {'; '.join(msgs)}" for place, msgs in schema_errors(exc).items()]
                ) from exc
            data["rules"] = parsed.model_dump(mode="json")
        return data


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class RuleVersionInline(admin.StackedInline):
    model = RuleVersion
    form = RuleVersionForm
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "donor", "start", "end", "status"]
    list_filter = ["status", "missions"]
    search_fields = ["code", "name", "donor"]
    filter_horizontal = ["missions"]
    inlines = [PhaseInline, TargetInline, BudgetLineInline, RuleVersionInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "quote", "on", "rate", "source"]
    list_filter = ["currency", "quote"]
    date_hierarchy = "on"
