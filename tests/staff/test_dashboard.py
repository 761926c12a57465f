"""The admin home's dashboard: my drafts, what waits for an Editor, missing translations, recent."""

import re

import pytest
from django.conf import settings

from tests.findings.factories import FindingFactory
from tests.support.forms import change_form

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def panel(page: str, heading: str) -> str:
    """The text of one dashboard panel."""
    match = re.search(rf"<h2[^>]*>{heading}</h2>(.*?)</section>", page, re.S)
    assert match, heading
    return match.group(1)


def test_the_dashboard_lists_a_new_draft_a_pending_revision_a_missing_korean_translation_and_recent(
    client, make_staff, login
):
    published = FindingFactory(title_en="Published finding", title_ko="")
    login(make_staff("ana", "Analyst"))
    add = change_form(client, f"{ADMIN}findings/finding/add/")
    add.update(dialogue=str(published.dialogue_id), title_en="My new draft", status="in_review")
    assert client.post(f"{ADMIN}findings/finding/add/", add).status_code == 302
    data = change_form(client, f"{ADMIN}findings/finding/{published.pk}/change/")
    data["title_en"] = "Published finding, reworded"
    client.post(f"{ADMIN}findings/finding/{published.pk}/change/", data)

    page = client.get(ADMIN).content.decode()
    assert "My new draft" in panel(page, "My drafts")
    waiting = panel(page, "Waiting for an Editor")
    assert "My new draft" in waiting  # a new record sent to review
    assert "Published finding" in waiting and "pending revision" in waiting
    assert "Published finding" in panel(page, "Missing Korean")
    assert "Published finding" not in panel(page, "Missing French")
    assert "Published finding" in panel(page, "Recently published")
    assert "My new draft" not in panel(page, "Recently published")


def test_someone_elses_drafts_are_not_mine(client, make_staff, login):
    FindingFactory(draft=True, title_en="A draft of nobody here")
    login(make_staff("ana", "Analyst"))
    page = client.get(ADMIN).content.decode()
    assert "A draft of nobody here" not in panel(page, "My drafts")
