"""What the public reads outside the site: appointment reminders.

Composed here, in the public app, because its catalogue (public/locale/<lang>/) speaks the languages
of the people we serve (settings.HOMEWARD_PUBLIC_LANGUAGES), not only the staff's English and Greek.
A reminder says when, where (or "by phone" / "by video call"), whether an interpreter is coming and
how to change it: never a name, a case or why.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from homeward.core import languages
from homeward.public import languages as public_languages

FALLBACK = "en"


def reminder_language(code: str) -> str:
    """The appointment's language when the public site speaks it, else English: a language only Django's
    own catalogue knows would give English words around a foreign date."""
    return code if code and public_languages.is_public(code) else FALLBACK


def appointment_reminder(appointment: Any) -> str:
    """The reminder of one appointment, in its language (``reminder_language``)."""
    from homeward.appointments.models import Appointment

    with translation.override(reminder_language(appointment.language)):
        office = appointment.office
        start = appointment.local_start
        when = {"office": office.name, "date": date_format(start.date(), "DATE_FORMAT"),
                "time": f"{start:%H:%M}", "zone": office.time_zone}  # fmt: skip
        parts = [_("Reminder: you have an appointment with %(office)s on %(date)s at %(time)s (%(zone)s time).") % when]
        if appointment.mode == Appointment.Mode.PHONE:
            parts.append(_("It is by phone: we will call you."))
        elif appointment.mode == Appointment.Mode.VIDEO:
            parts.append(_("It is by video call."))
        else:
            place = ", ".join(p for p in (" ".join(office.address.split()), office.city) if p)
            parts.append(_("Address: %(place)s.") % {"place": place or office.name})
        if appointment.interpreter_needed:
            parts.append(_("An interpreter for %(language)s will be there.") % {
                "language": languages.name(appointment.language)})  # fmt: skip
        if office.phone:
            parts.append(_("To change it, call %(phone)s.") % {"phone": office.phone})
        return " ".join(parts)
