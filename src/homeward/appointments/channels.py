"""How appointment reminders reach people: one class per channel, chosen by HOMEWARD_REMINDER_CHANNEL.

A channel sends one text to one address and raises on failure; the sweep (reminders.py) logs each
attempt. ``needs`` says which address it takes: "phone", "email", or "any" (the logging channel).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("homeward.reminders")


class Channel:
    """Send ``text`` to ``to`` about ``appointment``; raise on failure (the caller logs it)."""

    needs: ClassVar[str] = "any"

    @property
    def name(self) -> str:
        return type(self).__name__

    def send(self, *, to: str, text: str, appointment: Any) -> None:
        raise NotImplementedError


class LoggingChannel(Channel):
    """The default: writes the reminder to the log (logger "homeward.reminders"), for a demo or until a gateway exists."""

    def send(self, *, to: str, text: str, appointment: Any) -> None:
        logger.info("Reminder for appointment %s to %s: %s", appointment.pk, to, text)


class EmailChannel(Channel):
    needs = "email"

    def send(self, *, to: str, text: str, appointment: Any) -> None:
        subject = text.split(". ", 1)[0][:120]
        send_mail(subject, text, None, [to], fail_silently=False)


class SmsGatewayChannel(Channel):
    """A JSON POST {"to", "text"} to HOMEWARD_SMS_GATEWAY_URL with a bearer token; any non-2xx answer is a failure."""

    needs = "phone"
    timeout = 10

    def send(self, *, to: str, text: str, appointment: Any) -> None:
        url = settings.HOMEWARD_SMS_GATEWAY_URL
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("HOMEWARD_SMS_GATEWAY_URL must be an http(s) address of the SMS gateway")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {settings.HOMEWARD_SMS_GATEWAY_TOKEN}"},
            method="POST",
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise OSError(f"SMS gateway answered {response.status}")


def configured() -> Channel:
    """The channel HOMEWARD_REMINDER_CHANNEL names (a dotted path to a Channel subclass)."""
    path = settings.HOMEWARD_REMINDER_CHANNEL
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"HOMEWARD_REMINDER_CHANNEL: cannot import {path!r}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Channel)):
        raise ImproperlyConfigured(f"HOMEWARD_REMINDER_CHANNEL: {path!r} is not a Channel class")
    return cls()
