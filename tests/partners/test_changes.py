"""The change feed: what enters, changes in and leaves the public set, so partners stay in sync.

The replay tests play a partner that keeps a copy of every resource (each record as the API
gives it with lang=all), syncs from the feed after each kind of edit, and must then hold exactly
the public data: the same records, with the same content.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.changes import changes_rebuild, publish_due
from core.models import PublicChange
from core.services import record_publish, record_unpublish
from dialogue.models import Theme
from findings.models import Finding
from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    DialogueOrganizerFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory
from tests.partners.helpers import RESOURCES, api, every_page
from tests.stakeholders.factories import OrganizationFactory, PersonFactory


def public_data(client) -> dict:
    """Every public record of every resource, as the lists give it with lang=all."""
    return {
        (resource, item["id"]): item
        for resource in RESOURCES
        for item in every_page(client, f"/api/v1/{resource}/", lang="all")
    }


class Partner:
    """A partner's copy, kept in sync from /api/v1/changes/ only, by sequence number."""

    def __init__(self, client):
        self.client = client
        self.copy: dict = {}
        self.after = None
        self.applied = 0

    def sync(self):
        params = {"after": self.after} if self.after is not None else {}
        entries = every_page(self.client, "/api/v1/changes/", **params)
        for entry in entries:
            key = (entry["type"], entry["id"])
            if entry["action"] == "upsert":
                response = self.client.get(f"/api/v1/{entry['type']}/{entry['id']}/", {"lang": "all"})
                if response.status_code == 200:
                    self.copy[key] = response.json()
                else:  # gone again since: a later entry removes it
                    assert response.status_code == 404
            else:
                self.copy.pop(key, None)
        if entries:
            assert [entry["seq"] for entry in entries] == sorted({entry["seq"] for entry in entries})
            self.after = entries[-1]["seq"]
        self.applied += len(entries)
        return entries


def assert_in_sync(partner):
    partner.sync()
    expected = public_data(partner.client)
    missing, extra = set(expected) - set(partner.copy), set(partner.copy) - set(expected)
    assert not missing and not extra, f"missing: {sorted(missing)}, extra: {sorted(extra)}"
    stale = [key for key in expected if partner.copy[key] != expected[key]]
    assert not stale, f"stale copies: {stale}"


