"""Reminders of booked appointments starting within HOMEWARD_REMINDER_HOURS, sent through the configured channel.

Run by the background worker (``tasks.send_appointment_reminders``). Each appointment is claimed
with a conditional UPDATE of ``reminded_at`` before anything is sent, so two workers never send
the same reminder twice; every attempt is logged (ReminderLog). A failed send is given back for
the next sweep, up to MAX_ATTEMPTS; a person with no phone or e-mail on record is logged once.

The text (public/messages.py, in the public catalogue's languages) says when, where and whether an
interpreter is coming: never a name, a case or why. Appointments whose inquiry was closed or whose
case left the workflow are not reminded.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.appointments.channels import Channel, configured
from homeward.appointments.models import Appointment, ReminderLog
from homeward.cases import workflow
from homeward.cases.selectors import principal_of
from homeward.public import messages
from homeward.triage.models import Inquiry

logger = logging.getLogger("homeward.reminders")

MAX_ATTEMPTS = 3


def ahead() -> dt.timedelta:
    return dt.timedelta(hours=settings.HOMEWARD_REMINDER_HOURS)


def _gone() -> Q:
    """Appointments whose purpose has gone: a closed inquiry, or a case (its own, or the one its inquiry or
    call became) that left the workflow. Closing and the way out cancel them (services.appointments_cancel_for);
    this is the safety net for any booked before that or written around it. A departure no-show is left
    out: the case may be booked again, and a counsellor may see the person meanwhile."""
    exits = sorted(workflow.EXITS)
    return (
        Q(inquiry__status=Inquiry.Status.CLOSED)
        | Q(case__status__in=exits)
        | Q(inquiry__case__status__in=exits)
        | Q(call__case__status__in=exits)
    )


def due(now: dt.datetime) -> QuerySet[Appointment]:
    """Booked appointments starting within the reminder window, not yet reminded, and still with a purpose."""
    return Appointment.objects.filter(
        status=Appointment.Status.BOOKED, reminded_at__isnull=True, starts_at__gt=now, starts_at__lte=now + ahead()
    ).exclude(_gone())


def contacts(appointment: Appointment) -> tuple[list[str], list[str]]:
    """(phones, e-mails) of the person, from what the appointment is for; the number of a phone appointment first."""
    phones = [appointment.phone] if appointment.mode == Appointment.Mode.PHONE else []
    emails: list[str] = []
    if appointment.inquiry_id:
        phones += [appointment.inquiry.phone, appointment.inquiry.messenger_number]
        emails.append(appointment.inquiry.email)
    elif appointment.call_id:
        phones.append(appointment.call.caller_phone)
    elif appointment.case_id:
        person = principal_of(appointment.case)
        phones.append(person.phone if person else "")
    return [p for p in phones if p], [e for e in emails if e]


def address_for(appointment: Appointment, channel: Channel) -> str:
    phones, emails = contacts(appointment)
    if channel.needs == "phone":
        options = phones
    elif channel.needs == "email":
        options = emails
    else:
        options = phones + emails
    return options[0] if options else ""


def text_for(appointment: Appointment) -> str:
    """The reminder, in the appointment's language when a catalogue speaks it (public/messages.py), else English."""
    return messages.appointment_reminder(appointment)


@dataclass
class SweepResult:
    sent: int = 0
    failed: int = 0
    no_contact: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _claim(appointment: Appointment, now: dt.datetime) -> bool:
    return Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(reminded_at=now) == 1


def _log(appointment: Appointment, channel: Channel, to: str, *, ok: bool, error: str = "") -> None:
    ReminderLog.objects.create(
        appointment=appointment, channel=channel.name, to=to, sent_at=timezone.now(), ok=ok, error=error[:1000]
    )


def remind(appointment: Appointment, channel: Channel, now: dt.datetime) -> str:
    """Send one reminder: "sent", "failed", "no_contact", or "" when another worker had it or it went out before."""
    if not _claim(appointment, now):
        return ""
    to = address_for(appointment, channel)
    if not to:
        _log(
            appointment, channel, "", ok=False, error=_("No phone number or e-mail address on record for this channel.")
        )
        return "no_contact"
    try:
        channel.send(to=to, text=text_for(appointment), appointment=appointment)
    except Exception as exc:
        _log(appointment, channel, to, ok=False, error=f"{type(exc).__name__}: {exc}")
        logger.warning("Reminder for appointment %s not sent through %s: %s", appointment.pk, channel.name, exc)
        if appointment.reminders.filter(ok=False).count() < MAX_ATTEMPTS:
            # Given back: the next sweep tries again.
            Appointment.objects.filter(pk=appointment.pk).update(reminded_at=None)
        return "failed"
    _log(appointment, channel, to, ok=True)
    return "sent"


def sweep(*, now: dt.datetime | None = None, channel: Channel | None = None) -> SweepResult:
    """Send every reminder due now."""
    now = now or timezone.now()
    channel = channel or configured()
    result = SweepResult()
    queryset: Any = due(now).select_related("office", "inquiry", "call", "case").order_by("starts_at", "pk")
    for appointment in queryset:
        outcome = remind(appointment, channel, now)
        if outcome:
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result
