"""Programme pages: the rules in force, targets and budget; administrators correct amounts."""

from __future__ import annotations

import yaml
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from homeward.core.errors import ServiceError
from homeward.core.forms import DateInput, StyledFormMixin
from homeward.programmes import selectors, services
from homeward.programmes.models import Programme, RuleVersion


class CashForm(StyledFormMixin, forms.Form):
    adult = forms.DecimalField(label=gettext_lazy("Adult"), min_value=0, max_digits=14, decimal_places=2)
    minor = forms.DecimalField(label=gettext_lazy("Minor"), min_value=0, max_digits=14, decimal_places=2)
    confirmed = forms.BooleanField(label=gettext_lazy("Confirmed: may be paid"), required=False)


def _can_manage(request: HttpRequest, programme: Programme) -> bool:
    return services.can_manage(request.user, {m.pk for m in programme.missions.all()})


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/programme_list.html", {"programmes": selectors.programmes_for(request.user)})


@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_for(request.user, pk)
    versions = [(v, v.parsed) for v in programme.rule_versions.all()]
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "versions": versions,
            "can_manage": _can_manage(request, programme),
        },
    )


@require_http_methods(["GET", "POST"])
def cash_edit(request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
    programme = selectors.programme_for(request.user, pk)
    if not _can_manage(request, programme):
        raise PermissionDenied(_("Only an administrator of the programme's missions manages it."))
    version = get_object_or_404(programme.rule_versions.all(), pk=version_id)
    cash = version.parsed.benefits.pre_departure_cash
    if cash is None:
        messages.error(request, _("This rule version pays no pre-departure cash."))
        return redirect("programmes:detail", pk=programme.pk)
    initial = {"adult": cash.per_person.adult.value, "minor": cash.per_person.minor.value,
               "confirmed": cash.per_person.adult.confirmed and cash.per_person.minor.confirmed}  # fmt: skip
    form = CashForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_version_set_cash(acting_user=request.user, version=version, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Pre-departure cash saved."))
            return redirect("programmes:detail", pk=programme.pk)
    return render(
        request, "programmes/cash_form.html", {"programme": programme, "version": version, "form": form, "cash": cash}
    )


class RulesForm(StyledFormMixin, forms.Form):
    effective_from = forms.DateField(label=gettext_lazy("In force from"), widget=DateInput())
    rules = forms.CharField(
        label=gettext_lazy("Rules (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "form-control font-monospace"}),
        help_text=gettext_lazy("The eligibility and benefits sections of the rule format (docs/rules-format.md)."),
    )


def _rules_yaml(version: RuleVersion) -> str:
    rules = {k: v for k, v in version.rules.items() if k != "effective_from"}
    return yaml.safe_dump(rules, allow_unicode=True, sort_keys=False)


@require_http_methods(["GET", "POST"])
def rules_edit(request: HttpRequest, pk: int, version_id: int | None = None) -> HttpResponse:
    """Edit a rule version as YAML, or start a new version from the latest one."""
    programme = selectors.programme_for(request.user, pk)
    if not _can_manage(request, programme):
        raise PermissionDenied(_("Only an administrator of the programme's missions manages it."))
    version = get_object_or_404(programme.rule_versions.all(), pk=version_id) if version_id else None
    template = version or programme.rule_versions.first()
    initial = {
        "effective_from": version.effective_from if version else None,
        "rules": _rules_yaml(template) if template else "",
    }
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = yaml.safe_load(form.cleaned_data["rules"])
        except yaml.YAMLError as exc:
            form.add_error("rules", _("This is not valid YAML: %(error)s") % {"error": exc})
        else:
            try:
                services.rule_version_save(
                    acting_user=request.user,
                    programme=programme,
                    effective_from=form.cleaned_data["effective_from"],
                    data=data,
                    version=version,
                )
            except ServiceError as error:
                for place, msgs in error.fields.items():
                    for message in msgs:
                        form.add_error(
                            "effective_from" if place == "effective_from" else "rules", f"{place}: {message}"
                        )
            else:
                messages.success(request, _("Rules saved."))
                return redirect("programmes:detail", pk=programme.pk)
    return render(request, "programmes/rules_form.html", {"programme": programme, "version": version, "form": form})