@pytest.mark.django_db(transaction=True)
def test_a_partner_replaying_the_feed_holds_exactly_the_public_data(client, time_machine, api_settings):
    organization = OrganizationFactory(slug="org")
    other_org = OrganizationFactory(slug="other-org", parent=organization)
    theme = ThemeFactory(slug="theme")
    dialogue = DialogueFactory(slug="dialogue")
    dialogue.themes.add(theme)
    DialogueOrganizerFactory(dialogue=dialogue, organization=organization)
    session = SessionFactory(dialogue=dialogue)
    document = DialogueDocumentFactory(dialogue=dialogue)
    person = PersonFactory(slug="person", organization=other_org)
    participation = ParticipationFactory(dialogue=dialogue, person=person)
    finding = FindingFactory(dialogue=dialogue, themes=[theme], source_document=document)
    draft = FindingFactory(dialogue=dialogue, draft=True)
    recommendation = RecommendationFactory(dialogue=dialogue, themes=[theme])
    recommendation.source_findings.add(finding)
    recommendation.addressee_organizations.add(other_org)
    follow_up = RecommendationFactory(dialogue=dialogue, follows=recommendation, follow_up_kind="revised")
    other_dialogue = DialogueFactory(slug="other-dialogue")
    FindingFactory(dialogue=other_dialogue, themes=[theme])  # shows the theme; nothing else links them

    partner = Partner(client)
    assert_in_sync(partner)
    assert ("findings", finding.pk) in partner.copy and ("findings", draft.pk) not in partner.copy

    # Publish a draft; edit a public record.
    record_publish(record=draft)
    finding.title_en = "A new title"
    finding.save()
    assert_in_sync(partner)

    # Rename a theme: every record showing it must be fetched again.
    theme.name_fr = "Un nouveau nom"
    theme.save()
    assert_in_sync(partner)

    # Unpublish a recommendation: gone, and the one following it up loses its link.
    record_unpublish(record=recommendation)
    assert_in_sync(partner)
    record_publish(record=recommendation)
    assert_in_sync(partner)

    # A recommendation stops drawing on a finding (both list the link), from either side.
    recommendation.source_findings.remove(finding)
    assert_in_sync(partner)
    finding.recommendations.add(recommendation)
    assert_in_sync(partner)

    # Delete a finding a recommendation draws on.
    finding.recommendations.clear()
    FindingFactory(dialogue=dialogue)
    finding.delete()
    assert_in_sync(partner)

    # Revoke a person's consent, then a participation's.
    person.is_public = False
    person.save()
    assert_in_sync(partner)
    person.is_public = True
    person.save()
    participation.is_public = False
    participation.save()
    assert_in_sync(partner)

    # Parts of a dialogue: a session edited and moved to another dialogue, an update, a document.
    session.title_en = "Renamed session"
    session.save()
    session.dialogue = other_dialogue
    session.save()
    RecommendationUpdateFactory(recommendation=follow_up)
    document.title_ko = "새 제목"
    document.save()
    assert_in_sync(partner)

    # Organisers added and removed through the many-to-many manager (no save signal on the rows).
    other_dialogue.organizers.add(organization, through_defaults={"role": "funder"})
    assert_in_sync(partner)
    organization.organized_dialogues.remove(other_dialogue)
    assert_in_sync(partner)

    # Many-to-many changes from either side, and clearing them.
    second_theme = ThemeFactory(slug="second-theme")
    draft.themes.add(second_theme)
    second_theme.recommendations.add(follow_up)
    assert_in_sync(partner)
    second_theme.recommendations.clear()
    draft.themes.clear()
    assert_in_sync(partner)

    # Unpublish the parent dialogue: its findings and recommendations leave too; then return.
    record_unpublish(record=dialogue)
    assert_in_sync(partner)
    assert not [
        key for key in partner.copy if key[0] in ("findings", "recommendations") and key[1] == draft.pk
    ]
    record_publish(record=dialogue)
    assert_in_sync(partner)

    # An organisation unpublished, then deleted (people and addressees lose it by SET_NULL).
    record_unpublish(record=other_org)
    assert_in_sync(partner)
    record_publish(record=other_org)
    recommendation.addressee_organizations.remove(other_org)
    recommendation.addressee_organizations.add(other_org)
    other_org.delete()
    assert_in_sync(partner)

    # A lineage re-pointed: the recommendation followed before and the one followed now change.
    third = RecommendationFactory(dialogue=other_dialogue)
    follow_up.follows = third
    follow_up.save()
    assert_in_sync(partner)

    # Scheduled publication: nothing happens until the time comes, then everything appears.
    soon = timezone.now() + dt.timedelta(hours=2)
    scheduled_dialogue = DialogueFactory(scheduled=True, published_at=soon, slug="scheduled")
    early_finding = FindingFactory(dialogue=scheduled_dialogue)
    scheduled_theme = ThemeFactory(scheduled=True, published_at=soon, slug="scheduled-theme")
    early_finding.themes.add(scheduled_theme)
    draft.themes.add(scheduled_theme)
    assert_in_sync(partner)
    assert ("findings", early_finding.pk) not in partner.copy
    time_machine.move_to(soon + dt.timedelta(minutes=1))
    publish_due()  # what cron (or make run) does every minute
    assert_in_sync(partner)
    assert ("findings", early_finding.pk) in partner.copy
    assert ("themes", scheduled_theme.pk) in partner.copy

    # Writes that bypass signals: new rows are found by id; bulk updates need changes_rebuild.
    Theme.objects.bulk_create(
        [Theme(slug="bulk-theme", name_en="Bulk", status="published", published_at=soon)]
    )
    publish_due()
    assert_in_sync(partner)
    Finding.objects.filter(dialogue=dialogue).update(status="draft")
    changes_rebuild()
    assert_in_sync(partner)

    # A partner starting today from the beginning ends with the same copy, reading one entry per
    # record that was ever public.
    newcomer = Partner(client)
    entries = newcomer.sync()
    assert newcomer.copy == partner.copy == public_data(client)
    assert len(entries) == len({(entry["type"], entry["id"]) for entry in entries})


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_records_nothing(client):
    from django.db import transaction

    before = PublicChange.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        FindingFactory()
        raise RuntimeError
    assert PublicChange.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_the_demo_loader_feeds_the_feed_once(client):
    from demo.services import demo_content_load

    demo_content_load()
    entries = PublicChange.objects.count()
    expected = public_data(client)
    assert entries == len(expected) and all(
        action == "upsert" for action in PublicChange.objects.values_list("action", flat=True)
    )
    demo_content_load()  # idempotent: nothing changes, nothing is recorded
    assert PublicChange.objects.count() == entries
    partner = Partner(client)
    assert_in_sync(partner)


