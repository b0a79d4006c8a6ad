"""The safeguarding part of the JSON API (mounted at /api/v1/)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["safeguarding"])
