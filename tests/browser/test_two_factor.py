"""An administrator turns on two-factor authentication, signs out, and signs back in with a code."""

from __future__ import annotations

import base64
import re
import time

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.models import Mission
from homeward.accounts.roles import Role
from tests.browser.conftest import login
from tests.factories import PASSWORD, UserFactory

# As every browser test: after a test with serialized rollback the tables are emptied without
# re-creating the content types, which only the next serialized test restores (the audit log needs them).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def code_from_secret(secret_text: str, *, step: int | None = None) -> str:
    """What the administrator's phone app computes from the key typed in (now, or at a 30-second ``step``)."""
    from django_otp.oath import TOTP

    b32 = secret_text.replace(" ", "")
    key = base64.b32decode(b32 + "=" * (-len(b32) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() if step is None else step * 30 + 1
    return f"{totp.token():06d}"


def next_acceptable_step(username: str) -> int:
    """The earliest step the server will take after its last one: a code is never accepted twice, and the
    device keeps the clock drift it saw at confirmation (-1 when the code crossed a 30-second boundary)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username)
    return max(int(time.time()) // 30 + device.drift, device.last_t + 1)


def test_an_administrator_sets_up_two_factor_and_signs_in_with_a_code(
    page: Page, live_server: object, gr: Mission, settings: object
) -> None:
    settings.HOMEWARD_TWO_FACTOR_REQUIRED = True  # type: ignore[attr-defined]
    UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])

    login(page, live_server, "admin.gr")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.get_by_text("Your role requires two-factor authentication")).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()

    page.get_by_label("Code from the app").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Two-factor authentication is on")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)

    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page).not_to_have_url(re.compile(r"/two-factor/"))
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    page.locator("#id_username").fill("admin.gr")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    # The code used to confirm is spent: the app's next one is accepted (one step of clock drift allowed).
    page.get_by_label("Code").fill(code_from_secret(secret, step=next_acceptable_step("admin.gr")))
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(login|two-factor)/"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
