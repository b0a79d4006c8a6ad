"""The surveys card on the case page: each RSS dimension over time as a small chart, with its weighting."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.cases.models import CaseStatus
from homeward.surveys import charts, rules, selectors

register = template.Library()
S = CaseStatus
# From departure on, surveys are due: the card shows even before the first one.
AFTER_DEPARTURE = {S.DEPARTED, S.ARRIVED, S.REINTEGRATION_PLANNING, S.ASSISTANCE_IN_PROGRESS, S.MONITORING, S.CLOSED}


@register.simple_tag(takes_context=True)
def surveys_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    responses = selectors.responses_of(user, case)
    satisfaction = list(selectors.satisfaction_of(user, case))
    if not responses and not satisfaction and case.status not in AFTER_DEPARTURE:
        return ""
    chart = selectors.chart(responses)
    rows = []
    if chart is not None:
        bands = chart.table.parsed.bands
        starts = [b.from_ for b in bands]
        for series in chart.series:
            code = rules.band_of(series.last, bands)
            band = next((b.label for b in bands if b.code == code), "")
            rows.append({"series": series, "line": charts.sparkline(series.points, starts), "band": band})
    html = render_to_string(
        "surveys/_panel.html",
        {"case": case, "chart": chart, "rows": rows, "satisfaction": satisfaction},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
