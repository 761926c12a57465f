"""The analysts' day in a real browser, as each role: imports, review of published records, reverts,
the dashboard, publishing a dialogue with everything it holds, and the smaller admin comforts.

Debian's Chromium through Playwright (tests/browser/conftest.py). Each request commits, as on a
server, so the change feed's entries are the ones partners would read.
"""

import re

import pytest
from django.conf import settings

from core.models import PendingRevision, PublicationStatus, PublicChange
from dialogue.models import Dialogue
from findings.models import Finding

pytestmark = pytest.mark.browser

ADMIN = f"/{settings.ADMIN_URL}"


@pytest.fixture
def atlas(live_server, transactional_db, make_staff):
    """The live server, a dialogue with a published and a draft finding, and one user per role."""
    from tests.dialogue.factories import DialogueFactory, ThemeFactory
    from tests.findings.factories import FindingFactory

    dialogue = DialogueFactory(slug="seoul-2025", title_en="Seoul 2025")
    theme = ThemeFactory(slug="energy")
    published = FindingFactory(
        dialogue=dialogue, themes=[theme], title_en="Published finding", title_fr="Constat publié"
    )
    draft = FindingFactory(
        dialogue=dialogue, draft=True, title_en="Draft finding", title_fr="Constat brouillon"
    )
    users = {role: make_staff(role.lower(), role) for role in ("Analyst", "Editor", "Translator")}
    live_server.data = {"dialogue": dialogue, "published": published, "draft": draft, "users": users}
    return live_server


def sign_in(page, server, user):
    page.context.clear_cookies()
    page.goto(f"{server.url}{ADMIN}login/?next={ADMIN}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", user.plain_password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(rf"{re.escape(ADMIN)}$"))


def submit(page, selector: str):
    """Click a button that submits a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def export_findings(page, server, tmp_path) -> str:
    """Export the findings from the admin's export page, as CSV; returns the file's text."""
    page.goto(f"{server.url}{ADMIN}findings/finding/export/")
    page.select_option("#id_format", label="csv")
    with page.expect_download() as download:
        page.click(".submit-row input[type=submit]")
    path = tmp_path / "findings.csv"
    download.value.save_as(path)
    return path.read_text(encoding="utf-8-sig")


def import_file(page, server, tmp_path, text: str, name="findings.csv"):
    """Upload `text` on the import page and return the preview page."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    page.goto(f"{server.url}{ADMIN}findings/finding/import/")
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="csv")
    submit(page, "form[enctype='multipart/form-data'] input[type=submit]")


def api_title(page, server, finding) -> str | None:
    response = page.request.get(f"{server.url}/api/v1/findings/{finding.pk}/?lang=en")
    return response.json()["title"] if response.ok else None


@pytest.mark.parametrize("role", ["Analyst", "Translator"])
def test_a_reimported_export_with_one_french_change_applies_exactly_that_change(atlas, page, tmp_path, role):
    data = atlas.data
    target = data["published"] if role == "Analyst" else data["draft"]
    other = data["draft"] if role == "Analyst" else data["published"]
    columns = [f.attname for f in Finding._meta.concrete_fields]
    before = {f.pk: Finding.objects.filter(pk=f.pk).values(*columns).get() for f in (target, other)}
    sign_in(page, atlas, data["users"][role])
    text = export_findings(page, atlas, tmp_path)
    assert target.title_fr in text
    import_file(page, atlas, tmp_path, text.replace(target.title_fr, "Titre revu", 1))
    preview = page.locator("table.import-preview")
    assert preview.locator("tr.update").count() == 1 and preview.locator("tr.skip").count() == 1
    assert "Titre revu" in preview.locator("tr.update").inner_text()
    submit(page, "input[name=confirm]")
    page.wait_for_url(re.compile(r"/findings/finding/$"))
    if role == "Analyst":  # a published finding: held for an Editor
        assert "held as pending revisions" in page.content()
        assert PendingRevision.objects.get().values == {"title_fr": "Titre revu"}
    after = {f.pk: Finding.objects.filter(pk=f.pk).values(*columns).get() for f in (target, other)}
    changed = {pk: {k for k in before[pk] if before[pk][k] != after[pk][k]} for pk in before}
    assert changed[other.pk] == set()
    if role == "Analyst":
        assert changed[target.pk] == set()
    else:
        assert changed[target.pk] - {"version", "updated_at", "title"} == {"title_fr"}
        assert after[target.pk]["title_fr"] == "Titre revu"


