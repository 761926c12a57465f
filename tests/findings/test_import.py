"""CSV import of findings through the admin: preview first, all-or-nothing, clear row errors."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from findings.models import Finding
from tests.dialogue.factories import DialogueFactory, ThemeFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = f"/{settings.ADMIN_URL}findings/finding/import/"
HEADER = (
    "id,dialogue,kind,perspective,perspective_country,title_en,title_fr,title_ko,"
    "summary_en,summary_fr,summary_ko,body_en,body_fr,body_ko,"
    "source_locator_en,source_locator_fr,source_locator_ko,themes,order,status,published_at\n"
)


def csv_file(rows: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("findings.csv", (HEADER + "".join(rows)).encode(), content_type="text/csv")


def row(dialogue_slug, number, kind="key_finding", theme=""):
    return (
        f",{dialogue_slug},{kind},consensus,,Finding {number},Constat {number},결론 {number},"
        f"Summary {number},Résumé {number},요약 {number},,,,Item {number},Point {number},항목 {number},"
        f"{theme},{number},draft,\n"
    )


def post_import(client, upload):
    """Upload a file on the import page (format 0 is CSV): the preview, nothing written yet."""
    return client.post(IMPORT_URL, {"import_file": upload, "format": "0", "resource": "0"})


def test_csv_import_previews_then_creates_every_language(client, make_staff, login):
    dialogue = DialogueFactory(slug="seoul-2025")
    theme = ThemeFactory(slug="energy")
    login(make_staff("ana", "Analyst"))
    upload = csv_file([row("seoul-2025", 1, theme="energy"), row("seoul-2025", 2)])
    response = post_import(client, upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Constat 1" in page and "결론 2" in page  # the preview shows the rows...
    assert Finding.objects.count() == 0  # ...and writes nothing yet

    confirm = response.context["confirm_form"]
    response = client.post(
        f"/{settings.ADMIN_URL}findings/finding/process_import/", confirm.initial, follow=True
    )
    assert response.status_code == 200
    assert Finding.objects.count() == 2
    first = Finding.objects.get(title_en="Finding 1")
    assert (first.title_fr, first.title_ko, first.summary_ko) == ("Constat 1", "결론 1", "요약 1")
    assert first.dialogue == dialogue
    assert list(first.themes.all()) == [theme]
    assert first.history.count() == 1


def test_a_bad_row_is_reported_and_nothing_is_written(client, make_staff, login):
    DialogueFactory(slug="seoul-2025")
    login(make_staff("ana", "Analyst"))
    rows = [row("seoul-2025", 1), row("no-such-dialogue", 2), row("seoul-2025", 3, kind="rumour")]
    response = post_import(client, csv_file(rows))
    assert response.status_code == 200
    page = response.content.decode()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    result = response.context["result"]
    assert result.has_validation_errors() or result.has_errors()
    # import-export numbers data rows from 1: the second and third rows are reported, with why.
    reasons = {
        number: " ".join(str(error.error) for error in errors) for number, errors in result.row_errors()
    }
    reasons.update({row.number: str(row.error_dict) for row in result.invalid_rows})
    assert set(reasons) == {2, 3}
    assert "No dialogue “no-such-dialogue”" in reasons[2]
    assert "rumour" in reasons[3]
    assert "no-such-dialogue" in page and "rumour" in page
    assert Finding.objects.count() == 0


def test_an_analyst_cannot_publish_by_import_the_column_is_ignored_and_the_preview_says_so(
    client, make_staff, login
):
    DialogueFactory(slug="seoul-2025")
    login(make_staff("ana", "Analyst"))
    published_row = row("seoul-2025", 1).replace(",draft,", ",published,")
    response = post_import(client, csv_file([published_row]))
    result = response.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert "these columns were ignored: status" in response.content.decode()
    confirm = response.context["confirm_form"]
    client.post(f"/{settings.ADMIN_URL}findings/finding/process_import/", confirm.initial)
    finding = Finding.objects.get()
    assert finding.status == "draft"
