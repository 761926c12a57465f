"""Signed webhooks: the change-log entries of the followed resources, POSTed to partners' endpoints.

- Each endpoint keeps a cursor in the change feed. The scheduler (`manage.py periodic`, every
  minute) plans its next batch (up to BATCH_SIZE entries after the cursor, the same entries
  `/api/v1/changes/?after=<cursor>&type=...` lists) when it has no batch open, and moves the cursor
  to the batch's end; an endpoint never has two batches open, so batches arrive in order.
- The task worker sends each batch, signed per the Standard Webhooks specification (`webhook-id`,
  `webhook-timestamp`, `webhook-signature`; the `standardwebhooks` package). A 2xx answer
  delivers it and plans the next batch at once; anything else (an error, a redirect, which is not
  followed, a timeout of WEBHOOK_TIMEOUT seconds) is retried after RETRY_DELAYS (about a day in
  all). A batch that fails every attempt disables its endpoint and its owner is told by e-mail;
  enabling the endpoint again resends that batch first.
- Private, loopback, link-local and reserved addresses are refused, at registration and again at
  each attempt (a name may resolve elsewhere later), unless WEBHOOKS_ALLOW_PRIVATE is set.
"""

import datetime
import ipaddress
import json
import logging
import socket
import time
import uuid
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from core.changes import change_list_public
from core.models import PublicChangeAction
from partners.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# After the 1st, 2nd, ... failed attempt: the Standard Webhooks schedule, about 27 hours in all.
RETRY_DELAYS = [
    datetime.timedelta(seconds=5),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
    datetime.timedelta(hours=10),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A queued attempt that has not reported after this long is queued again (its worker died).
REQUEUE_AFTER = datetime.timedelta(minutes=5)
EVENT_TYPE = "changes"


# --- Addresses ---------------------------------------------------------------------------------


def _is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def endpoint_url_check(url: str) -> None:
    """Raise ValidationError unless `url` is an https URL whose host resolves only to public
    addresses (any http(s) address when WEBHOOKS_ALLOW_PRIVATE is set)."""
    parts = urlsplit(url)
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError(_("Webhook endpoints must use https://."), code="scheme")
    if not parts.hostname:
        raise ValidationError(_("Enter a URL with a host name."), code="host")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)}
    except (OSError, ValueError):
        raise ValidationError(_("This host name does not resolve."), code="resolve") from None
    if not addresses or not all(_is_public_address(address.split("%")[0]) for address in addresses):
        raise ValidationError(
            _("This address is private, loopback or reserved; webhooks go to public addresses only."),
            code="private",
        )


# --- Planning ----------------------------------------------------------------------------------


def endpoint_register(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Save a new endpoint whose URL passed the check: it hears of changes from now on."""
    endpoint.cursor = change_list_public().order_by("-pk").values_list("pk", flat=True).first() or 0
    endpoint.save()
    return endpoint


def entries_after(cursor: int, resources: list[str]):
    """Feed entries after `cursor` that a partner at `cursor` needs, as /api/v1/changes/ lists them."""
    relevant = Q(action=PublicChangeAction.UPSERT) | Q(held_since__isnull=True) | Q(held_since__lte=cursor)
    entries = change_list_public().filter(pk__gt=cursor)
    if resources:
        entries = entries.filter(resource__in=resources)
    return entries.filter(relevant)


def _payload(entries, now) -> dict:
    return {
        "type": EVENT_TYPE,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": {
            "entries": [
                {
                    "seq": entry.pk,
                    "type": entry.resource,
                    "id": entry.object_id,
                    "action": entry.action,
                    "at": entry.changed_at.isoformat().replace("+00:00", "Z"),
                }
                for entry in entries
            ]
        },
    }


def delivery_plan(*, endpoint_id: int, now=None) -> WebhookDelivery | None:
    """The endpoint's next batch, if it is active, has no batch open and entries are waiting."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            endpoint = (
                WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id, is_active=True).first()
            )
            if endpoint is None:
                return None
            if endpoint.deliveries.exclude(status=DeliveryStatus.DELIVERED).exists():
                return None
            entries = list(entries_after(endpoint.cursor, endpoint.resources).order_by("pk")[:BATCH_SIZE])
            if not entries:
                return None
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                message_id=f"msg_{uuid.uuid4().hex}",
                payload=_payload(entries, now),
                first_seq=entries[0].pk,
                last_seq=entries[-1].pk,
                next_attempt_at=now,
            )
            endpoint.cursor = entries[-1].pk
            endpoint.save(update_fields=["cursor"])
            return delivery
    except IntegrityError:  # another scheduler planned it at the same moment
        return None


def deliveries_plan(*, now=None) -> int:
    """Plan the next batch of every active endpoint that has none open; returns how many."""
    planned = 0
    for endpoint_id in WebhookEndpoint.objects.filter(is_active=True).values_list("pk", flat=True):
        if delivery_plan(endpoint_id=endpoint_id, now=now) is not None:
            planned += 1
    return planned


