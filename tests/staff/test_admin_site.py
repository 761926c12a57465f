"""Staff accounts: lockout, two-step sign-in and its redirects, configurable admin URL, session expiry."""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADMIN = f"/{settings.ADMIN_URL}"
LOGIN = f"{ADMIN}login/"


def sign_in(client, username, password, token=None, next_url=ADMIN):
    data = {"username": username, "password": password, "next": next_url}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data)


def code_for(device, offset_steps=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device) -> str:
    return "000000" if code_for(device) != "000000" else "111111"


def totp_device(user, confirmed=True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


# Login throttling --------------------------------------------------------------------------


def test_ten_failed_logins_lock_the_account_with_a_clear_message(client, make_staff):
    user = make_staff("ana", "Analyst")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "ana", f"wrong-{attempt}")
        assert response.status_code == 200, attempt  # the login form again, with its error
        assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, "ana", "wrong-last")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Account temporarily locked" in page
    assert "10 failed sign-in attempts" in page
    assert "60 minutes" in page
    assert int(response["Retry-After"]) == 3600

    # Locked means locked: the right password is refused too, and the admin stays closed.
    response = sign_in(client, "ana", user.plain_password)
    assert response.status_code == 429
    assert "Account temporarily locked" in response.content.decode()
    assert client.get(ADMIN).status_code == 302

    # The lock is per account: a colleague at the same address signs in.
    colleague = make_staff("bo", "Analyst")
    assert sign_in(Client(), "bo", colleague.plain_password).status_code == 302


def test_lockout_page_is_translated(client, make_staff):
    make_staff("ana", "Analyst")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana", f"wrong-{attempt}")
    page = client.post(
        LOGIN, {"username": "ana", "password": "x"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "verrouillé" in page.lower()


def test_a_successful_login_resets_the_count(client, make_staff):
    user = make_staff("ana", "Analyst")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "ana", f"wrong-{attempt}")
    assert sign_in(client, "ana", user.plain_password).status_code == 302
    client.logout()
    assert sign_in(client, "ana", "wrong-again").status_code == 200  # not locked


def test_lockout_cools_off(client, make_staff):
    user = make_staff("ana", "Analyst")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana", f"wrong-{attempt}")
    assert sign_in(client, "ana", user.plain_password).status_code == 429
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert sign_in(client, "ana", user.plain_password).status_code == 302


# Two-step sign-in ------------------------------------------------------------------------------


def test_an_account_with_an_authenticator_needs_its_code(client, make_staff):
    user = make_staff("ana", "Analyst")
    device = totp_device(user)

    response = sign_in(client, "ana", user.plain_password)
    assert response.status_code == 200
    assert "enter the code from your authenticator app" in response.content.decode()
    assert user.plain_password not in response.content.decode()  # never sent back in the page
    assert client.get(ADMIN).status_code == 302

    response = sign_in(client, "ana", user.plain_password, token=wrong_code(device))
    assert response.status_code == 200
    assert "authentication code is not valid" in response.content.decode()
    assert user.plain_password not in response.content.decode()
    assert AccessAttempt.objects.get(username="ana").failures_since_start == 1  # a wrong code counts

    # django-otp holds verification back for a moment after a wrong code.
    response = sign_in(client, "ana", user.plain_password, token=code_for(device))
    assert "Too many wrong codes" in response.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3)):
        response = sign_in(client, "ana", user.plain_password, token=code_for(device))
    assert response.status_code == 302
    assert client.get(ADMIN).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


def test_wrong_codes_lock_the_account_too(client, make_staff):
    user = make_staff("ana", "Analyst")
    device = totp_device(user)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "ana", user.plain_password, token=wrong_code(device))
    assert response.status_code == 429
    assert sign_in(client, "ana", user.plain_password, token=code_for(device)).status_code == 429


def test_without_the_setting_two_step_is_optional(client, make_staff, settings):
    settings.OTP_REQUIRED_FOR_EDITORS = False
    editor = make_staff("ed", "Editor")
    assert sign_in(client, "ed", editor.plain_password).status_code == 302
    assert client.get(ADMIN).status_code == 200


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED_FOR_EDITORS = True