def test_an_unknown_theme_shows_the_rows_error_and_writes_nothing(atlas, page, tmp_path):
    sign_in(page, atlas, atlas.data["users"]["Analyst"])
    import_file(
        page, atlas, tmp_path, "id,dialogue,title_en,themes\n,seoul-2025,Quantum finding,quantum-computing\n"
    )
    body = page.content()
    assert "No theme “quantum-computing”" in body
    assert page.locator("input[name=confirm]").count() == 0
    assert not Finding.objects.filter(title_en="Quantum finding").exists()


def test_an_analysts_edit_of_a_published_finding_stays_invisible_until_an_editor_approves(atlas, page):
    data = atlas.data
    finding = data["published"]
    seq = PublicChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sign_in(page, atlas, data["users"]["Analyst"])
    page.goto(f"{atlas.url}{ADMIN}findings/finding/{finding.pk}/change/")
    page.fill("#id_title_en", "Reworded by the analyst")
    submit(page, "input[name=_save]")
    assert "waiting for an Editor" in page.content()
    page.goto(f"{atlas.url}/en/findings/{finding.pk}/")
    assert "Published finding" in page.content() and "Reworded by the analyst" not in page.content()
    assert api_title(page, atlas, finding) == "Published finding"
    assert not PublicChange.objects.filter(pk__gt=seq).exists()

    sign_in(page, atlas, data["users"]["Editor"])
    page.goto(f"{atlas.url}{ADMIN}findings/finding/{finding.pk}/change/")
    diff = page.locator(".pending-revision table").inner_text()
    assert "Published finding" in diff and "Reworded by the analyst" in diff
    submit(page, "button[value=approve]")
    assert "approved" in page.content()
    page.goto(f"{atlas.url}/en/findings/{finding.pk}/")
    assert "Reworded by the analyst" in page.content()
    assert api_title(page, atlas, finding) == "Reworded by the analyst"
    feed = page.request.get(f"{atlas.url}/api/v1/changes/?after={seq}").json()["results"]
    assert [(e["type"], e["id"], e["action"]) for e in feed] == [("findings", finding.pk, "upsert")]


def test_a_revert_shows_a_diff_and_never_unpublishes(atlas, page):
    data = atlas.data
    finding = data["published"]
    first = finding.history.order_by("history_date").first()
    sign_in(page, atlas, data["users"]["Editor"])
    page.goto(f"{atlas.url}{ADMIN}findings/finding/{finding.pk}/change/")
    page.fill("#id_title_en", "Second wording")
    submit(page, "input[name=_save]")
    page.goto(f"{atlas.url}{ADMIN}findings/finding/{finding.pk}/history/{first.history_id}/")
    diff = page.locator(".revert-diff").inner_text()
    assert "Second wording" in diff and "Published finding" in diff
    assert "never changes the publication status" in diff
    submit(page, "input[name=_save]")
    finding.refresh_from_db()
    assert finding.title_en == "Published finding"
    assert finding.status == PublicationStatus.PUBLISHED
    assert page.request.get(f"{atlas.url}/api/v1/findings/{finding.pk}/").ok

    # An Analyst's revert is held, and a refusal is the admin's own page, not a bare 403.
    sign_in(page, atlas, data["users"]["Analyst"])
    second = finding.history.filter(title_en="Second wording").first()
    page.goto(f"{atlas.url}{ADMIN}findings/finding/{finding.pk}/history/{second.history_id}/")
    submit(page, "input[name=_save]")
    assert "waiting for an Editor" in page.content()
    finding.refresh_from_db()
    assert (finding.title_en, finding.status) == ("Published finding", PublicationStatus.PUBLISHED)
    response = page.goto(f"{atlas.url}{ADMIN}findings/finding/{finding.pk}/delete/")
    assert response.status == 403
    assert page.locator("#header").count() == 1 and "Not allowed" in page.content()


