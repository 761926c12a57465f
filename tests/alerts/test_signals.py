"""A hard bounce or a complaint reported through django-anymail ends the address's alerts; a
soft bounce or a delivery does not."""

import pytest
from anymail.signals import AnymailTrackingEvent, tracking

from alerts.models import Subscriber

pytestmark = pytest.mark.django_db


def report(event_type: str, recipient: str = "Reader@Example.org"):
    event = AnymailTrackingEvent(event_type=event_type, recipient=recipient, message_id="x")
    tracking.send(sender=object, event=event, esp_name="Postmark")


@pytest.mark.parametrize(
    ("event_type", "ends"),
    [("bounced", True), ("complained", True), ("deferred", False), ("delivered", False)],
)
def test_bounces_and_complaints_end_the_alerts(event_type, ends):
    Subscriber.objects.create(email="reader@example.org", language="en", frequency="daily")
    Subscriber.objects.create(email="other@example.org", language="en", frequency="daily")
    report(event_type)
    assert Subscriber.objects.filter(email="reader@example.org").exists() is not ends
    assert Subscriber.objects.filter(email="other@example.org").exists()