def test_enforced_editor_without_the_second_factor_cannot_reach_the_admin(client, make_staff, otp_required):
    from tests.findings.factories import FindingFactory

    finding = FindingFactory(draft=True)
    editor = make_staff("ed", "Editor")
    response = sign_in(client, "ed", editor.plain_password)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ADMIN}two-step/")
    for url in (ADMIN, f"{ADMIN}findings/finding/", f"{ADMIN}findings/finding/{finding.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN)
    # The login page sends a half-signed-in editor to the second step, never into the admin.
    assert client.get(LOGIN)["Location"].startswith(f"{ADMIN}two-step/")
    # Forged writes are refused as well.
    client.post(f"{ADMIN}findings/finding/", {"action": "publish_selected", "_selected_action": [finding.pk]})
    finding.refresh_from_db()
    assert finding.status == "draft"
    # Signing out still works.
    assert client.post(f"{ADMIN}logout/").status_code == 200
    assert "_auth_user_id" not in client.session


def test_enforced_editor_with_a_device_must_type_the_code(client, make_staff, otp_required):
    editor = make_staff("ed", "Editor")
    device = totp_device(editor)
    response = sign_in(client, "ed", editor.plain_password)
    assert response.status_code == 200
    assert client.get(ADMIN).status_code == 302
    assert sign_in(client, "ed", editor.plain_password, token=code_for(device)).status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_enforced_editor_enrols_an_authenticator_then_works(client, make_staff, otp_required):
    editor = make_staff("ed", "Editor")
    sign_in(client, "ed", editor.plain_password)
    page = client.get(f"{ADMIN}two-step/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "Set up two-step sign-in" in html
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/Dialogue%20Atlas")

    assert client.post(f"{ADMIN}two-step/", {"otp_token": wrong_code(device)}).status_code == 200
    assert client.get(ADMIN).status_code == 302

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=3)):
        response = client.post(f"{ADMIN}two-step/", {"otp_token": code_for(device), "next": f"{ADMIN}"})
    assert response.status_code == 302 and response["Location"] == ADMIN
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200

    # Next time, the code is asked for on the login form.
    client.post(f"{ADMIN}logout/")
    assert sign_in(client, "ed", editor.plain_password).status_code == 200
    # Two steps on: one step after the confirmation above (3 s on) may still be its time step,
    # whose code a device never accepts twice.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=2 * device.step)):
        assert sign_in(client, "ed", editor.plain_password, token=code_for(device)).status_code == 302


def test_a_code_may_be_typed_as_the_app_shows_it(client, make_staff):
    user = make_staff("ana", "Analyst")
    device = totp_device(user)
    code = code_for(device)
    assert sign_in(client, "ana", user.plain_password, token=f"{code[:3]} {code[3:]}").status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_a_wrong_code_on_the_two_step_page_counts_unless_enrolling(client, make_staff, otp_required):
    enrolling = make_staff("ed", "Editor")
    client.force_login(enrolling)
    client.get(f"{ADMIN}two-step/")
    device = TOTPDevice.objects.get(user=enrolling, confirmed=False)
    assert client.post(f"{ADMIN}two-step/", {"otp_token": wrong_code(device)}).status_code == 200
    assert not AccessAttempt.objects.filter(username="ed").exists()  # the page shows the key itself

    verifying = make_staff("vi", "Editor")
    device = totp_device(verifying)
    client.force_login(verifying)
    response = client.post(f"{ADMIN}two-step/", {"otp_token": wrong_code(device)})
    assert "authentication code is not valid" in response.content.decode()
    assert AccessAttempt.objects.get(username="vi").failures_since_start == 1


