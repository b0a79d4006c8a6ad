"""The privacy API: consents, a person's data export, anonymisation."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["privacy"])
