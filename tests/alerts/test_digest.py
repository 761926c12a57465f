"""The whole journey against a real SMTP server, with each task backend: subscribe through the
form, confirm, publish, receive one digest in the subscriber's language, leave in one click."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alerts.models import DigestRun, Subscriber
from tests.alerts.conftest import link, path_of, run_worker
from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory

SITE = "https://atlas.example.org"


@pytest.fixture(params=["database_tasks", "redis_tasks"])
def task_backend(request):
    return request.getfixturevalue(request.param)


@pytest.mark.django_db(transaction=True)
def test_subscribe_confirm_digest_and_one_click_leave(task_backend, smtp_server, settings, time_machine):
    settings.SITE_URL = SITE
    time_machine.move_to(timezone.now().replace(hour=9, minute=0), tick=True)
    energy = ThemeFactory(slug="energy", name_en="Energy", name_fr="Énergie", name_ko="에너지")
    trade = ThemeFactory(slug="trade", name_en="Trade", name_fr="Commerce", name_ko="무역")
    dialogue = DialogueFactory()
    reader = "Reader@Example.org"

    # Subscribe through the form: a page in English, messages asked for in French.
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/en/alerts/?theme=energy")
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    response = browser.post(
        "/en/alerts/",
        {
            "email": reader,
            "kind": "theme",
            "theme": "energy",
            "language": "fr",
            "frequency": "daily",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert smtp_server.received == []  # nothing leaves before the worker runs
    run_worker()

    (confirmation,) = smtp_server.messages()
    assert confirmation["To"] == "reader@example.org"
    assert confirmation["Subject"] == "Confirmez votre alerte Dialogue Atlas"
    confirm_url = link(confirmation, "/fr/alerts/confirm/")
    assert confirm_url.startswith(f"{SITE}/fr/alerts/confirm/")

    # Following the link shows a button; pressing it confirms.
    assert browser.get(path_of(confirm_url)).status_code == 200
    assert not Subscriber.objects.get().is_confirmed
    confirmed = browser.post(
        path_of(confirm_url), {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value}
    )
    assert confirmed.status_code == 200
    assert Subscriber.objects.get().is_confirmed

    # One finding on the subscribed theme, one on another theme.
    followed = FindingFactory(
        dialogue=dialogue, themes=[energy], title_en="LNG exports to Korea", title_fr="Exportations de GNL"
    )
    other = FindingFactory(
        dialogue=dialogue,
        themes=[trade],
        title_en="Tariffs on steel",
        title_fr="Droits de douane sur l’acier",
    )
    smtp_server.clear()
    call_command("send_alerts", "--now", verbosity=0)
    run_worker()

    (digest,) = smtp_server.messages()
    assert digest["To"] == "reader@example.org"
    assert "nouvel" in digest["Subject"]  # in French
    text = digest.get_body(preferencelist=("plain",)).get_content()
    html = digest.get_body(preferencelist=("html",)).get_content()
    assert followed.title_fr in text and followed.title_fr in html
    assert other.title_fr not in text and other.title_en not in text and other.title_fr not in html
    assert f"{SITE}/fr/findings/{followed.pk}/" in text
    assert "<img" not in html

    # The raw message: both headers plain, each on one line, the URL over 100 characters.
    (raw,) = smtp_server.raw()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    found = re.search(r"^List-Unsubscribe: <(https://[^>\r\n]+)>\r$", head + "\r", re.MULTILINE)
    assert found, head
    unsubscribe_url = found.group(1)
    assert len(unsubscribe_url) > 100
    assert re.search(r"^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$", head, re.MULTILINE)
    assert "=?utf-8?" not in head.split("List-Unsubscribe:")[1].split("\r\n")[0]

    # A GET of the one-click link changes nothing; the POST (no CSRF token, no sign-in) ends it.
    assert browser.get(path_of(unsubscribe_url)).status_code == 200
    assert Subscriber.objects.filter(email="reader@example.org").exists()
    provider = Client(enforce_csrf_checks=True)
    left = provider.post(path_of(unsubscribe_url), "List-Unsubscribe=One-Click", content_type="text/plain")
    assert left.status_code == 200
    assert not Subscriber.objects.exists()
    assert not DigestRun.objects.exists()

    # The next digest sends nothing.
    FindingFactory(dialogue=dialogue, themes=[energy])
    smtp_server.clear()
    time_machine.move_to(timezone.now() + dt.timedelta(days=1))
    call_command("send_alerts", verbosity=0)
    call_command("send_alerts", "--now", verbosity=0)
    run_worker()
    assert smtp_server.received == []
