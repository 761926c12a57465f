"""The alerts pages: prefilled forms, no enumeration, hostile input, signed links."""

import datetime as dt

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from alerts import tokens
from alerts.models import Frequency, Subscriber, Subscription, TargetKind
from alerts.services import subscription_confirm
from tests.alerts.conftest import run_worker
from tests.dialogue.factories import DialogueFactory, DialogueSeriesFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks(database_tasks):
    """The database task backend, run in the test's transaction."""


def subscribe(client, **data):
    form = {"email": "reader@example.org", "kind": "everything", "language": "en", "frequency": "daily"}
    form.update(data)
    return client.post("/en/alerts/", form)


def make_subscription(email="reader@example.org", *, confirmed=True, **target):
    subscriber = Subscriber.objects.create(email=email, language="en", frequency=Frequency.DAILY)
    subscription = Subscription.objects.create(
        subscriber=subscriber,
        kind=target.pop("kind", TargetKind.EVERYTHING),
        language="en",
        frequency=Frequency.DAILY,
        **target,
    )
    if confirmed:
        subscription = subscription_confirm(subscription=subscription)
    return subscription


# --- Entry points ----------------------------------------------------------------------------------


def test_get_alerts_links_prefill_the_form(client):
    theme = ThemeFactory(slug="energy")
    dialogue = DialogueFactory()
    theme_page = client.get(f"/en/themes/{theme.slug}/").content.decode()
    assert "/en/alerts/?theme=energy" in theme_page
    dialogue_page = client.get(f"/fr/dialogues/{dialogue.slug}/").content.decode()
    assert f"/fr/alerts/?series={dialogue.series.slug}" in dialogue_page
    findings_page = client.get("/en/findings/?q=energy&theme=energy").content.decode()
    assert "/en/alerts/?search=q%3Denergy%26theme%3Denergy" in findings_page
    search_page = client.get("/en/search/?q=energy").content.decode()
    assert "/en/alerts/?search=q%3Denergy" in search_page

    form = client.get("/en/alerts/?theme=energy").context["form"]
    assert form.initial["kind"] == "theme" and form.initial["theme"] == "energy"
    form = client.get(f"/ko/alerts/?series={dialogue.series.slug}").context["form"]
    assert form.initial["kind"] == "series" and form.initial["language"] == "ko"
    form = client.get("/fr/alerts/?search=theme%3Denergy%26q%3Denergy%26ordering%3D-title").context["form"]
    assert form.initial == {"kind": "search", "query": "q=energy&theme=energy", "language": "fr"}


def test_the_page_is_translated(client):
    assert "Recevoir des alertes" in client.get("/fr/alerts/").content.decode()
    assert "알림 받기" in client.get("/ko/alerts/").content.decode()


# --- No enumeration, double opt-in ------------------------------------------------------------------


def test_the_answer_is_the_same_for_new_pending_and_subscribed_addresses(client):
    make_subscription("subscribed@example.org")
    make_subscription("pending@example.org", confirmed=False)
    answers = []
    for email in ("new@example.org", "pending@example.org", "subscribed@example.org"):
        response = subscribe(client, email=email)
        answers.append((response.status_code, response["Location"]))
    assert answers == [(302, "/en/alerts/requested/")] * 3
    page = client.get("/en/alerts/requested/")
    assert page.status_code == 200 and "Check your inbox" in page.content.decode()
    run_worker()
    # Each address gets one confirmation message, and nothing else.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new@example.org",
        "pending@example.org",
        "subscribed@example.org",
    ]
    assert all("Confirm" in message.subject for message in mail.outbox)


def test_a_rolled_back_request_sends_nothing(client, monkeypatch):
    from alerts import services

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.Subscription, "save", broken_save)
    with pytest.raises(RuntimeError):
        subscribe(client, email="someone@example.org")
    run_worker()
    assert mail.outbox == []


def test_the_form_needs_a_csrf_token():
    response = subscribe(Client(enforce_csrf_checks=True))
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_replayed_confirmation_changes_nothing(client):
    subscription = make_subscription(confirmed=False)
    url = f"/en/alerts/confirm/{tokens.confirm_token(subscription)}/"
    assert client.post(url).status_code == 200
    first = Subscription.objects.get().confirmed_at
    assert client.post(url).status_code == 200
    assert Subscription.objects.get().confirmed_at == first
    assert client.get(url).status_code == 200


def test_a_newer_confirmation_link_replaces_the_older(client):
    subscribe(client)
    old = tokens.confirm_token(Subscription.objects.get())
    subscribe(client)
    assert client.post(f"/en/alerts/confirm/{old}/").status_code == 400
    assert not Subscription.objects.get().is_confirmed