def test_the_dashboard_lists_a_new_draft_a_pending_revision_and_a_missing_korean_translation(atlas, page):
    data = atlas.data
    Finding.objects.filter(pk=data["published"].pk).update(title_ko="")
    sign_in(page, atlas, data["users"]["Analyst"])
    page.goto(f"{atlas.url}{ADMIN}findings/finding/add/")
    _choose_autocomplete(page, "dialogue", "Seoul")
    page.fill("#id_title_en", "A brand new draft")
    submit(page, "input[name=_save]")
    page.goto(f"{atlas.url}{ADMIN}findings/finding/{data['published'].pk}/change/")
    # The first save above analysed Korean text (Kiwi loads in the server on first use): on a
    # loaded machine this page can take longer than the default timeout to come.
    page.wait_for_selector("#id_title_en", timeout=60_000)
    page.fill("#id_title_en", "Pending wording")
    submit(page, "input[name=_save]")
    page.goto(f"{atlas.url}{ADMIN}")
    panels = {h.inner_text(): h for h in page.locator(".dashboard-panel h2").all()}
    assert set(panels) >= {"My drafts", "Waiting for an Editor", "Missing Korean", "Recently published"}

    def panel(title):
        return page.locator(".dashboard-panel", has=page.locator("h2", has_text=title)).inner_text()

    assert "A brand new draft" in panel("My drafts")
    assert "Published finding" in panel("Waiting for an Editor") and "pending revision" in panel("Waiting")
    assert "Published finding" in panel("Missing Korean")


def _choose_autocomplete(page, field, text):
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_publish_with_children_publishes_a_whole_dialogue_in_one_confirmation(atlas, page):
    from tests.dialogue.factories import DialogueFactory, DialogueOrganizerFactory, SessionFactory
    from tests.findings.factories import FindingFactory, RecommendationFactory
    from tests.stakeholders.factories import OrganizationFactory

    second = DialogueFactory(draft=True, slug="ottawa-2026", title_en="Ottawa 2026")
    FindingFactory(dialogue=second, draft=True, title_en="Ottawa finding")
    RecommendationFactory(dialogue=second, draft=True, title_en="Ottawa recommendation")
    SessionFactory(dialogue=second)
    DialogueOrganizerFactory(
        dialogue=second, organization=OrganizationFactory(draft=True, name_en="New Host")
    )
    sign_in(page, atlas, atlas.data["users"]["Editor"])
    page.goto(f"{atlas.url}{ADMIN}dialogue/dialogue/")
    page.check(f"input[name=_selected_action][value='{second.pk}']")
    page.select_option("select[name=action]", "publish_with_children")
    submit(page, "button[name=index]")
    listed = page.locator(".publish-with-children").inner_text()
    for text in ("Ottawa finding", "Ottawa recommendation", "New Host"):
        assert text in listed
    submit(page, "button[type=submit].default")
    assert "records published" in page.content()
    assert Dialogue.objects.public().filter(pk=second.pk).exists()
    assert Finding.objects.public().filter(dialogue=second).count() == 1
    public_page = page.goto(f"{atlas.url}/en/dialogues/ottawa-2026/")
    assert public_page.ok and "New Host" in page.content() and "Ottawa recommendation" in page.content()


# The smaller items -------------------------------------------------------------------------------


def test_a_slug_keeps_punctuation_as_word_breaks_and_countries_are_searchable(atlas, page):
    sign_in(page, atlas, atlas.data["users"]["Editor"])
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "(e) => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
    )
    page.goto(f"{atlas.url}{ADMIN}dialogue/dialogue/add/")
    page.fill("#id_title_en", "Canada–Korea Track 1.5 Dialogue on AI")
    page.locator("#id_title_en").dispatch_event("change")
    assert page.input_value("#id_slug") == "canada-korea-track-1-5-dialogue-on-ai"
    # The country is a select with search, not a 250-line list.
    page.click("#id_country + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "Kore")
    options = page.locator(".select2-results__option").all_inner_texts()
    assert any("Korea" in option for option in options) and len(options) < 10
    assert page.evaluate("window.__csp") == []  # under the site's strict Content-Security-Policy


def test_list_pages_fit_1280_pixels(atlas, page):
    sign_in(page, atlas, atlas.data["users"]["Editor"])
    for path in (
        "findings/finding/",
        "findings/recommendation/",
        "dialogue/dialogue/",
        "stakeholders/organization/",
    ):
        page.goto(f"{atlas.url}{ADMIN}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, (path, width)
        for header in page.locator("#result_list thead th").all():
            box = header.bounding_box()
            assert box is None or box["x"] + box["width"] <= 1280, (path, header.inner_text())
