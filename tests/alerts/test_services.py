"""Digests: planned from the change log, once per address and period, sent at most once; and the
task layer's guarantee that a task enqueued in a rolled-back transaction never runs."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from alerts import services
from alerts.models import DigestRun, DigestStatus, Frequency, Subscriber, Subscription, TargetKind
from alerts.services import digests_plan, period_bounds, subscription_confirm
from tests.alerts.conftest import run_worker
from tests.dialogue.factories import DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory

# Each write commits, as each request does: the change log dates a record's entry into the public
# set by the transaction that wrote it, and a test-wide transaction would make it one.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def tasks(database_tasks):
    """The database task backend, run in the test's transaction."""


def follower(
    email, *, kind=TargetKind.EVERYTHING, confirmed=True, language="en", frequency="daily", **target
):
    subscriber = Subscriber.objects.create(email=email, language=language, frequency=frequency)
    subscription = Subscription.objects.create(
        subscriber=subscriber, kind=kind, language=language, frequency=frequency, **target
    )
    if confirmed:
        subscription_confirm(subscription=subscription)
    return subscriber


def digests_to(email):
    return [message for message in mail.outbox if message.to == [email] and "Confirm" not in message.subject]


def test_a_rolled_back_enqueue_never_runs():
    from django_tasks_db.models import DBTaskResult

    from alerts.tasks import send_confirmation

    subscriber = follower("reader@example.org", confirmed=False)
    subscription = subscriber.subscriptions.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        send_confirmation.enqueue(subscription.pk, subscription.nonce)
        assert DBTaskResult.objects.count() == 1  # a row of this transaction
        raise RuntimeError("the request failed after enqueueing")
    assert DBTaskResult.objects.count() == 0
    run_worker()
    assert mail.outbox == []

    send_confirmation.enqueue(subscription.pk, subscription.nonce)  # committed: it runs
    run_worker()
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]


def test_digest_twice_sends_once():
    dialogue = DialogueFactory()
    follower("reader@example.org")
    FindingFactory(dialogue=dialogue)
    call_command("send_alerts", "--now", verbosity=0)
    call_command("send_alerts", "--now", verbosity=0)
    run_worker()
    call_command("send_alerts", "--now", verbosity=0)
    run_worker()
    assert len(digests_to("reader@example.org")) == 1
    assert DigestRun.objects.get().status == DigestStatus.SENT


def test_an_interrupted_digest_sends_the_rest_once_each(monkeypatch):
    dialogue = DialogueFactory()
    readers = [f"reader{n}@example.org" for n in range(5)]
    for email in readers:
        follower(email)
    FindingFactory(dialogue=dialogue)
    call_command("send_alerts", "--now", verbosity=0)
    assert DigestRun.objects.filter(status=DigestStatus.PENDING).count() == 5

    # The worker sends two digests, then dies while handing over the third (the mail server
    # refuses it, the process is killed: either way the message did not go).
    sent = []
    original = services.messages.digest_message

    def failing_after_two(run):
        message = original(run)
        if len(sent) == 2:
            message.send = lambda *args, **kwargs: (_ for _ in ()).throw(ConnectionError("worker killed"))
        else:
            sent.append(run.subscriber.email)
        return message

    monkeypatch.setattr(services.messages, "digest_message", failing_after_two)
    from alerts.tasks import send_digest

    runs = list(DigestRun.objects.order_by("pk").values_list("pk", flat=True))
    for run_id in runs[:3]:
        try:
            send_digest.call(run_id)
        except ConnectionError:
            break
    monkeypatch.undo()
    assert len(mail.outbox) == 2

    # Run again: the planner queues again what is pending, the worker sends the other three.
    later = timezone.now() + services.REQUEUE_AFTER + dt.timedelta(seconds=1)
    digests_plan(now=later, force=True)
    run_worker()
    received = sorted(message.to[0] for message in mail.outbox)
    assert received == sorted(readers)  # five addresses, once each
    assert DigestRun.objects.filter(status=DigestStatus.SENT).count() == 5


def test_a_claim_left_by_a_dead_worker_is_sent_again_with_the_same_message_id():
    dialogue = DialogueFactory()
    follower("reader@example.org")
    FindingFactory(dialogue=dialogue)
    call_command("send_alerts", "--now", verbosity=0)
    run = DigestRun.objects.get()
    # A worker claimed it and died before marking it sent.
    DigestRun.objects.filter(pk=run.pk).update(status=DigestStatus.SENDING, claimed_at=timezone.now())
    assert services.digest_send(run_id=run.pk) is False  # a live claim is left alone
    later = timezone.now() + services.STALE_CLAIM + dt.timedelta(seconds=1)
    assert services.digest_send(run_id=run.pk, now=later) is True
    (message,) = mail.outbox
    run.refresh_from_db()
    assert message.extra_headers["Message-ID"] == run.message_id == services.messages.message_id(run)


def test_only_confirmed_addresses_get_digests_and_never_empty_ones():
    dialogue = DialogueFactory()
    theme = ThemeFactory()
    follower("pending@example.org", confirmed=False)
    follower("quiet@example.org", kind=TargetKind.THEME, theme=theme)
    follower("everything@example.org")
    FindingFactory(dialogue=dialogue)  # on no theme
    counts = digests_plan(force=True)
    run_worker()
    assert counts["planned"] == 1 and counts["empty"] == 1
    assert [message.to for message in mail.outbox] == [["everything@example.org"]]


