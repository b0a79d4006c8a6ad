from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_language_chosen_is_remembered_for_the_next_login(counsellor_gr: User) -> None:
    from django.conf import settings

    from tests.factories import PASSWORD

    client = Client()
    client.force_login(counsellor_gr)
    client.post(reverse("set_language"), {"language": "el", "next": "/cases/"})
    counsellor_gr.refresh_from_db()
    assert counsellor_gr.language == "el"
    fresh = Client()
    response = fresh.post(reverse("accounts:login"), {"username": "counsellor.gr", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "el"
