"""Core models: only what several apps share and that belongs to none of them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class FormAttempt(models.Model):
    """One submission of a public form (feedback, self-referral), kept a day at most to rate-limit it per address.

    Holds no personal data: the address is reduced to a keyed hash (the key is the
    site's secret), so the table cannot be turned back into addresses.
    """

    form = models.CharField(max_length=32)
    ip_hash = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Counting is by form, address and time; the daily clean-up by time alone.
        indexes = [models.Index(fields=["form", "ip_hash", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.form} {self.ip_hash[:8]} {self.at:%Y-%m-%d %H:%M}"