def test_expired_confirmation_link(client, time_machine):
    subscription = make_subscription(confirmed=False)
    token = tokens.confirm_token(subscription)
    time_machine.move_to(timezone.now() + dt.timedelta(days=8))
    response = client.post(f"/en/alerts/confirm/{token}/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert not Subscription.objects.get().is_confirmed


def test_unconfirmed_subscriptions_are_purged_after_seven_days(time_machine):
    from alerts.services import alerts_purge

    make_subscription("pending@example.org", confirmed=False)
    make_subscription("kept@example.org")
    time_machine.move_to(timezone.now() + dt.timedelta(days=7, minutes=1))
    alerts_purge()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kept@example.org"]


# --- Hostile input ----------------------------------------------------------------------------------

HOSTILE_FORMS = [
    {"email": "not an address"},
    {"email": "reader@example.org\r\nBcc: victim@example.org"},
    {"email": "reader@example.org\nBcc: victim@example.org"},
    {"email": ("a" * 245) + "@example.org"},
    {"email": ("a" * 5000) + "@example.org"},
    {"email": ""},
    {"kind": "theme", "theme": "no-such-theme"},
    {"kind": "theme", "theme": "../../etc/passwd"},
    {"kind": "series", "series": "no-such-series\r\nX: y"},
    {"kind": "search", "query": "q=energy\r\nBcc: victim@example.org"},
    {"kind": "search", "query": "theme=no-such-theme"},
    {"kind": "search", "query": ""},
    {"kind": "search", "query": "q=" + "x" * 600},
    {"kind": "nothing"},
    {"language": "de"},
    {"language": "en\r\nX: y"},
    {"frequency": "hourly"},
]


@pytest.mark.parametrize("data", HOSTILE_FORMS)
def test_hostile_forms_are_a_400_and_send_nothing(client, data):
    ThemeFactory(slug="energy")
    response = subscribe(client, **data)
    assert response.status_code == 400
    assert "Please correct the fields below." in response.content.decode()
    run_worker()
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


def test_a_draft_theme_cannot_be_followed(client):
    ThemeFactory(slug="secret", draft=True)
    assert subscribe(client, kind="theme", theme="secret").status_code == 400


def test_a_series_and_a_search_can_be_followed(client):
    series = DialogueSeriesFactory()
    ThemeFactory(slug="energy")
    assert subscribe(client, kind="series", series=series.slug).status_code == 302
    assert subscribe(client, kind="search", query="?theme=energy&q=lng&page=3").status_code == 302
    follows = {(s.kind, s.series_id, s.query) for s in Subscription.objects.all()}
    assert follows == {("series", series.pk, ""), ("search", None, "q=lng&theme=energy")}


BAD_TOKENS = ["x", "a" * 2000, "e30:1vA2Bc:forged", "%00", "..", "W1sxXV0:1vA2Bc:abc"]


@pytest.mark.parametrize("token", BAD_TOKENS)
@pytest.mark.parametrize("page", ["confirm", "unsubscribe", "manage"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_tokens_are_a_400(client, token, page, method):
    subscription = make_subscription()
    response = getattr(client, method)(f"/en/alerts/{page}/{token}/")
    assert response.status_code in (400, 404)
    assert Subscriber.objects.filter(pk=subscription.subscriber_id).exists()


def test_a_token_of_one_kind_opens_nothing_else(client):
    subscription = make_subscription()
    manage = tokens.subscriber_token(subscription.subscriber, salt=tokens.MANAGE_SALT)
    assert client.post(f"/en/alerts/unsubscribe/{manage}/").status_code == 400
    assert Subscriber.objects.exists()
    signed_elsewhere = signing.dumps([subscription.subscriber_id, subscription.subscriber.key])
    assert client.post(f"/en/alerts/unsubscribe/{signed_elsewhere}/").status_code == 400


def test_rate_limits_per_address_and_per_client(client, settings):
    settings.ALERTS_LIMIT_PER_ADDRESS = 2
    settings.ALERTS_LIMIT_PER_CLIENT = 4
    assert [subscribe(client).status_code for _ in range(3)] == [302, 302, 429]
    others = [subscribe(client, email=f"other{n}@example.org").status_code for n in range(2)]
    assert others == [302, 429]  # the client's fourth and fifth requests
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert subscribe(elsewhere, email="third@example.org").status_code == 302
    assert subscribe(elsewhere, email="reader@example.org").status_code == 429  # the address's limit


# --- Signed links -----------------------------------------------------------------------------------


def test_unsubscribe_get_only_asks(client):
    subscription = make_subscription()
    token = tokens.subscriber_token(subscription.subscriber, salt=tokens.UNSUBSCRIBE_SALT)
    page = client.get(f"/en/alerts/unsubscribe/{token}/")
    assert page.status_code == 200 and "Nothing has changed yet" in page.content.decode()
    assert Subscription.objects.exists()
    assert client.post(f"/en/alerts/unsubscribe/{token}/").status_code == 200
    assert not Subscriber.objects.exists()
    # Posting again (a provider retrying) is still a success, and changes nothing.
    assert client.post(f"/en/alerts/unsubscribe/{token}/").status_code == 200


def test_manage_page_changes_ends_and_erases(client):
    theme = ThemeFactory(slug="energy")
    first = make_subscription(kind=TargetKind.THEME, theme=theme)
    subscriber = first.subscriber
    second = Subscription.objects.create(
        subscriber=subscriber, kind=TargetKind.EVERYTHING, language="en", frequency="daily"
    )
    url = f"/en/alerts/manage/{tokens.subscriber_token(subscriber, salt=tokens.MANAGE_SALT)}/"
    page = client.get(url)
    assert page.status_code == 200 and "reader@example.org" in page.content.decode()

    assert (
        client.post(url, {"action": "settings", "language": "ko", "frequency": "weekly"}).status_code == 302
    )
    subscriber.refresh_from_db()
    assert (subscriber.language, subscriber.frequency) == ("ko", "weekly")
    assert (
        client.post(url, {"action": "settings", "language": "xx", "frequency": "weekly"}).status_code == 400
    )
    assert client.post(url, {"action": "end", "subscription": "abc"}).status_code == 400
    assert client.post(url, {"action": "nonsense"}).status_code == 400

    assert client.post(url, {"action": "end", "subscription": first.pk}).status_code == 302
    assert list(Subscription.objects.values_list("pk", flat=True)) == [second.pk]
    assert client.post(url, {"action": "erase"}).status_code == 200
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()
    assert client.get(url).status_code == 400  # the link died with the address


def test_pages_are_never_cached(client):
    response = client.get("/en/alerts/")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
