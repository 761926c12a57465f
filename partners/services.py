"""What the scheduler (`manage.py periodic`, every minute) asks of the partners' layer: queue a
snapshot when one is due, plan and queue webhook deliveries. The task worker does the work."""

from core.tasks import enqueue
from partners import snapshots, webhooks


def snapshots_periodic() -> bool:
    """Queue a snapshot build when public data changed since the newest snapshot and that one is
    older than SNAPSHOT_INTERVAL: a snapshot follows every change, at most once an interval."""
    from partners.tasks import build_snapshot

    if not snapshots.snapshot_is_due():
        return False
    enqueue(build_snapshot)
    return True


def webhooks_periodic() -> int:
    """Plan the next batch of every endpoint that has none open, and queue every attempt that is
    due; returns how many attempts were queued."""
    from partners.tasks import deliver_webhook

    webhooks.deliveries_plan()
    queued = 0
    for delivery_id in webhooks.deliveries_due():
        enqueue(deliver_webhook, delivery_id)
        queued += 1
    return queued
