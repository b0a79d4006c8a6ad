"""The health card on the case page: records, a fit-to-travel line per member, and small forms.

A user who may not see medical facts sees at most that health records exist.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.cases import workflow
from homeward.core import reads
from homeward.health import selectors, services
from homeward.health.models import MedicalAppointment, MedicalReferral
from homeward.health.views import TITLES, blank_form

register = template.Library()


@register.simple_tag(takes_context=True)
def health_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    ctx: dict[str, Any] = {"case": case}
    if not selectors.may_read(user, case):
        if not selectors.has_records(case):
            return ""
        ctx["health"] = None
    else:
        health = selectors.case_health(user, case)
        reads.record_request_reads(request, health.shown(), case_id=case.pk, via=reads.Via.CASE_PAGE)
        on = workflow.travel_date(case)
        may_write = selectors.may_write(user, case) and case.status in workflow.BEFORE_DEPARTURE
        ctx.update(
            health=health,
            travel_date=on,
            fitness=[
                {
                    "member": f.member,
                    "latest": f.latest,
                    "counts": f.latest is not None and selectors.counts_on(f.latest, on),
                }
                for f in health.fitness
            ],
            may_write=may_write,
            may_commit=services.may_commit(user, case),
            appointment_statuses=MedicalAppointment.Status.choices,
            referral_statuses=MedicalReferral.Status.choices,
            forms=[(kind, title, blank_form(kind, case)) for kind, title in TITLES.items()] if may_write else [],
        )
    html = render_to_string("health/_panel.html", ctx, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
