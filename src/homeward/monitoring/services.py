"""Writes of the monitoring app."""

from __future__ import annotations

from typing import Any


def schedule_for(*, case: Any, moved_to: str) -> None:
    """Open the monitoring visits the programme schedules after a return (filled in by the monitoring app)."""
