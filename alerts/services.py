"""Writes for alerts: subscribing, confirming, leaving, erasing, purging, planning and sending digests.

A digest is planned once per address and period (a `DigestRun`, unique on both) in one
transaction that also moves the address's change-log cursor and queues the sending task; the
worker claims a run before sending it and marks it sent after. Planning again, or a worker that
crashed, never plans or sends a period twice, and the cursor never skips a record. A worker that
dies between handing a message to the mail server and marking it sent leaves the run claimed;
after STALE_CLAIM it is sent again with the same Message-ID, which mail clients use to drop the
duplicate (the only case where a copy could reach the server twice: nothing can tell whether the
server took it).
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from alerts import messages
from alerts.models import DigestRun, DigestStatus, Frequency, Subscriber, Subscription, new_key
from alerts.selectors import change_log_position, digest_content
from core.tasks import enqueue

logger = logging.getLogger(__name__)

PENDING_DAYS = 7
RUN_RETENTION_DAYS = 90
STALE_CLAIM = datetime.timedelta(minutes=15)
REQUEUE_AFTER = datetime.timedelta(minutes=5)
PERIOD_LENGTH = {
    Frequency.IMMEDIATE: datetime.timedelta(minutes=15),
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}


# --- Subscribing ---------------------------------------------------------------------------------


def subscription_request(
    *, email: str, kind: str, theme=None, series=None, query: str = "", language: str, frequency: str
) -> None:
    """Record a pending subscription (or re-arm an existing one) and queue its confirmation
    message. Whether the address is new, pending or subscribed, the outcome the requester can
    see is the same: one confirmation message to that address."""
    for attempt in range(2):
        try:
            with transaction.atomic():
                subscriber, _created = Subscriber.objects.get_or_create(
                    email=email, defaults={"language": language, "frequency": frequency}
                )
                target = {"kind": kind, "theme": theme, "series": series, "query": query}
                subscription = subscriber.subscriptions.filter(**target).first()
                if subscription is None:
                    subscription = Subscription(subscriber=subscriber, **target)
                else:
                    subscription.nonce = new_key()  # only the newest confirmation link works
                subscription.language = language
                subscription.frequency = frequency
                subscription.save()
                from alerts.tasks import send_confirmation

                enqueue(send_confirmation, subscription.pk, subscription.nonce)
            return
        except IntegrityError:  # the same address, subscribing twice at once
            if attempt:
                raise


def subscription_confirm(*, subscription: Subscription, now=None) -> Subscription:
    """Confirm a subscription (again: nothing changes) and apply the language and frequency it
    asked for to its address. The first confirmation of an address starts its digests at the
    current change-log position: nothing older is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update().select_related("subscriber").get(pk=subscription.pk)
        )
        subscriber = subscription.subscriber
        if subscription.confirmed_at is None:
            subscription.confirmed_at = now
            subscription.save(update_fields=["confirmed_at"])
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = now
            subscriber.covered_seq = change_log_position()
            subscriber.covered_at = now
        subscriber.language = subscription.language
        subscriber.frequency = subscription.frequency
        subscriber.save()
    return subscription


def subscription_end(*, subscriber: Subscriber, subscription_id: int) -> bool:
    """End one subscription of an address; an address left with none is erased."""
    with transaction.atomic():
        deleted, _ = subscriber.subscriptions.filter(pk=subscription_id).delete()
        if not subscriber.subscriptions.exists():
            subscriber.delete()
    return bool(deleted)


def subscriber_unsubscribe(*, subscriber: Subscriber) -> None:
    """End every subscription of an address (the one-click link): nothing more is sent to it, and
    nothing about it is kept."""
    subscriber_erase(subscriber=subscriber)


def subscriber_erase(*, subscriber: Subscriber) -> None:
    """Delete everything held about an address: it, its subscriptions, its digest history."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


def subscriber_update(*, subscriber: Subscriber, language: str, frequency: str) -> None:
    """Change an address's language and frequency (from its signed settings page)."""
    Subscriber.objects.filter(pk=subscriber.pk).update(language=language, frequency=frequency)


def alerts_purge(*, now=None) -> int:
    """Delete pending subscriptions older than PENDING_DAYS, addresses left without any, and
    digest history older than RUN_RETENTION_DAYS; returns how many rows went."""
    now = now or timezone.now()
    removed, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - datetime.timedelta(days=PENDING_DAYS)
    ).delete()
    gone, _ = Subscriber.objects.filter(subscriptions__isnull=True).delete()
    old, _ = DigestRun.objects.filter(
        planned_at__lt=now - datetime.timedelta(days=RUN_RETENTION_DAYS)
    ).delete()
    return removed + gone + old


def confirmation_send(*, subscription_id: int, nonce: str) -> bool:
    """Send the confirmation message of a subscription (the task). Nothing if it is gone or was
    re-armed since (a newer message is on its way)."""
    subscription = (
        Subscription.objects.select_related("subscriber", "theme", "series")
        .filter(pk=subscription_id, nonce=nonce)
        .first()
    )
    if subscription is None:
        return False
    messages.confirmation_message(subscription).send()
    return True


# --- Digests -------------------------------------------------------------------------------------


