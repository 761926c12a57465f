"""Review of published records: an Analyst's edit waits for an Editor; reverts keep publication."""

import pytest
from django.conf import settings

from core.models import PendingRevision, PublicationStatus, PublicChange
from findings.models import Finding
from tests.findings.factories import FindingFactory
from tests.support.forms import change_form

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def finding_url(finding, view="change"):
    return f"{ADMIN}findings/finding/{finding.pk}/{view}/"


def api_title(client, finding) -> str | None:
    response = client.get(f"/api/v1/findings/{finding.pk}/", {"lang": "en"})
    return response.json()["title"] if response.status_code == 200 else None


def feed_entries(finding) -> list[PublicChange]:
    return list(PublicChange.objects.filter(resource="findings", object_id=finding.pk))


def analyst_edits(client, make_staff, login, finding, title="Sharper wording"):
    login(make_staff("ana", "Analyst"))
    data = change_form(client, finding_url(finding))
    data["title_en"] = title
    response = client.post(finding_url(finding), data, follow=True)
    client.logout()
    return response


@pytest.mark.django_db(transaction=True)  # each request commits, as on a server: the feed's entries too
def test_an_analysts_edit_of_a_published_finding_waits_for_an_editor_then_is_announced_once(
    client, make_staff, login
):
    finding = FindingFactory(title_en="Published wording")
    seq_before = PublicChange.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = analyst_edits(client, make_staff, login, finding)
    assert "waiting for an Editor" in response.content.decode()
    finding.refresh_from_db()
    assert finding.title_en == "Published wording"
    assert api_title(client, finding) == "Published wording"
    assert "Published wording" in client.get(f"/en/findings/{finding.pk}/").content.decode()
    assert not PublicChange.objects.filter(pk__gt=seq_before).exists()  # nothing announced
    assert PendingRevision.objects.count() == 1

    login(make_staff("ed", "Editor"))
    page = client.get(finding_url(finding)).content.decode()
    assert "A revision is waiting" in page
    assert "Published wording" in page and "Sharper wording" in page  # the diff
    response = client.post(finding_url(finding, "review"), {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    client.logout()

    finding.refresh_from_db()
    assert finding.title_en == "Sharper wording"
    assert finding.status == PublicationStatus.PUBLISHED
    assert api_title(client, finding) == "Sharper wording"
    new_entries = PublicChange.objects.filter(pk__gt=seq_before, resource="findings", object_id=finding.pk)
    assert [entry.action for entry in new_entries] == ["upsert"]
    assert PendingRevision.objects.count() == 0
    assert finding.history.first().history_user.username == "ed"


def test_the_analyst_goes_on_from_the_pending_text(client, make_staff, login):
    finding = FindingFactory(title_en="Published wording")
    analyst_edits(client, make_staff, login, finding, title="First draft of new wording")
    login(make_staff("ana2", "Analyst"))
    data = change_form(client, finding_url(finding))
    assert data["title_en"] == "First draft of new wording"
    data["summary_en"] = "A new summary too."
    client.post(finding_url(finding), data)
    revision = PendingRevision.objects.get()
    assert revision.values["title_en"] == "First draft of new wording"
    assert revision.values["summary_en"] == "A new summary too."


def test_an_editor_edits_live(client, make_staff, login):
    finding = FindingFactory(title_en="Published wording")
    login(make_staff("ed", "Editor"))
    data = change_form(client, finding_url(finding))
    data["title_en"] = "Edited live"
    assert client.post(finding_url(finding), data).status_code == 302
    finding.refresh_from_db()
    assert finding.title_en == "Edited live"
    assert not PendingRevision.objects.exists()


def test_an_editor_discards_a_revision(client, make_staff, login):
    finding = FindingFactory(title_en="Published wording")
    analyst_edits(client, make_staff, login, finding)
    login(make_staff("ed", "Editor"))
    client.post(finding_url(finding, "review"), {"decision": "discard"})
    finding.refresh_from_db()
    assert finding.title_en == "Published wording"
    assert not PendingRevision.objects.exists()


def test_an_analyst_cannot_approve_and_is_told_so_on_a_styled_page(client, make_staff, login):
    finding = FindingFactory(title_en="Published wording")
    analyst_edits(client, make_staff, login, finding)
    login(make_staff("ana3", "Analyst"))
    response = client.post(finding_url(finding, "review"), {"decision": "approve"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Only an Editor can approve" in page
    assert 'id="header"' in page  # the admin's own chrome, not a bare 403
    finding.refresh_from_db()
    assert finding.title_en == "Published wording"


def test_an_analysts_edit_of_a_published_finding_inline_on_its_dialogue_waits(client, make_staff, login):
    finding = FindingFactory(title_en="Published wording")
    login(make_staff("ana", "Analyst"))
    url = f"{ADMIN}dialogue/dialogue/{finding.dialogue_id}/change/"
    data = change_form(client, url)
    prefix = next(
        key[: -len("-TOTAL_FORMS")] for key in data if key.endswith("-TOTAL_FORMS") and "finding" in key
    )
    data[f"{prefix}-0-title_en"] = "Inline wording"
    response = client.post(url, data, follow=True)
    assert "waiting for an Editor" in response.content.decode()
    finding.refresh_from_db()
    assert finding.title_en == "Published wording"
    assert PendingRevision.objects.get().values["title_en"] == "Inline wording"


def test_a_draft_is_edited_directly_by_an_analyst(client, make_staff, login):
    finding = FindingFactory(draft=True, title_en="Draft wording")
    analyst_edits(client, make_staff, login, finding, title="Better draft wording")
    finding.refresh_from_db()
    assert finding.title_en == "Better draft wording"
    assert not PendingRevision.objects.exists()


# Revert: a diff first, publication kept --------------------------------------------------------------


def first_version_draft_then_published(make_staff, login, client):
    """A finding drafted as "First wording", then published and reworded by an Editor."""
    finding = FindingFactory(draft=True, title_en="First wording")
    login(make_staff("ed", "Editor"))
    data = change_form(client, finding_url(finding))
    data.update(status="published", title_en="Second wording")
    assert client.post(finding_url(finding), data).status_code == 302
    client.logout()
    finding.refresh_from_db()
    return finding, finding.history.order_by("history_date").first()


def test_an_editor_revert_shows_a_diff_and_never_unpublishes(client, make_staff, login):
    finding, first = first_version_draft_then_published(make_staff, login, client)
    login(make_staff("ed2", "Editor"))
    revert_url = f"{ADMIN}findings/finding/{finding.pk}/history/{first.history_id}/"
    page = client.get(revert_url).content.decode()
    assert "What reverting to this version would change" in page
    assert "First wording" in page and "Second wording" in page
    response = client.post(revert_url, change_form(client, revert_url))
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.title_en == "First wording"
    assert finding.status == PublicationStatus.PUBLISHED
    assert client.get(f"/api/v1/findings/{finding.pk}/").status_code == 200


def test_an_analyst_revert_of_a_published_finding_waits_for_an_editor(client, make_staff, login):
    finding, first = first_version_draft_then_published(make_staff, login, client)
    login(make_staff("ana", "Analyst"))
    revert_url = f"{ADMIN}findings/finding/{finding.pk}/history/{first.history_id}/"
    page = client.get(revert_url).content.decode()
    assert "will wait for an Editor" in page
    response = client.post(revert_url, change_form(client, revert_url), follow=True)
    assert response.status_code == 200
    assert "waiting for an Editor" in response.content.decode()
    finding.refresh_from_db()
    assert (finding.title_en, finding.status) == ("Second wording", PublicationStatus.PUBLISHED)
    assert PendingRevision.objects.get().values["title_en"] == "First wording"


def test_a_forged_revert_status_is_ignored(client, make_staff, login):
    finding, first = first_version_draft_then_published(make_staff, login, client)
    login(make_staff("ed2", "Editor"))
    revert_url = f"{ADMIN}findings/finding/{finding.pk}/history/{first.history_id}/"
    data = change_form(client, revert_url)
    data["status"] = "draft"
    client.post(revert_url, data)
    finding.refresh_from_db()
    assert finding.status == PublicationStatus.PUBLISHED
    assert Finding.objects.public().filter(pk=finding.pk).exists()


# Parts without a status of their own (a session of a published dialogue) ---------------------------


def test_an_analysts_edit_of_a_session_of_a_published_dialogue_waits_for_an_editor(client, make_staff, login):
    from dialogue.models import Session
    from tests.dialogue.factories import SessionFactory

    session = SessionFactory(title_en="Published session")
    dialogue = session.dialogue
    url = f"{ADMIN}dialogue/dialogue/{dialogue.pk}/change/"
    login(make_staff("ana", "Analyst"))
    data = change_form(client, url)
    prefix = next(
        key[: -len("-TOTAL_FORMS")] for key in data if key.endswith("-TOTAL_FORMS") and "session" in key
    )
    data[f"{prefix}-0-title_en"] = "Reworded session"
    response = client.post(url, data, follow=True)
    assert "waiting for an Editor" in response.content.decode()
    assert Session.objects.get().title_en == "Published session"
    assert "Published session" in client.get(dialogue.get_absolute_url()).content.decode()
    client.logout()

    login(make_staff("ed", "Editor"))
    page = client.get(url).content.decode()
    assert "A change to the session “Published session” is waiting" in page and "Reworded session" in page
    assert "Published session" in client.get(ADMIN).content.decode()  # the dashboard lists it
    revision = PendingRevision.objects.get()
    client.post(
        f"{ADMIN}dialogue/dialogue/{dialogue.pk}/review/", {"decision": "approve", "revision": revision.pk}
    )
    assert Session.objects.get().title_en == "Reworded session"
    assert not PendingRevision.objects.exists()


def test_a_session_of_a_draft_dialogue_is_edited_directly(client, make_staff, login):
    from dialogue.models import Session
    from tests.dialogue.factories import DialogueFactory, SessionFactory

    session = SessionFactory(dialogue=DialogueFactory(draft=True), title_en="Draft session")
    url = f"{ADMIN}dialogue/dialogue/{session.dialogue_id}/change/"
    login(make_staff("ana", "Analyst"))
    data = change_form(client, url)
    prefix = next(
        key[: -len("-TOTAL_FORMS")] for key in data if key.endswith("-TOTAL_FORMS") and "session" in key
    )
    data[f"{prefix}-0-title_en"] = "Better draft session"
    assert client.post(url, data).status_code == 302
    assert Session.objects.get().title_en == "Better draft session"


def test_the_diff_of_a_part_sends_its_revision_with_the_editors_decision(rf):
    """The record's and its parts' pending revisions share one diff table and form."""
    from django.template.loader import render_to_string

    change = {"label": "title", "published": "Old", "proposed": "New"}

    class Part:
        pk = 41

    html = render_to_string(
        "admin/pending_revision_diff.html",
        {"diff": [change], "may_approve": True, "review_url": "/review/", "revision": Part()},
        request=rf.get("/"),
    )
    assert 'name="revision" value="41"' in html and "Old" in html and "New" in html
    record = render_to_string(
        "admin/pending_revision_diff.html",
        {"diff": [change], "may_approve": True, "review_url": "/review/", "caption": "Caption"},
        request=rf.get("/"),
    )
    assert 'name="revision"' not in record and "<caption>Caption</caption>" in record
    assert "<form" not in render_to_string("admin/pending_revision_diff.html", {"diff": [change]})
