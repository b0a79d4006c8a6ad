"""Two-factor authentication: enrolment, sign-in with a code or a recovery code, the requirement by role."""

from __future__ import annotations

import re
import time

import pytest
from auditlog.models import LogEntry
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from homeward.accounts import services, two_factor
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows; ``steps_ahead`` 1 is the next one (a code is accepted once,
    and the device accepts one step of clock drift)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def forget_failures(device: TOTPDevice) -> None:
    """The device makes one wait a second after a wrong code, more after several: a test does not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    StaticDevice.objects.filter(user_id=device.user_id).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    services.two_factor_begin(acting_user=user)
    device = two_factor.authenticator_of(user, confirmed=False)
    confirmed = services.two_factor_confirm(acting_user=user, code=code_for(device))
    assert confirmed is not None
    return confirmed[0], confirmed[1]  # type: ignore[return-value]


def sign_in_with_password(client: Client, user: User) -> object:
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


@pytest.fixture
def administrator(gr: Mission) -> User:
    return UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])


def test_the_setup_page_shows_a_qr_code_and_the_key_as_text_and_counts_the_device_only_once_confirmed(
    counsellor_gr: User,
) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=counsellor_gr)
    assert not device.confirmed
    assert "<svg" in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") == two_factor.secret_text(device).replace(" ", "")
    assert not two_factor.enrolled(counsellor_gr)
    # A second visit shows the same key: the app the user already set up keeps working.
    assert secret in client.get(reverse("accounts:two_factor_setup")).content.decode()

    wrong = client.post(
        reverse("accounts:two_factor_setup"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert "That code is not right" in wrong.content.decode()
    assert not two_factor.enrolled(counsellor_gr)

    forget_failures(device)
    done = client.post(reverse("accounts:two_factor_setup"), {"code": code_for(device, steps_ahead=1)})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert two_factor.enrolled(counsellor_gr)
    assert sorted(StaticToken.objects.filter(device__user=counsellor_gr).values_list("token", flat=True)) == sorted(
        codes
    )
    entry = LogEntry.objects.get_for_object(counsellor_gr).filter(changes__has_key="two-factor").get()
    assert entry.actor == counsellor_gr
    assert entry.changes == {"two-factor": ["off", "on"]}


def test_an_enrolled_user_signs_in_with_password_then_code(counsellor_gr: User) -> None:
    device, _codes = enrol(counsellor_gr)
    client = Client()
    response = sign_in_with_password(client, counsellor_gr)
    assert response.url == reverse("accounts:login_code")
    # The password alone signs nobody in.
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("accounts:login_code"), {"code": "12345"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    forget_failures(device)
    ok = client.post(reverse("accounts:login_code"), {"code": code_for(device, steps_ahead=1)})
    assert ok.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_recovery_code_signs_in_once_and_is_audited(counsellor_gr: User) -> None:
    _device, codes = enrol(counsellor_gr)
    client = Client()
    sign_in_with_password(client, counsellor_gr)
    assert client.post(reverse("accounts:login_code"), {"code": codes[0].upper()}).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert two_factor.recovery_codes_left(counsellor_gr) == 9
    assert LogEntry.objects.get_for_object(counsellor_gr).filter(changes__has_key="recovery codes").exists()

    again = Client()
    sign_in_with_password(again, counsellor_gr)
    refused = again.post(reverse("accounts:login_code"), {"code": codes[0]})
    assert "That code is not right" in refused.content.decode()
    assert "_auth_user_id" not in again.session


def test_new_recovery_codes_replace_the_old_ones(counsellor_gr: User) -> None:
    _device, old = enrol(counsellor_gr)
    new = services.recovery_codes_regenerate(acting_user=counsellor_gr)
    assert set(new).isdisjoint(old)
    assert services.two_factor_verify(acting_user=counsellor_gr, code=old[0]) is None
    forget_failures(two_factor.authenticator_of(counsellor_gr))
    assert services.two_factor_verify(acting_user=counsellor_gr, code=new[0]) is not None


@override_settings(HOMEWARD_TWO_FACTOR_REQUIRED=True)
def test_an_administrator_without_two_factor_is_sent_to_set_it_up_from_every_page(administrator: User) -> None:
    client = Client()
    client.force_login(administrator)
    for url in (reverse("accounts:profile"), reverse("home"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:two_factor_setup")), url
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    # The API by session says why; signing out still works.
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert "requires two-factor authentication" in api.json()["message"]
    assert client.post(reverse("accounts:logout")).status_code == 302


@override_settings(HOMEWARD_TWO_FACTOR_REQUIRED=True)
def test_an_api_token_is_its_own_credential(supervisor_gr: User) -> None:
    _token, raw = services.token_create(acting_user=supervisor_gr, user=supervisor_gr, name="etl")
    response = Client().get("/api/v1/me", headers={"authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["username"] == supervisor_gr.username


@override_settings(HOMEWARD_TWO_FACTOR_REQUIRED=True)
def test_an_enrolled_supervisor_who_gave_the_code_works_normally(supervisor_gr: User) -> None:
    device, _codes = enrol(supervisor_gr)
    client = Client()
    sign_in_with_password(client, supervisor_gr)
    client.post(reverse("accounts:login_code"), {"code": code_for(device, steps_ahead=1)})
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    # Signed in some other way (no code in this session): asked for the code, not for a new device.
    other = Client()
    other.force_login(supervisor_gr)
    assert other.get(reverse("accounts:profile")).url.startswith(reverse("accounts:login_code"))


@override_settings(HOMEWARD_TWO_FACTOR_REQUIRED=True)
def test_a_counsellor_may_turn_two_factor_off_with_a_code_a_finance_officer_may_not(
    counsellor_gr: User, finance_gr: User
) -> None:
    device, _codes = enrol(counsellor_gr)
    client = Client()
    client.force_login(counsellor_gr)
    assert client.get(reverse("home")).status_code == 302  # not required: no redirect to enrolment
    wrong = client.post(reverse("accounts:two_factor_disable"), {"code": "abc"}, follow=True)
    assert "That code is not right" in wrong.content.decode()
    assert two_factor.enrolled(counsellor_gr)
    forget_failures(device)
    client.post(reverse("accounts:two_factor_disable"), {"code": code_for(device, steps_ahead=1)})
    assert not two_factor.enrolled(counsellor_gr)
    changes = [e.changes for e in LogEntry.objects.get_for_object(counsellor_gr)]
    assert {"two-factor": ["on", "off"]} in changes

    _f_device, f_codes = enrol(finance_gr)
    with pytest.raises(Exception, match="requires two-factor"):
        services.two_factor_disable(acting_user=finance_gr, code=f_codes[0])
    assert two_factor.enrolled(finance_gr)


@override_settings(AXES_ENABLED=True)
def test_wrong_codes_count_toward_the_lockout(counsellor_gr: User) -> None:
    enrol(counsellor_gr)
    client = Client()
    sign_in_with_password(client, counsellor_gr)
    statuses = [client.post(reverse("accounts:login_code"), {"code": "99999x"}).status_code for _ in range(5)]
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    # Locked out: even the right password is refused now, with the lockout page.
    locked = sign_in_with_password(Client(), counsellor_gr)
    assert locked.status_code == 429
    assert "Try again after" in locked.content.decode()


@override_settings(HOMEWARD_TWO_FACTOR_REQUIRED=True)
def test_a_lost_phone_and_codes_are_reset_from_the_server_with_a_reason(supervisor_gr: User) -> None:
    from django.core.management import CommandError, call_command

    enrol(supervisor_gr)
    with pytest.raises(CommandError, match="Say why"):
        call_command("two_factor_reset", supervisor_gr.username, "--reason", " ")
    assert two_factor.enrolled(supervisor_gr)

    call_command("two_factor_reset", supervisor_gr.username, "--reason", "ticket 4711: phone stolen")
    assert not two_factor.enrolled(supervisor_gr)
    assert not StaticDevice.objects.filter(user=supervisor_gr).exists()
    entry = LogEntry.objects.get_for_object(supervisor_gr).first()
    assert "ticket 4711" in str(entry.changes)
    # At the next sign-in the supervisor must enrol again before anything else.
    client = Client()
    sign_in_with_password(client, supervisor_gr)
    assert client.get(reverse("cases:list")).url.startswith(reverse("accounts:two_factor_setup"))
    with pytest.raises(CommandError, match="no two-factor"):
        call_command("two_factor_reset", supervisor_gr.username, "--reason", "again")


def test_the_admin_signs_in_through_our_login_so_a_staff_user_with_two_factor_on_gives_a_code(
    counsellor_gr: User,
) -> None:
    counsellor_gr.is_staff = True
    counsellor_gr.save()
    enrol(counsellor_gr)
    client = Client()

    door = client.get(reverse("admin:login") + "?next=/admin/accounts/mission/")
    assert door.status_code == 302
    assert door["Location"] == reverse("accounts:login") + "?next=/admin/accounts/mission/"
    # The admin's own form is gone: posting a password to it signs nobody in.
    client.post(reverse("admin:login"), {"username": counsellor_gr.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    assert sign_in_with_password(client, counsellor_gr).url == reverse("accounts:login_code")
    assert client.get(reverse("admin:index")).status_code == 302  # still no one signed in
