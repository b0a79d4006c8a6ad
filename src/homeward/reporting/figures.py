"""The report document: every figure of a programme and period as plain JSON-ready data.

One shape serves the page, the PDF, the XLSX, the API and the frozen copy of a
submitted report, so they cannot disagree::

    {"programme": {"id", "code", "name", "donor", "currency"},
     "period": {"from": "2026-01-01", "to": "2026-03-31"},
     "missions": ["GR"],                      # the mission filter, [] for all
     "generated_at": "2026-04-02T10:00:00+00:00",
     "suppression": {"threshold": 5, "applied": true},
     "indicators": {code: {"code", "section", "name", "unit",
                           "value": 12 | 0.87 | "<5" | None,
                           "basis": 30 | "<5" | None,      # respondents, cases: what a rate rests on
                           "target": 200.0 | None, "target_period": "life" | "year" | "quarter" | None,
                           "percent_of_target": 114.5 | None,
                           "disaggregations": {dimension: [{"key", "label", "value"}]}}}}

Suppression (for users who see only aggregates) replaces every count below the
threshold, zero included, by ``"<N"``, and hides rates and means resting on fewer
respondents than that. Where one hidden cell could be worked out from a shown total
and the other cells, the next smallest cell is hidden too, as ``"hidden"`` (it is not
below the threshold, so ``"<N"`` would be untrue). Free-text places (the region or city
of return) below the threshold are pooled into one "other places" cell, so a place
typed by hand never reaches someone who sees only numbers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from homeward.reporting.indicators import REGISTRY, Unit

Doc = dict[str, Any]

# A cell hidden only so that a small one beside it cannot be worked out (complementary suppression).
HIDDEN = "hidden"
# Dimensions whose keys are typed by hand: small cells are pooled, their words never shown.
FREE_TEXT = ("destination_region",)
OTHER_PLACES = "other_places"


def small(threshold: int) -> str:
    return f"<{threshold}"


def is_suppressed(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("<") or value == HIDDEN)


def suppress_count(value: Any, threshold: int) -> Any:
    """A count as a viewer may see it: ``"<N"`` below the threshold."""
    if isinstance(value, int) and not isinstance(value, bool) and value < threshold:
        return small(threshold)
    return value


def round_count(value: Any, base: int) -> Any:
    """A count shown in a breakdown, rounded to the nearest multiple of ``base`` (12 -> 10, 13 -> 15)."""
    if isinstance(value, int) and not isinstance(value, bool) and base > 1:
        return max(base, int(value / base + 0.5) * base)
    return value


def suppress_cells(cells: list[dict[str, Any]], threshold: int, *, total: Any = None) -> list[dict[str, Any]]:
    """Suppress small cells of one breakdown; when only one is hidden and the total shows, hide the next smallest;
    round the cells still shown to the nearest multiple of the threshold.

    Otherwise the hidden cell is the total minus the others, and the person is back; and two
    breakdowns of the same total (sex, and men/women/boys/girls), or the same breakdown for two
    periods a day apart, would give a small cell by difference. Rounding leaves every difference
    uncertain by the threshold. The cell hidden for the first reason is marked ``HIDDEN``: it is
    not below the threshold. Totals stay exact (a donor's headline figure); only breakdowns round.
    """
    out = [{**cell, "value": suppress_count(cell["value"], threshold)} for cell in cells]
    hidden = [c for c in out if is_suppressed(c["value"])]
    if len(hidden) == 1 and not is_suppressed(total) and total is not None:
        shown = [c for c in out if isinstance(c["value"], int) and not isinstance(c["value"], bool)]
        if shown:
            smallest = min(shown, key=lambda c: c["value"])
            smallest["value"] = HIDDEN
    for cell in out:
        cell["value"] = round_count(cell["value"], threshold)
    return out


def pool_small_places(cells: list[dict[str, Any]], threshold: int) -> list[dict[str, Any]]:
    """The places below the threshold as one "other places" cell (their count summed): a place typed by
    hand may name a person's village or host, and its label would show even with its count hidden."""
    kept = [c for c in cells if not (isinstance(c["value"], int) and c["value"] < threshold)]
    pooled = [c for c in cells if c not in kept]
    if not pooled:
        return kept
    other = {"key": OTHER_PLACES, "label": _("other places"), "value": sum(c["value"] for c in pooled)}
    return [*kept, other]


def suppress_doc(doc: Doc, threshold: int) -> Doc:
    """A copy of ``doc`` fit for someone who must not single out a person."""
    indicators = {}
    for code, figure in doc["indicators"].items():
        unit = REGISTRY[code].unit if code in REGISTRY else figure.get("unit")
        figure = {**figure}
        if unit in (Unit.PERSONS, Unit.CASES, Unit.COUNT):
            figure["value"] = suppress_count(figure["value"], threshold)
            figure["disaggregations"] = {
                dim: suppress_cells(
                    pool_small_places(cells, threshold) if dim in FREE_TEXT else cells, threshold, total=figure["value"]
                )
                for dim, cells in figure.get("disaggregations", {}).items()
            }
        elif unit == Unit.MONEY:
            # An amount resting on fewer payments than the threshold could be one person's grant.
            if isinstance(figure.get("basis"), int) and 0 < figure["basis"] < threshold:
                figure["value"], figure["basis"] = HIDDEN, small(threshold)
            figure["disaggregations"] = {
                dim: [{**c, "value": HIDDEN} if 0 < c.get("payments", threshold) < threshold else c for c in cells]
                for dim, cells in figure.get("disaggregations", {}).items()
            }
        elif unit in (Unit.RATIO, Unit.PERCENT, Unit.SCORE):
            basis = figure.get("basis")
            if isinstance(basis, int) and basis < threshold:
                figure["basis"], figure["value"] = small(threshold), None
        if is_suppressed(figure["value"]) or figure["value"] is None:
            figure["percent_of_target"] = None
        indicators[code] = figure
    return {**doc, "suppression": {"threshold": threshold, "applied": True}, "indicators": indicators}


def display(value: Any, unit: str | None = None) -> str:
    """A value as the page, the PDF and the XLSX print it (the same everywhere)."""
    if value is None:
        return "—"
    if value == HIDDEN:
        return _("hidden")
    if isinstance(value, str):
        return value
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.MONEY:
        return f"{value:,.2f}"
    if unit in (Unit.RATIO, Unit.SCORE):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def differences(old: Doc, new: Doc) -> list[dict[str, Any]]:
    """What changed between two documents of the same report: indicator, breakdown cell, before, after."""
    rows = []
    for code in dict.fromkeys([*old["indicators"], *new["indicators"]]):
        before, after = old["indicators"].get(code, {}), new["indicators"].get(code, {})
        name = after.get("name") or before.get("name") or code
        rows.extend(
            {"code": code, "name": name, "dimension": "", "key": field, "label": "",
             "before": before.get(field), "after": after.get(field)}
            for field in ("value", "basis", "target") if before.get(field) != after.get(field)
        )  # fmt: skip
        dims = dict.fromkeys([*before.get("disaggregations", {}), *after.get("disaggregations", {})])
        for dim in dims:
            old_cells = {c["key"]: c for c in before.get("disaggregations", {}).get(dim, [])}
            new_cells = {c["key"]: c for c in after.get("disaggregations", {}).get(dim, [])}
            for key in dict.fromkeys([*old_cells, *new_cells]):
                a, b = old_cells.get(key, {}).get("value"), new_cells.get(key, {}).get("value")
                if a != b:
                    label = (new_cells.get(key) or old_cells.get(key) or {}).get("label", key)
                    rows.append({"code": code, "name": name, "dimension": dim, "key": key,
                                 "label": label, "before": a, "after": b})  # fmt: skip
    return rows
