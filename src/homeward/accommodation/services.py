"""Writes to pre-departure accommodation (filled in by the accommodation work)."""

from __future__ import annotations

from typing import Any


def placements_end_for(*, case: Any, transition: Any, acting_user: Any) -> None:
    """Called by ``cases.journey`` inside the move's transaction when a case departs or leaves the workflow."""
