"""Matching over the API (STUB: helper C fills it in)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["matching"])