def test_two_step_page_does_not_redirect_offsite(client, make_staff, otp_required):
    editor = make_staff("ed", "Editor")
    device = totp_device(editor)
    client.force_login(editor)
    response = client.post(
        f"{ADMIN}two-step/", {"otp_token": code_for(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == ADMIN


# Every sign-in step that redirects honours a local `next` and refuses any other.

CHANGE_LIST = f"{ADMIN}findings/finding/"
FOREIGN_TARGETS = ["/\\evil.example/", "//evil.example", "https://evil.example", "javascript:alert(1)"]


def after_password(client, make_staff, next_url):
    user = make_staff("ana", "Analyst")
    return sign_in(client, "ana", user.plain_password, next_url=next_url)


def after_password_and_code(client, make_staff, next_url):
    user = make_staff("ana", "Analyst")
    device = totp_device(user)
    return sign_in(client, "ana", user.plain_password, token=code_for(device), next_url=next_url)


def after_password_with_the_second_step_owed(client, make_staff, next_url):
    editor = make_staff("ed", "Editor")
    return sign_in(client, "ed", editor.plain_password, next_url=next_url)


def login_page_with_the_second_step_owed(client, make_staff, next_url):
    editor = make_staff("ed", "Editor")
    sign_in(client, "ed", editor.plain_password)
    return client.get(LOGIN, {"next": next_url})


def login_page_when_signed_in(client, make_staff, next_url):
    user = make_staff("ana", "Analyst")
    sign_in(client, "ana", user.plain_password)
    return client.get(LOGIN, {"next": next_url})


def two_step_verification(client, make_staff, next_url):
    editor = make_staff("ed", "Editor")
    device = totp_device(editor)
    client.force_login(editor)  # signed in before the device was issued: the session is unverified
    return client.post(f"{ADMIN}two-step/", {"otp_token": code_for(device), "next": next_url})


def two_step_enrolment(client, make_staff, next_url):
    editor = make_staff("ed", "Editor")
    sign_in(client, "ed", editor.plain_password)
    assert client.get(f"{ADMIN}two-step/", {"next": next_url}).status_code == 200
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    return client.post(f"{ADMIN}two-step/", {"otp_token": code_for(device), "next": next_url})


def two_step_page_when_verified(client, make_staff, next_url):
    editor = make_staff("ed", "Editor")
    device = totp_device(editor)
    sign_in(client, "ed", editor.plain_password, token=code_for(device))
    return client.get(f"{ADMIN}two-step/", {"next": next_url})


SIGN_IN_STEPS = [
    after_password,
    after_password_and_code,
    after_password_with_the_second_step_owed,
    login_page_with_the_second_step_owed,
    login_page_when_signed_in,
    two_step_verification,
    two_step_enrolment,
    two_step_page_when_verified,
]


def landing(step, next_url) -> str:
    """Where `step` sends the user for a safe `next_url`: there, or to the second step first."""
    if step in (after_password_with_the_second_step_owed, login_page_with_the_second_step_owed):
        return f"{ADMIN}two-step/?{urlencode({'next': next_url})}"
    return next_url


@pytest.mark.parametrize("step", SIGN_IN_STEPS, ids=lambda step: step.__name__)
@pytest.mark.parametrize("target", FOREIGN_TARGETS)
def test_no_sign_in_step_redirects_off_the_site(client, make_staff, otp_required, step, target):
    response = step(client, make_staff, target)
    assert response.status_code == 302
    location = response["Location"]
    assert not urlsplit(location).scheme and not urlsplit(location).netloc, location
    assert location == landing(step, ADMIN)  # the admin index instead


@pytest.mark.parametrize("step", SIGN_IN_STEPS, ids=lambda step: step.__name__)
def test_every_sign_in_step_honours_a_local_next(client, make_staff, otp_required, step):
    response = step(client, make_staff, CHANGE_LIST)
    assert response.status_code == 302
    assert response["Location"] == landing(step, CHANGE_LIST)


def test_enforced_superuser_too_but_not_analysts(make_staff, otp_required, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="correct-horse-battery-9")
    client = Client()
    sign_in(client, "root", "correct-horse-battery-9")
    assert client.get(ADMIN).status_code == 302

    analyst = make_staff("ana", "Analyst")
    client = Client()
    assert sign_in(client, "ana", analyst.plain_password).status_code == 302
    assert client.get(ADMIN).status_code == 200
    assert admin.is_superuser


def test_create_totp_device_command_prints_the_provisioning_uri(make_staff):
    make_staff("ed", "Editor")
    out = StringIO()
    call_command("create_totp_device", "ed", "--no-qr", stdout=out)
    text = out.getvalue()
    assert "otpauth://totp/Dialogue%20Atlas%3Aed?secret=" in text
    assert TOTPDevice.objects.get(user__username="ed").confirmed
    with pytest.raises(CommandError, match="already has an authenticator"):
        call_command("create_totp_device", "ed", stdout=StringIO())
    call_command("create_totp_device", "ed", "--replace", stdout=StringIO())
    assert TOTPDevice.objects.filter(user__username="ed").count() == 1
    with pytest.raises(CommandError, match="No account"):
        call_command("create_totp_device", "nobody", stdout=StringIO())
    get_user_model().objects.create_user("reader", password="x")
    with pytest.raises(CommandError, match="not a staff account"):
        call_command("create_totp_device", "reader", stdout=StringIO())


def test_create_totp_device_command_prints_a_qr_code(make_staff):
    make_staff("ed", "Editor")
    out = StringIO()
    call_command("create_totp_device", "ed", stdout=out)
    assert "█" in out.getvalue() or "▀" in out.getvalue()


# Admin URL and sessions -----------------------------------------------------------------------


def test_admin_url_is_configurable():
    script = (
        "import django; django.setup();"
        "from django.urls import reverse, resolve, Resolver404;"
        "print(reverse('admin:index'));"
        "print(reverse('admin:login'));"
        "\ntry:\n    resolve('/admin/'); print('old admin path still served')\n"
        "except Resolver404:\n    print('old path gone')"
    )
    env = {**os.environ, "ADMIN_URL": "staff-desk-7f3/", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/staff-desk-7f3/", "/staff-desk-7f3/login/", "old", "path", "gone"]


def test_staff_sessions_expire(client, make_staff):
    user = make_staff("ana", "Analyst")
    assert sign_in(client, "ana", user.plain_password).status_code == 302
    assert client.get(ADMIN).status_code == 200
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)):
        assert client.get(ADMIN).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(ADMIN)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