def period_bounds(frequency: str, moment: datetime.datetime) -> tuple[str, datetime.datetime]:
    """The name of the period of `frequency` that contains `moment` (UTC), and when it ends."""
    moment = moment.astimezone(datetime.UTC)
    if frequency == Frequency.IMMEDIATE:
        start = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
        return f"{frequency}:{start:%Y-%m-%dT%H:%M}", start + PERIOD_LENGTH[Frequency.IMMEDIATE]
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == Frequency.WEEKLY:
        year, week, weekday = moment.isocalendar()
        start = day - datetime.timedelta(days=weekday - 1)
        return f"{frequency}:{year}-W{week:02d}", start + PERIOD_LENGTH[Frequency.WEEKLY]
    return f"{frequency}:{moment:%Y-%m-%d}", day + PERIOD_LENGTH[Frequency.DAILY]


def digests_plan(*, now=None, force: bool = False) -> dict[str, int]:
    """Plan the digest of every confirmed address whose period has ended (with `force`, whose
    current period: it is treated as ended), queue the non-empty ones, and queue again runs
    whose task may have been lost. Returns counts: planned, empty, queued."""
    now = now or timezone.now()
    latest = change_log_position()
    counts = {"planned": 0, "empty": 0, "queued": 0}
    subscribers = Subscriber.objects.filter(
        confirmed_at__isnull=False, subscriptions__confirmed_at__isnull=False
    ).distinct()
    for frequency in Frequency:
        moment = now if force else now - PERIOD_LENGTH[frequency]
        period, end = period_bounds(frequency, moment)
        # A digest covers what the log recorded up to its period's end (all of it with `force`):
        # what came after waits for the next period.
        upto = latest if force else change_log_position(at=end)
        due = subscribers.filter(frequency=frequency).exclude(digest_runs__period=period)
        for subscriber_id in due.values_list("pk", flat=True):
            try:
                planned = _plan_one(
                    subscriber_id=subscriber_id, frequency=frequency, period=period, upto=upto, now=now
                )
            except IntegrityError:  # another planner took this period at the same moment
                continue
            if planned is not None:
                counts["planned" if planned else "empty"] += 1
    counts["queued"] = counts["planned"] + _requeue_lost(now=now)
    return counts


def _plan_one(*, subscriber_id: int, frequency: str, period: str, upto: int, now) -> bool | None:
    from alerts.tasks import send_digest

    with transaction.atomic():
        # Locked, and still of this frequency (its owner may have changed it meanwhile).
        subscriber = (
            Subscriber.objects.select_for_update().filter(pk=subscriber_id, frequency=frequency).first()
        )
        if subscriber is None or DigestRun.objects.filter(subscriber=subscriber, period=period).exists():
            return None
        after = subscriber.covered_seq
        content = digest_content(subscriber=subscriber, after=after, upto=upto, since=subscriber.covered_at)
        has_content = any(content.values())
        run = DigestRun.objects.create(
            subscriber=subscriber,
            period=period,
            from_seq=after,
            to_seq=max(upto, after),
            content=content,
            status=DigestStatus.PENDING if has_content else DigestStatus.EMPTY,
            queued_at=now if has_content else None,
        )
        subscriber.covered_seq = max(upto, after)
        subscriber.covered_at = now
        subscriber.save(update_fields=["covered_seq", "covered_at"])
        if has_content:
            enqueue(send_digest, run.pk)
    return has_content


def _requeue_lost(*, now) -> int:
    """Queue again the runs still pending REQUEUE_AFTER after they were last queued, and those
    claimed by a worker that has not finished them in STALE_CLAIM: their task was lost (a Redis
    queue emptied, a worker killed) or failed (the mail server was down). A run is claimed before
    it is sent, so a duplicate task sends nothing; at most one is queued per REQUEUE_AFTER."""
    from alerts.tasks import send_digest

    with transaction.atomic():
        lost = list(
            DigestRun.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=DigestStatus.PENDING)
                | Q(status=DigestStatus.SENDING, claimed_at__lt=now - STALE_CLAIM),
                queued_at__lt=now - REQUEUE_AFTER,
            )
            .values_list("pk", flat=True)
        )
        DigestRun.objects.filter(pk__in=lost).update(queued_at=now)
        for run_id in lost:
            enqueue(send_digest, run_id)
    return len(lost)


def digest_send(*, run_id: int, now=None) -> bool:
    """Send a planned digest (the task): claim it, send it, mark it sent. False if it was sent or
    claimed already, its address is gone, or nothing in it is still public."""
    now = now or timezone.now()
    claimable = Q(status=DigestStatus.PENDING) | Q(
        status=DigestStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = (
        DigestRun.objects.filter(claimable, pk=run_id)
        .exclude(subscriber__subscriptions__isnull=True)
        .update(status=DigestStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    run = DigestRun.objects.select_related("subscriber").get(pk=run_id)
    message = messages.digest_message(run)
    if message is None:  # everything in it left the public set since it was planned
        DigestRun.objects.filter(pk=run_id).update(status=DigestStatus.EMPTY)
        return False
    try:
        message.send()
    except Exception:
        # Not handed over: the next planning round (or a retry) sends it.
        DigestRun.objects.filter(pk=run_id, status=DigestStatus.SENDING).update(status=DigestStatus.PENDING)
        raise
    DigestRun.objects.filter(pk=run_id).update(
        status=DigestStatus.SENT, sent_at=timezone.now(), message_id=message.extra_headers["Message-ID"]
    )
    return True


def alerts_periodic() -> dict[str, int]:
    """The scheduler's round for alerts: purge what expired, plan and queue the due digests."""
    purged = alerts_purge()
    return {**digests_plan(), "purged": purged}
