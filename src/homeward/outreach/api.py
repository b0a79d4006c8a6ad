"""Mounted at /api/v1/."""

from ninja import Router

router = Router(tags=["outreach"])
