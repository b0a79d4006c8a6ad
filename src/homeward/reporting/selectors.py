"""Who may see which programme's figures, over which cases, and whether small counts are hidden.

Rule: figures are aggregates (``Perm.VIEW_AGGREGATES``). A user sees the programmes its
missions implement, counted over the cases hosted by or referred to those missions.
Someone who may not open every one of those cases (a programme viewer, an administrator)
gets small counts suppressed everywhere: pages, exports and the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts.models import Mission
from homeward.accounts.permissions import mission_ids_with, roles_by_mission
from homeward.accounts.roles import ROLE_SENSITIVITIES, Perm, Sensitivity
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reporting.periods import Period


@dataclass(frozen=True)
class Scope:
    """What a set of figures counts: one programme's cases of some missions, in a period."""

    programme: Programme
    period: Period
    missions: frozenset[int]
    suppress: bool
    threshold: int

    def cases_q(self, prefix: str = "") -> Q:
        """The cases counted, as a filter (``prefix`` reaches them through a relation, e.g. ``case__``)."""
        return Q(**{f"{prefix}programme_id": self.programme.pk}) & (
            Q(**{f"{prefix}host_mission_id__in": self.missions})
            | Q(**{f"{prefix}referred_to_mission_id__in": self.missions})
        )


def aggregate_missions(user: Any) -> set[int]:
    return mission_ids_with(user, Perm.VIEW_AGGREGATES)


def may_report(user: Any) -> bool:
    return bool(aggregate_missions(user))


def report_programmes(user: Any) -> QuerySet[Programme]:
    """The programmes whose figures ``user`` may see: those its aggregate missions implement."""
    return Programme.objects.filter(missions__in=aggregate_missions(user)).distinct().order_by("code")


def report_programme_for(user: Any, pk: int) -> Programme:
    """One programme the user may report on; 404 otherwise, as if it did not exist."""
    programme = report_programmes(user).filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def report_missions(user: Any, programme: Programme) -> QuerySet[Mission]:
    """The missions whose cases of ``programme`` the user's figures count (to filter by)."""
    return Mission.objects.filter(pk__in=aggregate_missions(user)).order_by("code")


def sees_persons(user: Any, missions: Iterable[int]) -> bool:
    """True when the user may open every case counted: no suppression needed."""
    return set(missions) <= mission_ids_with(user, Perm.VIEW_CASE)


def threshold() -> int:
    return max(1, int(settings.HOMEWARD_SMALL_COUNT_THRESHOLD))


def scope_for(user: Any, programme: Programme, period: Period, missions: Iterable[int] | None = None) -> Scope:
    """The scope of the user's figures of ``programme``, narrowed to ``missions`` if given.

    A mission the user does not report on is refused in words, not silently dropped.
    """
    allowed = aggregate_missions(user)
    chosen = set(missions) if missions else allowed
    if not chosen <= allowed:
        message = _("You do not see the figures of one of the missions asked for.")
        raise ServiceError(message, {"mission": [message]})
    suppress = not sees_persons(user, chosen)
    if suppress and chosen != allowed:
        # All missions minus one would give that one's small counts by difference.
        message = _("Figures shown with small counts hidden cover all your missions together, not one of them.")
        raise ServiceError(message, {"mission": [message]})
    return Scope(programme=programme, period=period, missions=frozenset(chosen), suppress=suppress,
                 threshold=threshold())  # fmt: skip


def report_for(user: Any, programme: Programme, period: Period, missions: Iterable[int] | None = None) -> dict:
    """The report document (``reporting.figures``) of the user's scope, suppressed where it must be."""
    from homeward.reporting.compute import compute
    from homeward.reporting.figures import suppress_doc

    scope = scope_for(user, programme, period, missions)
    doc = compute(scope)
    if scope.suppress:
        return suppress_doc(doc, scope.threshold)
    return suppress_sensitive(doc, hidden_sensitivities(user, scope.missions), scope.threshold)


def hidden_sensitivities(user: Any, missions: Iterable[int]) -> set[str]:
    """The sensitivity levels the user may not see on a person in some mission counted (an M&E officer:
    medical and protection)."""
    roles = roles_by_mission(user)
    hidden: set[str] = set()
    for mission in missions:
        hidden |= set(Sensitivity.values) - set(ROLE_SENSITIVITIES.get(roles.get(mission, ""), ()))
    return hidden


def suppress_sensitive(doc: dict, hidden: set[str], threshold: int) -> dict:
    """Small counts of vulnerabilities the user may not see on a person (trafficking, health…) become "<N".

    Otherwise a short period could tell an M&E officer who, among the returns they know, was trafficked.
    """
    if not hidden:
        return doc
    from homeward.people.models import VulnerabilityType
    from homeward.reporting.figures import suppress_cells

    codes = set(VulnerabilityType.objects.filter(sensitivity__in=hidden).values_list("code", flat=True))
    indicators = {}
    for code, figure in doc["indicators"].items():
        cells = figure.get("disaggregations", {}).get("vulnerability")
        if cells:
            sensitive = suppress_cells([c for c in cells if c["key"] in codes], threshold)
            by_key = {c["key"]: c for c in sensitive}
            cells = [by_key.get(c["key"], c) for c in cells]
            figure = {**figure, "disaggregations": {**figure["disaggregations"], "vulnerability": cells}}
        indicators[code] = figure
    return {**doc, "indicators": indicators}