def test_records_public_before_confirmation_are_not_sent():
    FindingFactory()
    follower("reader@example.org")
    call_command("send_alerts", "--now", verbosity=0)
    run_worker()
    assert mail.outbox == []


def test_a_record_edited_after_it_became_public_is_still_announced_once():
    dialogue = DialogueFactory()
    follower("reader@example.org")
    finding = FindingFactory(dialogue=dialogue, title_en="First title")
    finding.title_en = "Edited title"
    finding.save()  # its log entry moves on; it became public in this period all the same
    digests_plan(force=True)
    run_worker()
    (message,) = digests_to("reader@example.org")
    assert "Edited title" in message.body


def test_what_a_digest_holds(time_machine):
    """New findings, recommendations and dialogues that match, and recommendation status changes;
    a series subscription; a saved search; the fallback marked in the reader's language."""
    time_machine.move_to(timezone.now(), tick=True)
    energy = ThemeFactory(slug="energy")
    old_dialogue = DialogueFactory()
    watched = RecommendationFactory(dialogue=old_dialogue, themes=[energy], title_en="Watched recommendation")
    theme_reader = follower("theme@example.org", kind=TargetKind.THEME, theme=energy, language="fr")
    series_reader = follower("series@example.org", kind=TargetKind.SERIES, series=old_dialogue.series)
    search_reader = follower("search@example.org", kind=TargetKind.SEARCH, query="q=hydrogen")

    time_machine.shift(dt.timedelta(seconds=5))
    new_dialogue = DialogueFactory(series=old_dialogue.series)
    new_dialogue.themes.set([energy])
    FindingFactory(dialogue=new_dialogue, themes=[energy], title_en="Hydrogen corridor", title_fr="")
    RecommendationFactory(dialogue=new_dialogue, themes=[energy], title_en="Fund a corridor")
    FindingFactory(dialogue=old_dialogue, title_en="Critical minerals")
    RecommendationUpdateFactory(recommendation=watched, status="implemented")
    watched.current_status = "implemented"
    watched.save()
    digests_plan(force=True)
    run_worker()

    (theme_digest,) = digests_to(theme_reader.email)
    text = theme_digest.body
    assert "Nouveaux constats" in text and "Hydrogen corridor [pas encore traduit]" in text
    assert "Fund a corridor" not in text  # a French title exists for it
    assert "Nouvelles recommandations" in text and "Nouveaux dialogues" in text
    assert "Recommandations dont le statut a changé" in text
    assert "Critical minerals" not in text
    assert "/fr/findings/" in text

    (series_digest,) = digests_to(series_reader.email)
    assert "Critical minerals" in series_digest.body and "Hydrogen corridor" in series_digest.body
    (search_digest,) = digests_to(search_reader.email)
    assert "Hydrogen corridor" in search_digest.body and "Critical minerals" not in search_digest.body
    assert "Fund a corridor" not in search_digest.body  # a search follows findings


def test_periods():
    moment = dt.datetime(2026, 1, 7, 10, 44, tzinfo=dt.UTC)
    utc = dt.UTC
    assert period_bounds(Frequency.IMMEDIATE, moment) == (
        "immediate:2026-01-07T10:30",
        dt.datetime(2026, 1, 7, 10, 45, tzinfo=utc),
    )
    assert period_bounds(Frequency.DAILY, moment) == ("daily:2026-01-07", dt.datetime(2026, 1, 8, tzinfo=utc))
    assert period_bounds(Frequency.WEEKLY, moment) == (
        "weekly:2026-W02",
        dt.datetime(2026, 1, 12, tzinfo=utc),
    )


def test_a_daily_digest_waits_for_the_day_to_end(time_machine):
    time_machine.move_to(dt.datetime(2026, 1, 7, 10, 0, tzinfo=dt.UTC), tick=False)
    dialogue = DialogueFactory()
    follower("reader@example.org")
    FindingFactory(dialogue=dialogue)
    call_command("send_alerts", verbosity=0)  # yesterday's digest: nothing new then
    run_worker()
    assert mail.outbox == []
    time_machine.move_to(dt.datetime(2026, 1, 8, 0, 1, tzinfo=dt.UTC), tick=False)
    call_command("send_alerts", verbosity=0)
    call_command("send_alerts", verbosity=0)
    run_worker()
    assert len(digests_to("reader@example.org")) == 1


def test_a_pending_run_is_queued_again_at_most_once_per_interval():
    from django_tasks_db.models import DBTaskResult

    dialogue = DialogueFactory()
    follower("reader@example.org")
    FindingFactory(dialogue=dialogue)
    start = timezone.now().replace(hour=12, minute=0)  # the same day's period throughout
    assert digests_plan(now=start, force=True)["queued"] == 1
    assert digests_plan(now=start + dt.timedelta(minutes=1), force=True)["queued"] == 0
    later = start + services.REQUEUE_AFTER + dt.timedelta(seconds=1)
    assert digests_plan(now=later, force=True)["queued"] == 1
    assert digests_plan(now=later, force=True)["queued"] == 0
    assert DBTaskResult.objects.count() == 2
    run_worker()
    assert len(digests_to("reader@example.org")) == 1  # two tasks, one message
