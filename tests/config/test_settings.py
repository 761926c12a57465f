"""Production settings refuse to start without a secret key and pass `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ENV", "DEBUG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = manage("check", DJANGO_ENV="production")
    assert result.returncode != 0
    assert "DJANGO_ENV=production needs SECRET_KEY" in result.stderr


def test_production_with_a_secret_key_passes_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="atlas.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_work_without_any_setting():
    result = manage("check")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_no_migrations_are_pending():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_health_endpoints(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


def _settings_value(expression: str, **env) -> str:
    result = manage(
        "shell", "--no-imports", "-c", f"from django.conf import settings; print({expression})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mailer:secret@mail.example.org:25", "mail.example.org 25 mailer secret False False"),
        ("smtp+tls://mailer:secret@mail.example.org:587", "mail.example.org 587 mailer secret True False"),
        ("smtp+ssl://mailer:secret@mail.example.org:465", "mail.example.org 465 mailer secret False True"),
    ],
)
def test_email_url_configures_the_smtp_mailer(url, expected):
    options = "settings.MAILERS['default']['OPTIONS']"
    fields = " ".join(
        f"{{{options}[{key!r}]}}" for key in ("host", "port", "username", "password", "use_tls", "use_ssl")
    )
    value = _settings_value(f'settings.MAILERS["default"]["BACKEND"], f"{fields}"', EMAIL_URL=url)
    assert value == f"core.mail.SMTPBackend {expected}"


def test_without_email_url_development_writes_to_the_outbox_and_tasks_use_the_database():
    value = _settings_value(
        'settings.MAILERS["default"]["BACKEND"], settings.TASKS["default"]["BACKEND"]',
        EMAIL_URL="",
        REDIS_URL="",
        TASKS_BACKEND="",
    )
    assert value == "core.mail.OutboxBackend django_tasks_db.DatabaseBackend"
    redis = _settings_value(
        'settings.TASKS["default"]["BACKEND"]', REDIS_URL="redis://127.0.0.1:6379/0", TASKS_BACKEND=""
    )
    assert redis == "django_tasks_rq.RQBackend"
