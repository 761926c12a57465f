"""The partners' background tasks (django.tasks): each one a thin call of a service."""

from django.tasks import task

from partners import snapshots, webhooks


@task
def build_snapshot() -> int | None:
    """Build a snapshot if one is due (public data changed, the newest one is old enough)."""
    if not snapshots.snapshot_is_due():
        return None
    return snapshots.snapshot_build().pk


@task
def deliver_webhook(delivery_id: int) -> str:
    """Make one attempt at one webhook delivery."""
    return webhooks.delivery_attempt(delivery_id=delivery_id)
