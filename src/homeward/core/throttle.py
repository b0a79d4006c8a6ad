"""A per-address rate limit for the public forms (feedback, self-referral), kept in the database.

The database, not a process cache: several workers serve the site, and a count
kept in one of them would let a flood through the others.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from homeward.core.models import FormAttempt

KEEP = dt.timedelta(days=1)
WINDOW = dt.timedelta(hours=1)


def client_ip(request: HttpRequest) -> str:
    """The sender's address: REMOTE_ADDR, or behind a reverse proxy the header it sets
    (HOMEWARD_CLIENT_IP_HEADER, e.g. X-Real-IP). Never a header the proxy does not overwrite:
    that is whatever the sender wants it to be."""
    header = settings.HOMEWARD_CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def ip_hash(ip: str) -> str:
    """A keyed hash of the client address: enough to count, never the address."""
    return salted_hmac("homeward.throttle.ip", ip or "-", algorithm="sha256").hexdigest()


def attempt_allowed(*, form: str, ip: str, per_hour: int, log: logging.Logger) -> bool:
    """Count one submission of ``form`` from ``ip``; False once it has sent more than ``per_hour`` this hour.

    Rule: every submission counts, whatever it holds, so a refusal says nothing about
    what was sent. The attempt is written before counting: two at once both see each
    other. A refusal is logged as a warning, with the start of the hash, never the address.
    """
    key = ip_hash(ip)
    now = timezone.now()
    with transaction.atomic():
        # Attempts older than a day say nothing any more: keep the table small.
        FormAttempt.objects.filter(at__lt=now - KEEP).delete()
        FormAttempt.objects.create(form=form, ip_hash=key, at=now)
        count = FormAttempt.objects.filter(form=form, ip_hash=key, at__gt=now - WINDOW).count()
    if count > per_hour:
        log.warning("%s form: %s submissions in an hour from address %s…, refused", form, count, key[:12])
        return False
    return True