# --- The endpoint ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_feed_is_in_sequence_order_with_after_and_since(client):
    first = ThemeFactory()
    second = FindingFactory()
    page = api(client, "/api/v1/changes/")
    entries = every_page(client, "/api/v1/changes/")
    assert [entry["id"] for entry in entries if entry["type"] == "themes"][0] == first.pk
    assert [entry["seq"] for entry in entries] == sorted(entry["seq"] for entry in entries)
    assert set(entries[0]) == {"seq", "type", "id", "action", "at"}
    assert page["latest_seq"] == entries[-1]["seq"] == PublicChange.objects.latest("pk").pk
    middle = entries[len(entries) // 2]["seq"]
    assert every_page(client, "/api/v1/changes/", after=middle) == [e for e in entries if e["seq"] > middle]
    assert api(client, f"/api/v1/changes/?after={entries[-1]['seq']}")["results"] == []
    last = entries[-1]["at"]
    since = every_page(client, "/api/v1/changes/", since=last.replace("+00:00", "Z"))
    assert since and all(entry["at"] >= last for entry in since)
    assert ("findings", second.pk) in {(entry["type"], entry["id"]) for entry in entries}
    only = every_page(client, "/api/v1/changes/", type="themes")
    assert only and {entry["type"] for entry in only} == {"themes"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "name"),
    [
        ("since=yesterday", "since"),
        ("since=2025-07-09", "since"),
        ("since=2025-07-09T00:00:00", "since"),
        ("since=2025-13-09T00:00:00Z", "since"),
        ("type=users", "type"),
        ("type=", "type"),
        ("after=-1", "after"),
        ("after=1.5", "after"),
        ("after=99999999999999999999", "after"),
        ("theme=energy", "theme"),
    ],
)
def test_feed_parameters_are_checked(client, params, name):
    error = api(client, f"/api/v1/changes/?{params}", expected=400)
    assert name in error["errors"]


@pytest.mark.django_db
def test_a_plus_sign_left_unencoded_gets_a_hint(client):
    error = api(client, "/api/v1/changes/?since=2025-07-09T00:00:00+09:00", expected=400)
    assert "%2B" in error["errors"]["since"][0]
    assert api(client, "/api/v1/changes/?since=2025-07-09T00:00:00%2B09:00")["count"] == 0


@pytest.mark.django_db
def test_a_change_is_in_the_log_before_its_transaction_commits():
    """The entry is written in the change's own transaction (this test's never commits)."""
    finding = FindingFactory()
    assert PublicChange.objects.filter(resource="findings", object_id=finding.pk, action="upsert").exists()
    record_unpublish(record=finding)
    assert (
        list(
            PublicChange.objects.filter(resource="findings", object_id=finding.pk).values_list(
                "action", flat=True
            )
        )
        == []
    )  # published and withdrawn in one transaction: partners never held it


