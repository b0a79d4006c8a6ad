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


class IdempotencyKey(models.Model):
    """The response to a payment or transition request sent with an ``Idempotency-Key`` header (core/idempotency.py).

    Written in the same transaction as the action, so a stored key always means the action
    happened; a retry with the key gets this response back instead of acting again. The
    unique constraint decides between two identical requests that race: the second waits for
    the first's transaction and then replays its answer.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    # sha256 of the request body: the same key with another body is refused, never replayed.
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    response_body = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]
        indexes = [models.Index(fields=["expires_at"], name="idempotency_key_expires")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
