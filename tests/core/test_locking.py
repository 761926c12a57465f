"""No lost edits: optimistic locking in the admin."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from core import locking
from core.models import PublicationStatus
from core.services import record_publish
from findings.models import Finding
from tests.dialogue.factories import SessionFactory
from tests.findings.factories import FindingFactory
from tests.support.forms import change_form

ADMIN = f"/{settings.ADMIN_URL}"


def url(finding):
    return f"{ADMIN}findings/finding/{finding.pk}/change/"


@pytest.mark.django_db
def test_every_save_raises_the_version(client, make_staff, login):
    finding = FindingFactory(draft=True)
    assert finding.version == 1
    login(make_staff("ed", "Editor"))
    data = change_form(client, url(finding))
    assert data["version"] == "1"
    data["title_fr"] = "Nouveau titre"
    assert client.post(url(finding), data).status_code == 302
    finding.refresh_from_db()
    assert finding.version == 2
    record_publish(record=finding)  # a service write counts too
    finding.refresh_from_db()
    assert finding.version == 3
    assert finding.history.order_by("-history_date").first().version == 3


@pytest.mark.django_db
def test_two_editors_same_finding_second_is_refused_and_nothing_is_lost(make_staff, login):
    finding = FindingFactory(title_fr="Titre d’origine", body_en="Original body.")
    alice, bob = Client(), Client()
    login(make_staff("alice", "Editor"), alice)
    login(make_staff("bob", "Editor"), bob)
    alice_form = change_form(alice, url(finding))
    bob_form = change_form(bob, url(finding))  # both start from version 1

    alice_form["title_fr"] = "Titre d’Alice"
    assert alice.post(url(finding), alice_form).status_code == 302

    bob_form["body_en"] = "Bob's body."
    response = bob.post(url(finding), bob_form)
    assert response.status_code == 200  # refused, the form comes back
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it" in html
    assert "This record changed while you were editing it" in html
    assert "alice" in html  # who saved meanwhile
    assert "Titre d’origine" in html and "Titre d’Alice" in html  # field-by-field: was / now

    finding.refresh_from_db()
    assert finding.title_fr == "Titre d’Alice"  # Alice's edit stands
    assert finding.body_en == "Original body."  # Bob's stale save wrote nothing
    assert finding.version == 2

    # Bob's edit is still in his form, merged with Alice's title (a field he had not touched).
    again = _form_from(response)
    assert again["body_en"] == "Bob's body."
    assert again["title_fr"] == "Titre d’Alice"
    assert again["version"] == "2"
    # Saving the merged form now keeps both edits.
    assert bob.post(url(finding), again).status_code == 302
    finding.refresh_from_db()
    assert (finding.title_fr, finding.body_en, finding.version) == ("Titre d’Alice", "Bob's body.", 3)


@pytest.mark.django_db
def test_both_changed_the_same_field_the_second_keeps_their_text_in_the_form(make_staff, login):
    finding = FindingFactory(title_en="Start")
    alice, bob = Client(), Client()
    login(make_staff("alice", "Editor"), alice)
    login(make_staff("bob", "Analyst"), bob)
    alice_form, bob_form = change_form(alice, url(finding)), change_form(bob, url(finding))
    alice_form["title_en"] = "Alice wording"
    assert alice.post(url(finding), alice_form).status_code == 302
    bob_form["title_en"] = "Bob wording"
    response = bob.post(url(finding), bob_form)
    assert response.status_code == 200
    assert 'class="edit-conflict-both"' in response.content.decode()
    assert _form_from(response)["title_en"] == "Bob wording"
    finding.refresh_from_db()
    assert finding.title_en == "Alice wording"


@pytest.mark.django_db
def test_a_publication_made_meanwhile_refuses_the_stale_form(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ed", "Editor"))
    data = change_form(client, url(finding))
    record_publish(record=Finding.objects.get(pk=finding.pk))
    data["title_en"] = "Edited on an old copy"
    response = client.post(url(finding), data)
    assert response.status_code == 200
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.PUBLISHED  # the stale form did not unpublish it
    assert finding.title_en != "Edited on an old copy"


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "0", "abc"])
def test_a_post_without_a_valid_version_is_refused(client, make_staff, login, version):
    finding = FindingFactory(title_en="Kept")
    login(make_staff("ed", "Editor"))
    data = change_form(client, url(finding))
    data.pop("version")
    if version is not None:
        data["version"] = version
    data["title_en"] = "Overwritten blindly"
    response = client.post(url(finding), data)
    assert response.status_code == 200
    finding.refresh_from_db()
    assert finding.title_en == "Kept"


@pytest.mark.django_db
def test_stale_inline_row_is_refused(client, make_staff, login):
    session = SessionFactory(title_fr="Séance")
    dialogue_url = f"{ADMIN}dialogue/dialogue/{session.dialogue_id}/change/"
    login(make_staff("bob", "Editor"))
    data = change_form(client, dialogue_url)
    # Meanwhile the session alone is changed elsewhere (its dialogue is not).
    other = type(session).objects.get(pk=session.pk)
    other.title_fr = "Séance d’Alice"
    other.save()
    prefix = _prefix(data, "session")
    data[f"{prefix}-0-title_fr"] = "Séance de Bob"
    response = client.post(dialogue_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this record" in html
    assert "title [fr]" in html
    session.refresh_from_db()
    assert session.title_fr == "Séance d’Alice"


@pytest.mark.django_db
def test_untouched_stale_inline_rows_do_not_block_a_save(make_staff, login):
    session = SessionFactory(title_fr="Séance")
    dialogue_url = f"{ADMIN}dialogue/dialogue/{session.dialogue_id}/change/"
    client = Client()
    login(make_staff("ed", "Editor"), client)
    data = change_form(client, dialogue_url)
    prefix = _prefix(data, "session")
    data[f"{prefix}-0-version"] = "1"
    session.description_en = "Changed elsewhere"
    session.save()  # version 2; the form's row says 1 but the editor does not touch the row
    data[f"{prefix}-0-description_en"] = "Changed elsewhere"
    data["title_fr"] = "Nouveau titre du dialogue"
    response = client.post(dialogue_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_exactly_one_wins(make_staff, login, monkeypatch):
    """Both forms pass the check at the same moment; the atomic UPDATE lets only one write."""
    finding = FindingFactory(title_en="Start")
    clients = {"alice": Client(), "bob": Client()}
    forms = {}
    for name, http in clients.items():
        login(make_staff(name, "Editor"), http)
        forms[name] = change_form(http, url(finding))
        forms[name]["title_en"] = f"{name} wording"

    barrier = threading.Barrier(2, timeout=20)
    real_claim = locking.version_claim
    calls = []

    def claim_together(**kwargs):
        calls.append(1)
        if len(calls) <= 2:
            barrier.wait()  # both requests have passed the form check; now both write at once
        return real_claim(**kwargs)

    monkeypatch.setattr(locking, "version_claim", claim_together)
    results = {}

    def post(name):
        try:
            results[name] = clients[name].post(url(finding), forms[name])
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(response.status_code for response in results.values())
    assert statuses == [200, 302]
    winner = next(name for name, response in results.items() if response.status_code == 302)
    loser = next(name for name, response in results.items() if response.status_code == 200)
    assert "Someone else saved this record" in results[loser].content.decode()
    finding.refresh_from_db()
    assert finding.title_en == f"{winner} wording"
    assert finding.version == 2


def _form_from(response) -> dict:
    import re

    from tests.support.forms import form_fields

    html = response.content.decode()
    form_id = re.search(r'<form [^>]*id="(\w+_form)"', html).group(1)
    data = form_fields(html, form_id)
    data.pop("csrfmiddlewaretoken", None)
    data["_save"] = "Save"
    return data


def _prefix(data: dict, model: str) -> str:
    return next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and model in k)


@pytest.mark.django_db
def test_a_conflict_on_a_finding_edited_inline_is_reported_at_the_top_of_the_page(client, make_staff, login):
    finding = FindingFactory(draft=True, title_en="Shared wording")
    dialogue_url = f"{ADMIN}dialogue/dialogue/{finding.dialogue_id}/change/"
    login(make_staff("bob", "Editor"))
    data = change_form(client, dialogue_url)
    other = Finding.objects.get(pk=finding.pk)
    other.title_en = "Alice's wording"
    other.save()
    prefix = _prefix(data, "finding")
    data[f"{prefix}-0-title_en"] = "Bob's wording"
    html = client.post(dialogue_url, data).content.decode()
    summary = html.index("changed while you were editing it")
    assert summary < html.index('id="dialogue_form"')  # above the form, not thousands of pixels down
    assert f'href="#{prefix}-0"' in html
