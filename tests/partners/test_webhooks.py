"""Signed webhooks against a receiver started by the test: Standard Webhooks signatures that the
`standardwebhooks` package verifies, retries in order, disabling, and the address rules."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework_api_key.models import APIKey
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from core.services import record_unpublish
from partners import services, webhooks
from partners.admin import WebhookEndpointForm
from partners.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, new_secret
from tests.alerts.conftest import database_tasks, run_worker  # noqa: F401 - a fixture
from tests.findings.factories import FindingFactory


class Receiver:
    """An HTTP server on a free local port that records each POST and answers with the next
    status of `statuses` (200 once they run out)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received: list[tuple[str, dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def batches(self) -> list[list[int]]:
        return [
            [entry["seq"] for entry in json.loads(body)["data"]["entries"]] for _p, _h, body in self.received
        ]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on the loopback address
    started = Receiver()
    yield started
    started.stop()


@pytest.fixture
def endpoint(receiver, db):
    _key, _secret = APIKey.objects.create_key(name="partner")
    return webhooks.endpoint_register(
        endpoint=WebhookEndpoint(api_key=_key, url=receiver.url, owner_email="ops@partner.example")
    )


def tick():
    """One round of the scheduler, then the worker until its queue is empty."""
    services.webhooks_periodic()
    run_worker()


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_a_signed_delivery_verifies_and_a_tampered_one_does_not(receiver, endpoint):
    finding = FindingFactory()
    tick()
    ((path, headers, body),) = receiver.received
    assert path == "/hook"
    assert {"webhook-id", "webhook-timestamp", "webhook-signature"} <= set(headers)
    payload = Webhook(endpoint.secret).verify(body, headers)
    assert payload["type"] == "changes"
    entries = payload["data"]["entries"]
    assert ("findings", finding.pk, "upsert") in {(e["type"], e["id"], e["action"]) for e in entries}
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)

    tampered = body.replace(b'"upsert"', b'"remove"', 1)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)  # another endpoint's secret
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert delivery.last_status_code == 200 and delivery.last_latency_ms is not None
    tick()
    assert len(receiver.received) == 1  # nothing new, nothing sent


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_500_three_times_then_200_delivers_the_batch_once_more_and_in_order(receiver, endpoint, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    receiver.statuses = [500, 500, 500]
    first = FindingFactory()
    tick()
    second = FindingFactory()  # waits behind the first batch
    for _retry in range(3):
        tick()  # not due yet: nothing is sent
        time_machine.shift(dt.timedelta(hours=3))
        tick()
    batches = receiver.batches()
    ids = [headers["webhook-id"] for _p, headers, _b in receiver.received]
    assert len(batches) == 5
    assert batches[0] == batches[1] == batches[2] == batches[3]  # the same batch, retried ...
    assert ids[0] == ids[1] == ids[2] == ids[3] != ids[4]  # ... under the same webhook-id
    assert max(batches[3]) < min(batches[4])  # ... then the next one, in order
    seen = [json.loads(body)["data"]["entries"] for _p, _h, body in receiver.received]
    assert first.pk in {e["id"] for e in seen[0] if e["type"] == "findings"}
    assert second.pk in {e["id"] for e in seen[4] if e["type"] == "findings"}
    first_delivery = WebhookDelivery.objects.order_by("first_seq").first()
    assert first_delivery.attempts == 4 and first_delivery.status == DeliveryStatus.DELIVERED
    for _p, headers, body in receiver.received[-1:]:
        Webhook(endpoint.secret).verify(body, headers)


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_an_endpoint_that_keeps_failing_is_disabled_and_its_owner_told(receiver, endpoint, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    receiver.statuses = [503] * 50
    FindingFactory()
    tick()
    elapsed = dt.timedelta()
    for delay in webhooks.RETRY_DELAYS:
        time_machine.shift(delay)
        elapsed += delay
        tick()
    assert dt.timedelta(hours=20) < elapsed < dt.timedelta(hours=30)  # about a day
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    (message,) = mail.outbox
    assert message.to == ["ops@partner.example"] and receiver.url in message.body
    time_machine.shift(dt.timedelta(days=1))
    tick()
    assert len(receiver.received) == webhooks.MAX_ATTEMPTS  # disabled: nothing more

    # Enabled again: the failed batch goes first, then what came since.
    receiver.statuses = []
    record_unpublish(record=FindingFactory())
    webhooks.endpoint_enable(endpoint=endpoint)
    tick()
    batches = receiver.batches()
    assert batches[-2] == batches[0] and max(batches[-2]) < min(batches[-1])


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_redirects_are_not_followed(receiver, endpoint):
    receiver.statuses = [302]
    FindingFactory()
    tick()
    assert [path for path, _h, _b in receiver.received] == ["/hook"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_only_the_followed_resources_are_delivered(receiver, endpoint):
    endpoint.resources = ["dialogues"]
    endpoint.save()
    finding = FindingFactory()
    tick()
    (entries,) = [json.loads(body)["data"]["entries"] for _p, _h, body in receiver.received]
    assert {entry["type"] for entry in entries} == {"dialogues"}
    assert finding.dialogue_id in {entry["id"] for entry in entries}


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "http://93.184.215.14/hook",  # public, but not https
    ],
)
@pytest.mark.django_db
def test_private_and_plain_http_addresses_are_refused_at_registration(url, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    key, _secret = APIKey.objects.create_key(name="partner")
    form = WebhookEndpointForm(data={"api_key": key.pk, "url": url, "owner_email": "ops@p.example"})
    assert not form.is_valid()
    assert "url" in form.errors


@pytest.mark.django_db
def test_a_public_https_address_is_accepted_and_a_private_one_when_allowed(settings):
    key, _secret = APIKey.objects.create_key(name="partner")
    data = {"api_key": key.pk, "owner_email": "ops@p.example", "is_active": True, "resources": ["findings"]}
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    assert WebhookEndpointForm(data={**data, "url": "https://93.184.215.14/hook"}).is_valid()
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    assert WebhookEndpointForm(data={**data, "url": "http://127.0.0.1:8001/hook"}).is_valid()


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_the_admin_registers_an_endpoint_and_shows_its_delivery_log(admin_client, receiver):
    key, _secret = APIKey.objects.create_key(name="partner")
    response = admin_client.post(
        "/admin/partners/webhookendpoint/add/",
        {
            "api_key": key.pk,
            "url": receiver.url,
            "owner_email": "ops@partner.example",
            "resources": ["findings"],
            "is_active": "on",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.resources == ["findings"]
    FindingFactory()
    tick()
    page = admin_client.get(f"/admin/partners/webhookendpoint/{endpoint.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "delivery log" in text.lower() and ">200<" in text.replace(" ", "")
    assert admin_client.get("/admin/partners/webhookdelivery/").status_code == 200


@pytest.mark.django_db
def test_the_admin_form_disables_and_enables_an_endpoint(admin_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    key, _secret = APIKey.objects.create_key(name="partner")
    endpoint = webhooks.endpoint_register(
        endpoint=WebhookEndpoint(api_key=key, url="http://127.0.0.1:9/hook", owner_email="ops@p.example")
    )
    form = {
        "api_key": key.pk,
        "url": endpoint.url,
        "owner_email": endpoint.owner_email,
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
    }
    path = f"/admin/partners/webhookendpoint/{endpoint.pk}/change/"
    assert admin_client.post(path, form).status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert admin_client.post(path, {**form, "is_active": "on"}).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_at is None
