"""Inquiries made directly in the database (the public form is another app's), and a supervisor of Romania."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.triage.models import CODE_ALPHABET, CODE_LENGTH, Inquiry
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory

_codes = itertools.count(1)


def _code(n: int) -> str:
    letters = []
    for _ in range(CODE_LENGTH):
        n, digit = divmod(n, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(reversed(letters))


def make_inquiry(mission: Mission, *, hours_ago: float = 1, **overrides: Any) -> Inquiry:
    """An inquiry as the public form would leave it: a Pakistani man in a reception facility near Athens."""
    values: dict[str, Any] = {
        "code": _code(next(_codes) * 7919),
        "mission": mission,
        "given_names": "Bilal Ahmed",
        "family_name": "Qureshi",
        "phone": "+30 690 765 4321",
        "messenger": Inquiry.Messenger.WHATSAPP,
        "messenger_number": "+92 300 7654321",
        "email": "bilal.q@example.org",
        "language": "ur",
        "nationality": "PK",
        "destination_country": "PK",
        "where": Inquiry.Where.RECEPTION,
        "city": "Athens",
        "facility": "Malakasa open centre",
        "family_travels": True,
        "family_size": 3,
        "how_heard": "ngo",
        "message": "I want to go home to Lahore with my wife and son.",
        "consent_text": "I agree that IOM keeps what I wrote to contact me.",
        "consent_at": timezone.now() - dt.timedelta(hours=hours_ago),
    }
    values.update(overrides)
    inquiry = Inquiry.objects.create(**values)
    # submitted_at is set on creation: move it back to when the person wrote.
    submitted = timezone.now() - dt.timedelta(hours=hours_ago)
    Inquiry.objects.filter(pk=inquiry.pk).update(submitted_at=submitted)
    inquiry.refresh_from_db()
    return inquiry


@pytest.fixture
def inquiry(gr: Mission) -> Inquiry:
    return make_inquiry(gr)


@pytest.fixture
def second_counsellor_gr(gr: Mission) -> User:
    return UserFactory(username="counsellor2.gr", first_name="Eleni", last_name="Papa", roles=[(gr, Role.COUNSELLOR)])