def deliveries_due(*, now=None) -> list[int]:
    """Mark as queued, and return, the pending deliveries whose attempt is due (and those whose
    queued attempt never reported)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update()
            .filter(status=DeliveryStatus.PENDING, endpoint__is_active=True, next_attempt_at__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER))
            .order_by("endpoint_id", "first_seq")
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=due).update(queued_at=now)
    return due


# --- Sending -----------------------------------------------------------------------------------


def delivery_headers(delivery: WebhookDelivery, body: str, now) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt, signed with the endpoint's secret."""
    signature = Webhook(delivery.endpoint.secret).sign(delivery.message_id, now, body)
    return {
        "content-type": "application/json",
        "user-agent": "DialogueAtlas-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def _post(url: str, body: str, headers: dict[str, str]) -> tuple[int | None, str, int]:
    """(response code or None, error, latency in ms) of one POST: no redirects, a timeout."""
    started = time.monotonic()
    try:
        endpoint_url_check(url)
        response = httpx.post(
            url,
            content=body.encode(),
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT,
            follow_redirects=False,
        )
    except ValidationError as error:
        return None, "; ".join(error.messages), int((time.monotonic() - started) * 1000)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:500], int((time.monotonic() - started) * 1000)
    latency = int((time.monotonic() - started) * 1000)
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return response.status_code, error, latency


def delivery_attempt(*, delivery_id: int, now=None) -> str:
    """Send one batch once; returns its status afterwards. The request is made outside any
    transaction (it may take WEBHOOK_TIMEOUT seconds); its outcome is written in one."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING or not delivery.endpoint.is_active:
        return delivery.status if delivery else "gone"
    sent_at = now or timezone.now()
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))
    code, error, latency = _post(delivery.endpoint.url, body, delivery_headers(delivery, body, sent_at))
    finished = timezone.now() if now is None else now
    disabled = False
    with transaction.atomic():
        delivery.attempts += 1
        delivery.last_status_code = code
        delivery.last_error = error
        delivery.last_latency_ms = latency
        delivery.queued_at = None
        if not error:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = finished
            delivery.next_attempt_at = None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            disabled = endpoint_disable(endpoint=delivery.endpoint, now=finished)
        else:
            delivery.next_attempt_at = finished + RETRY_DELAYS[delivery.attempts - 1]
        delivery.save()
    if delivery.status == DeliveryStatus.DELIVERED:
        _plan_and_queue_next(delivery.endpoint_id, now=finished)
    if disabled:
        _tell_owner(delivery)
    return delivery.status


def _plan_and_queue_next(endpoint_id: int, *, now) -> None:
    """Keep the entries flowing: the next batch is planned and queued as soon as one is delivered."""
    from core.tasks import enqueue
    from partners.tasks import deliver_webhook

    with transaction.atomic():
        following = delivery_plan(endpoint_id=endpoint_id, now=now)
        if following is not None:
            WebhookDelivery.objects.filter(pk=following.pk).update(queued_at=now)
            enqueue(deliver_webhook, following.pk)


def endpoint_disable(*, endpoint: WebhookEndpoint, now=None) -> bool:
    """Stop delivering to an endpoint; returns whether it was active."""
    changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=now or timezone.now()
    )
    endpoint.is_active = False
    return bool(changed)


def endpoint_enable(*, endpoint: WebhookEndpoint, now=None) -> None:
    """Deliver to an endpoint again, starting with the batch that failed (order is kept)."""
    now = now or timezone.now()
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=True, disabled_at=None)
        endpoint.deliveries.filter(status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, queued_at=None
        )
    endpoint.is_active, endpoint.disabled_at = True, None


def _tell_owner(delivery: WebhookDelivery) -> None:
    endpoint = delivery.endpoint
    message = EmailMessage(
        subject=_("Dialogue Atlas: your webhook endpoint was disabled"),
        body=_(
            "Deliveries to %(url)s failed %(attempts)d times over about a day (last: %(error)s), so "
            "the endpoint has been disabled. Changes from sequence %(seq)d on are kept for you: ask "
            "us to enable the endpoint again once it answers, and they will be sent in order. "
            "Meanwhile, the change feed (/api/v1/changes/?after=%(after)d) has everything."
        )
        % {
            "url": endpoint.url,
            "attempts": delivery.attempts,
            "error": delivery.last_error or "-",
            "seq": delivery.first_seq,
            "after": delivery.first_seq - 1,
        },
        to=[endpoint.owner_email],
        headers={"X-Atlas-Kind": "webhook-disabled"},
    )
    try:
        message.send()
    except Exception:  # noqa: BLE001 - the endpoint stays disabled; the admin shows why
        logger.exception("could not tell %s that webhook %s was disabled", endpoint.owner_email, endpoint.pk)
