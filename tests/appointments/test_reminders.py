"""Reminders: through the logging and e-mail channels and an SMS gateway, once only, failures logged not fatal."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from homeward.accounts.models import User
from homeward.appointments import reminders, tasks
from homeward.appointments.channels import Channel, EmailChannel, LoggingChannel, SmsGatewayChannel, configured
from homeward.appointments.models import Appointment, Office, ReminderLog
from homeward.cases.models import Case
from homeward.core import languages
from homeward.triage.models import Inquiry
from tests.appointments.conftest import book, make_inquiry

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2027, 3, 2)  # within 24 hours of Monday 09:00 Athens


@pytest.fixture
def soon(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> Appointment:
    return book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="08:30", interpreter_needed=True,
                interpreter="Mr Rahimi")  # fmt: skip


def test_the_logging_channel_says_when_where_and_the_interpreter_and_nothing_else(
    soon: Appointment, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="homeward.reminders"):
        result = reminders.sweep(channel=LoggingChannel())
    assert result.as_dict() == {"sent": 1, "failed": 0, "no_contact": 0}
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "homeward.reminders")
    assert "08:30" in text
    assert "Europe/Athens" in text
    assert "Dodekanisou 11, Athens" in text
    # In Farsi, the appointment's language: the office's name and address stay as written.
    with translation.override("fa"):
        assert gettext("An interpreter for %(language)s will be there.") % {"language": languages.name("fa")} in text
    assert "+306901234567" in text  # to the inquiry's phone
    for secret in ("Farid", "Noori", "Rahimi", "ABCD2345", "return"):
        assert secret not in text.split(": ", 1)[1]
    log = ReminderLog.objects.get()
    assert (log.ok, log.channel, log.to) == (True, "LoggingChannel", "+306901234567")


def test_a_reminder_goes_once(soon: Appointment, caplog: pytest.LogCaptureFixture) -> None:
    reminders.sweep(channel=LoggingChannel())
    assert reminders.sweep(channel=LoggingChannel()).as_dict() == {"sent": 0, "failed": 0, "no_contact": 0}
    assert ReminderLog.objects.count() == 1


def test_the_email_channel_mails_the_inquirys_address(soon: Appointment) -> None:
    reminders.sweep(channel=EmailChannel())
    reminders.sweep(channel=EmailChannel())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["farid@example.org"]
    assert "08:30" in mail.outbox[0].body


def test_not_yet_due_and_cancelled_appointments_are_not_reminded(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=dt.date(2027, 3, 3), start="10:00")  # in two days
    assert reminders.sweep(channel=LoggingChannel()).sent == 0


class Broken(Channel):
    def send(self, *, to: str, text: str, appointment: Any) -> None:
        raise ConnectionError("gateway down")


def test_a_failing_channel_is_logged_and_the_sweep_goes_on(
    soon: Appointment, counsellor_gr: User, counsellor2_gr: User, athens: Office, case_gr: Case
) -> None:
    book(counsellor_gr, athens, counsellor2_gr, for_={"case": case_gr}, on=TUESDAY, start="08:30")
    result = reminders.sweep(channel=Broken())
    assert result.as_dict() == {"sent": 0, "failed": 2, "no_contact": 0}
    assert set(ReminderLog.objects.values_list("ok", "error")) == {(False, "ConnectionError: gateway down")}
    # Given back for the next sweeps, up to three attempts each.
    reminders.sweep(channel=Broken())
    reminders.sweep(channel=Broken())
    assert reminders.sweep(channel=Broken()).failed == 0
    assert ReminderLog.objects.filter(appointment=soon).count() == 3
    soon.refresh_from_db()
    assert soon.reminded_at is not None


def test_no_contact_is_logged_as_not_sent_with_the_reason(counsellor_gr: User, athens: Office, gr: Any) -> None:
    inquiry = make_inquiry(gr, phone="", email="", code="NOCONTAC")
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="09:00")
    assert reminders.sweep(channel=LoggingChannel()).no_contact == 1
    log = ReminderLog.objects.get()
    assert not log.ok
    assert "No phone number or e-mail" in log.error
    assert reminders.sweep(channel=LoggingChannel()).no_contact == 0  # logged once


def test_an_e_mail_channel_has_no_address_for_a_case(counsellor_gr: User, athens: Office, case_gr: Case) -> None:
    book(counsellor_gr, athens, for_={"case": case_gr}, on=TUESDAY, start="09:00")
    assert reminders.sweep(channel=EmailChannel()).no_contact == 1


class Gateway(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((self.headers["Authorization"], body))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received = []
    yield f"http://127.0.0.1:{server.server_port}/sms"
    server.shutdown()


def test_the_sms_gateway_gets_the_principals_phone(
    counsellor_gr: User, athens: Office, case_gr: Case, gateway: str
) -> None:
    book(counsellor_gr, athens, for_={"case": case_gr}, on=TUESDAY, start="09:00", mode="video",
         video_link="https://meet.example.org/abc", language="ur")  # fmt: skip
    with override_settings(HOMEWARD_SMS_GATEWAY_URL=gateway, HOMEWARD_SMS_GATEWAY_TOKEN="s3cret"):
        assert reminders.sweep(channel=SmsGatewayChannel()).sent == 1
    ((auth, body),) = Gateway.received
    assert auth == "Bearer s3cret"
    assert body["to"] == "+923001234567"
    with translation.override("ur"):
        assert gettext("It is by video call.") in body["text"]  # in Urdu, the appointment's language
    assert "Khan" not in body["text"]


def test_the_channel_is_named_in_the_settings() -> None:
    assert isinstance(configured(), LoggingChannel)
    with override_settings(HOMEWARD_REMINDER_CHANNEL="homeward.appointments.channels.EmailChannel"):
        assert isinstance(configured(), EmailChannel)


def test_the_sweep_recurs_with_one_run_waiting(soon: Appointment) -> None:
    assert tasks.ensure_appointment_reminders_scheduled() is True
    assert tasks.ensure_appointment_reminders_scheduled() is False
    assert tasks.send_appointment_reminders.call() == {"sent": 1, "failed": 0, "no_contact": 0}


# ---------------------------------------------------------------- the person's language


@pytest.mark.parametrize("language", ["ar", "el", "fa", "ur", "fr"])
def test_the_reminder_is_in_the_appointments_language(
    counsellor_gr: User, athens: Office, inquiry: Inquiry, language: str
) -> None:
    appointment = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="08:30", language=language)
    text = reminders.text_for(appointment)
    msgid = "Address: %(place)s."
    with translation.override(language):
        translated = gettext(msgid) % {"place": "Dodekanisou 11, Athens"}
    assert translated != msgid % {"place": "Dodekanisou 11, Athens"}  # the public catalogue speaks it
    assert translated in text
    assert "Reminder:" not in text


def test_a_language_no_catalogue_speaks_falls_back_to_english(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    # Tigrinya: a known ISO 639 code, but no catalogue of ours (nor Django's) has it.
    appointment = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="08:30", language="ti",
                       interpreter_needed=True)  # fmt: skip
    text = reminders.text_for(appointment)
    assert text.startswith("Reminder: you have an appointment with Athens office on ")
    assert "Address: Dodekanisou 11, Athens." in text
    assert "An interpreter for Tigrinya will be there." in text


def test_the_reminder_does_not_follow_the_staff_language(soon: Appointment) -> None:
    """The worker may run with any active language: the text follows the appointment's, not the staff's."""
    with translation.override("el"):
        text = reminders.text_for(soon)
    with translation.override("fa"):
        assert text.startswith(gettext("Reminder: you have an appointment with %(office)s on %(date)s at %(time)s "
                                       "(%(zone)s time).").split("%", 1)[0])  # fmt: skip


def test_a_language_only_django_speaks_falls_back_to_english_dates_included(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    # German: Django's own catalogue has it, ours do not; English words around a German date would read badly.
    appointment = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="08:30", language="de")
    text = reminders.text_for(appointment)
    with translation.override("en"):
        english_date = date_format(appointment.local_start.date(), "DATE_FORMAT")
    with translation.override("de"):
        german_date = date_format(appointment.local_start.date(), "DATE_FORMAT")
    assert english_date != german_date
    assert text.startswith(f"Reminder: you have an appointment with Athens office on {english_date} at ")
