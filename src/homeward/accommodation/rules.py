"""Who gets the next bed: the waiting list's priority, from the members' vulnerabilities. No ORM here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# The most vulnerable first. A family ranks by its most vulnerable member, not by the sum,
# so a large family does not outrank a lone unaccompanied child.
WEIGHTS: dict[str, int] = {
    "unaccompanied_child": 100,
    "trafficking": 90,
    "child_protection": 85,
    "serious_medical_condition": 80,
    "torture": 75,
    "gbv": 75,
    "pregnant": 70,
    "disability": 60,
    "child": 55,  # derived from the date of birth: any minor of the family
    "elderly": 50,
    "single_parent": 40,
    "health_needs": 30,
}

# A vulnerability type added later by an administrator, not weighed above: by how sensitive it is,
# so a new protection concern is not silently worth nothing.
BY_SENSITIVITY: dict[str, int] = {"protection": 65, "medical": 35, "general": 15}


def weight_of(code: str, sensitivity: str) -> int:
    """The weight of a vulnerability: its own, or else that of its sensitivity (protection > medical > general)."""
    return WEIGHTS.get(code, BY_SENSITIVITY.get(sensitivity, 0))


@dataclass(frozen=True)
class Priority:
    score: int
    reason: str  # the vulnerability code that gave the score, "" for none
    sensitivity: str  # of that vulnerability


NONE = Priority(0, "", "general")


def priority_of(vulnerabilities: Iterable[tuple[str, str]]) -> Priority:
    """The highest-weighted of ``(code, sensitivity)``; ties broken by code so the result is stable."""
    best = NONE
    for code, sensitivity in sorted(vulnerabilities):
        weight = weight_of(code, sensitivity)
        if weight > best.score:
            best = Priority(weight, code, sensitivity)
    return best


def queue_key(priority: Priority, requested_on: dt.date, pk: int) -> tuple[int, dt.date, int]:
    """The waiting list's order: highest priority first, then who asked first."""
    return (-priority.score, requested_on, pk)


def peak_occupancy(stays: Iterable[tuple[dt.date, dt.date | None]], since: dt.date) -> int:
    """The most beds taken on any day from ``since`` on, by stays ``(checked in, checked out or None)``.

    A bed is taken from the check-in day up to, not including, the check-out day: someone
    leaving in the morning frees the bed for someone arriving that afternoon. A new open stay
    from ``since`` needs a bed on every later day, so the busiest of those days decides.
    """
    stays = [(start, end) for start, end in stays if end is None or end > since]
    days = {since, *(start for start, _end in stays if start > since)}
    return max((sum(1 for start, end in stays if start <= day and (end is None or end > day)) for day in days),
               default=0)  # fmt: skip
