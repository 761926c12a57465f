"""Staff and alerts: addresses for superusers only, counts for Analysts and Editors; backups hold
subscribers only with --include-personal-data."""

import io
import json
import tarfile

import pytest
from django.core.management import call_command
from django.db import connection

from alerts.models import DigestRun, Subscriber, Subscription, TargetKind
from alerts.services import subscription_confirm
from tests.dialogue.factories import ThemeFactory

pytestmark = pytest.mark.django_db

REPORT = "/admin/alerts/subscriptionreport/"
SUBSCRIBERS = "/admin/alerts/subscriber/"


@pytest.fixture
def subscriptions():
    theme = ThemeFactory(slug="energy")
    for n, language in enumerate(["en", "fr", "fr"]):
        subscriber = Subscriber.objects.create(
            email=f"reader{n}@example.org", language=language, frequency="daily"
        )
        subscription = Subscription.objects.create(
            subscriber=subscriber, kind=TargetKind.THEME, theme=theme, language=language, frequency="daily"
        )
        subscription_confirm(subscription=subscription)
    pending = Subscriber.objects.create(email="pending@example.org", language="ko", frequency="daily")
    Subscription.objects.create(subscriber=pending, kind="everything", language="ko", frequency="daily")
    return theme


@pytest.mark.parametrize("group", ["Analyst", "Editor"])
def test_analysts_and_editors_see_counts_never_addresses(client, make_staff, login, subscriptions, group):
    login(make_staff("staffer", group))
    report = client.get(REPORT)
    assert report.status_code == 200
    page = report.content.decode()
    assert "energy" in page and "@example.org" not in page
    rows = {(row["target"], row["language"]): row["count"] for row in report.context["rows"]}
    assert rows == {("energy", "en"): 1, ("energy", "fr"): 2}  # the pending one is not counted
    assert client.get(SUBSCRIBERS).status_code == 403
    subscriber = Subscriber.objects.first()
    assert client.get(f"{SUBSCRIBERS}{subscriber.pk}/change/").status_code in (403, 302)
    assert "reader0@example.org" not in client.get("/admin/").content.decode()


def test_translators_see_neither(client, make_staff, login, subscriptions):
    login(make_staff("translator", "Translator"))
    assert client.get(REPORT).status_code == 403
    assert client.get(SUBSCRIBERS).status_code == 403


def test_superusers_see_subscriptions(admin_client, subscriptions):
    listing = admin_client.get(SUBSCRIBERS)
    assert listing.status_code == 200 and "reader0@example.org" in listing.content.decode()
    subscriber = Subscriber.objects.get(email="reader1@example.org")
    page = admin_client.get(f"{SUBSCRIBERS}{subscriber.pk}/change/")
    assert page.status_code == 200 and "energy" in page.content.decode().lower()
    assert admin_client.get(REPORT).status_code == 200


def _members(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers()}


def test_backups_hold_subscribers_only_with_personal_data(subscriptions, tmp_path):
    DigestRun.objects.create(
        subscriber=Subscriber.objects.first(), period="daily:2026-01-01", from_seq=0, to_seq=1
    )
    out = io.StringIO()
    call_command("export_corpus", str(tmp_path / "plain.tar.gz"), stdout=out)
    assert "Alert subscribers were left out" in out.getvalue()
    plain = _members(tmp_path / "plain.tar.gz")
    assert b"@example.org" not in b"".join(plain.values())
    assert not json.loads(plain["manifest.json"])["include_personal_data"]

    call_command(
        "export_corpus", str(tmp_path / "full.tar.gz"), "--include-personal-data", stdout=io.StringIO()
    )
    full = _members(tmp_path / "full.tar.gz")
    manifest = json.loads(full["manifest.json"])
    assert manifest["include_personal_data"]
    assert manifest["counts"]["alerts.Subscriber"] == 4
    assert manifest["counts"]["alerts.Subscription"] == 4
    assert manifest["counts"]["alerts.DigestRun"] == 1

    # Restored into emptied tables, the subscribers come back as they were.
    before = list(Subscriber.objects.order_by("pk").values())
    from staff.backup import exported_tables

    tables = {
        t.model._meta.db_table for t in exported_tables(include_passwords=True, include_personal_data=True)
    }
    with connection.cursor() as cursor:
        for table in tables - {"auth_group"}:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    call_command("import_corpus", str(tmp_path / "full.tar.gz"), stdout=io.StringIO())
    assert list(Subscriber.objects.order_by("pk").values()) == before
    assert Subscription.objects.count() == 4 and DigestRun.objects.count() == 1
