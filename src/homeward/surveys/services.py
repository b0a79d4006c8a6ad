"""Writes of the surveys app."""

from __future__ import annotations

from typing import Any


def surveys_for(*, case: Any, moved_to: str) -> None:
    """Open the surveys due at this moment of the journey (filled in by the surveys app)."""
