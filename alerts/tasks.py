"""Alerts' background tasks (django.tasks): each one a thin call of a service."""

from django.tasks import task

from alerts import services


@task
def send_confirmation(subscription_id: int, nonce: str) -> bool:
    """Send the confirmation message of a pending subscription."""
    return services.confirmation_send(subscription_id=subscription_id, nonce=nonce)


@task
def send_digest(run_id: int) -> bool:
    """Send one planned digest, at most once."""
    return services.digest_send(run_id=run_id)