@pytest.mark.django_db
def test_scheduled_publications_enter_when_due(client, time_machine):
    dialogue = DialogueFactory()
    changes_rebuild()
    finding = FindingFactory(scheduled=True, dialogue=dialogue)
    assert publish_due() == 0
    time_machine.move_to(finding.published_at + dt.timedelta(seconds=1))
    assert publish_due() == 1
    assert PublicChange.objects.last().object_id == finding.pk
    assert publish_due() == 0  # once


@pytest.mark.django_db
def test_reading_the_feed_writes_nothing(client, django_assert_num_queries, time_machine):
    dialogue = DialogueFactory()
    FindingFactory(dialogue=dialogue, scheduled=True, published_at=timezone.now() + dt.timedelta(hours=1))
    changes_rebuild()
    api(client, "/api/v1/changes/")
    with django_assert_num_queries(1):  # the page; the count and the latest sequence are memoized
        api(client, "/api/v1/changes/")
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))  # a publication comes due
    with CaptureQueriesContext(connection) as queries:
        api(client, "/api/v1/changes/")
    assert not [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    # Rows written around the signals enter when publish_due (cron) finds them.
    Finding.objects.bulk_create(
        [Finding(dialogue=dialogue, title_en="Bulk", status="published", published_at=timezone.now())]
    )
    bulk = Finding.objects.get(title_en="Bulk")
    assert ("findings", bulk.pk) not in {(e["type"], e["id"]) for e in every_page(client, "/api/v1/changes/")}
    publish_due()
    assert ("findings", bulk.pk) in {(e["type"], e["id"]) for e in every_page(client, "/api/v1/changes/")}


@pytest.mark.django_db(transaction=True)
def test_writing_entries_changes_the_public_data_version():
    """A feed page kept from before new entries is never served after them, whichever of the
    signals' invalidation and the feed's writing comes first."""
    from core.cache import public_state

    dialogue = DialogueFactory()
    changes_rebuild()
    before = public_state()
    assert publish_due() == 0 and public_state() == before
    Finding.objects.bulk_create(
        [Finding(dialogue=dialogue, title_en="Bulk", status="published", published_at=timezone.now())]
    )
    assert publish_due() == 1 and public_state() != before


@pytest.mark.django_db(transaction=True)
def test_rebuild_command_records_what_bulk_writes_changed(client):
    finding = FindingFactory()
    call_command("changes_rebuild", stdout=open("/dev/null", "w"))
    written = PublicChange.objects.count()
    assert PublicChange.objects.filter(resource="findings", object_id=finding.pk, action="upsert").exists()
    Finding.objects.filter(pk=finding.pk).update(status="draft")
    from io import StringIO

    out = StringIO()
    call_command("changes_rebuild", stdout=out)
    assert "1 entries written" in out.getvalue()
    assert PublicChange.objects.last().action == "remove"
    assert PublicChange.objects.count() == written  # the record's newest entry replaced the older
    call_command("changes_rebuild", "--touch", stdout=out)
    assert f"{written - 1} entries written" in out.getvalue()  # every public record again
    assert PublicChange.objects.count() == written
    call_command("publish_due", stdout=out)
    assert "0 entries written" in out.getvalue().splitlines()[-1]


@pytest.mark.django_db(transaction=True)
def test_a_replay_costs_one_entry_per_record_and_after_is_exact_from_any_position(client):
    import random

    rng = random.Random(7)
    dialogue = DialogueFactory()
    theme = ThemeFactory()
    findings = [FindingFactory(dialogue=dialogue, themes=[theme]) for _ in range(10)]
    checkpoints = sorted(rng.sample(range(1000), 10))
    partners = []
    for edit in range(1000):
        finding = rng.choice(findings)
        if edit % 10 == 9:
            (record_unpublish if finding.is_published else record_publish)(record=finding)
        else:
            finding.title_en = f"Edit {edit}"
            finding.save()
        if edit in checkpoints:
            partner = Partner(client)
            partner.sync()  # a mirror made at this moment, resumed at the end with after=
            partners.append(partner)
    public = public_data(client)
    newcomer = Partner(client)
    assert len(newcomer.sync()) <= len(public)
    assert newcomer.copy == public
    for partner in partners:
        assert_in_sync(partner)
