"""Imports respect roles: each user changes only what they may, references must resolve."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import PendingRevision
from findings.models import Finding, Recommendation
from findings.resources import FindingResource
from tests.dialogue.factories import DialogueDocumentFactory, DialogueFactory, ThemeFactory
from tests.findings.factories import FindingFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"


def upload(text: str, name="findings.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def preview(client, text, model="findings/finding"):
    return client.post(
        f"{ADMIN}{model}/import/", {"import_file": upload(text), "format": "0", "resource": "0"}
    )


def confirm(client, response, model="findings/finding"):
    form = response.context["confirm_form"]
    assert form is not None, response.content.decode()[:3000]
    return client.post(f"{ADMIN}{model}/process_import/", form.initial, follow=True)


def exported(queryset) -> str:
    """The findings as the admin's export writes them (every column, every language)."""
    return FindingResource().export(queryset).csv


def with_french_title(csv_text: str, finding, title: str) -> str:
    return csv_text.replace(finding.title_fr, title, 1)


def stored(model, pk) -> dict:
    """Every column of the row, each language's column on its own."""
    return model.objects.filter(pk=pk).values(*[f.attname for f in model._meta.concrete_fields]).get()


def changed_columns(before: dict, after: dict) -> set[str]:
    return {key for key in before if before[key] != after[key]} - {"version", "updated_at", "title"}


@pytest.mark.parametrize("role", ["Analyst", "Translator"])
def test_a_reexported_file_with_one_french_change_applies_exactly_that_change(
    client, make_staff, login, role
):
    dialogue = DialogueFactory(slug="seoul-2025")
    theme = ThemeFactory(slug="energy")
    target = FindingFactory(dialogue=dialogue, draft=True, themes=[theme])
    others = [FindingFactory(dialogue=dialogue, draft=True) for _ in range(3)]
    rows_before = {f.pk: stored(Finding, f.pk) for f in [target, *others]}
    text = with_french_title(exported(Finding.objects.all()), target, "Titre revu")
    login(make_staff("someone", role))
    response = preview(client, text)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    kinds = {row.object_id: row.import_type for row in result.valid_rows()}
    assert kinds[target.pk] == "update"
    assert {kinds[f.pk] for f in others} == {"skip"}  # rows that change nothing are skipped
    confirm(client, response)
    for pk, before in rows_before.items():
        after = stored(Finding, pk)
        assert changed_columns(before, after) == ({"title_fr"} if pk == target.pk else set())
    assert list(Finding.objects.get(pk=target.pk).themes.all()) == [theme]


def test_a_two_column_file_from_an_analyst_on_a_published_finding_waits_for_an_editor(
    client, make_staff, login
):
    finding = FindingFactory(title_fr="Titre publié")
    login(make_staff("ana", "Analyst"))
    response = preview(client, f"id,title_fr\n{finding.pk},Titre proposé\n")
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), response.content.decode()[:3000]
    assert "held as pending revisions" in response.content.decode()
    page = confirm(client, response).content.decode()
    assert "held as pending revisions" in page
    finding.refresh_from_db()
    assert finding.title_fr == "Titre publié"
    assert PendingRevision.objects.get().values == {"title_fr": "Titre proposé"}


def test_a_translator_import_ignores_every_column_but_french_and_korean(client, make_staff, login):
    finding = FindingFactory(title_en="English title", title_fr="Ancien titre", status="published")
    before = stored(Finding, finding.pk)
    login(make_staff("tr", "Translator"))
    text = f"id,title_en,title_fr,status,order\n{finding.pk},Forged English,Nouveau titre,draft,99\n"
    response = preview(client, text)
    assert "these columns were ignored: title_en, order, status" in response.content.decode()
    confirm(client, response)
    after = stored(Finding, finding.pk)
    assert changed_columns(before, after) == {"title_fr"}  # live: translators' text is not held
    assert after["title_fr"] == "Nouveau titre"


def test_a_translator_cannot_create_records_by_import(client, make_staff, login):
    DialogueFactory(slug="seoul-2025")
    login(make_staff("tr", "Translator"))
    response = preview(client, "id,dialogue,title_en,title_fr\n,seoul-2025,New,Nouveau\n")
    assert response.context["result"].has_validation_errors()
    assert "Translators cannot create records" in response.content.decode()
    assert Finding.objects.count() == 0


def test_an_editor_publishes_by_import(client, make_staff, login):
    finding = FindingFactory(draft=True)
    login(make_staff("ed", "Editor"))
    confirm(client, preview(client, f"id,status\n{finding.pk},published\n"))
    finding.refresh_from_db()
    assert finding.status == "published"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("themes", "quantum-computing", "No theme “quantum-computing”"),
        ("themes", "energy,quantum-computing", "No theme “quantum-computing”"),
        ("dialogue", "no-such-dialogue", "No dialogue “no-such-dialogue”"),
        ("perspective_country", "XX", "Unknown country code: XX"),
        ("source_document", "999999", "No document “999999”"),
    ],
)
def test_an_unresolved_reference_is_an_error_on_its_row_and_nothing_is_written(
    client, make_staff, login, column, value, message
):
    DialogueFactory(slug="seoul-2025")
    ThemeFactory(slug="energy")
    login(make_staff("ana", "Analyst"))
    columns = {"id": "", "dialogue": "seoul-2025", "title_en": "Good row", "themes": "energy", column: ""}
    columns["dialogue"] = "seoul-2025"
    columns["themes"] = "energy"
    good = dict(columns)
    bad = {**columns, "title_en": "Bad row", column: value}
    header = ",".join(columns)
    text = f"{header}\n" + "\n".join(",".join(f'"{r[c]}"' for c in columns) for r in (good, bad)) + "\n"
    response = preview(client, text)
    result = response.context["result"]
    assert result.has_validation_errors() or result.has_errors()
    assert response.context.get("confirm_form") is None
    assert message in response.content.decode()
    assert Finding.objects.count() == 0


def test_an_unknown_addressee_organisation_or_country_is_a_row_error(client, make_staff, login):
    recommendation = RecommendationFactory(draft=True)
    login(make_staff("ed", "Editor"))
    for column, value, message in [
        ("addressee_organizations", "no-such-org", "No organisation “no-such-org”"),
        ("addressee_countries", "CA,ZZ", "Unknown country code: ZZ"),
    ]:
        response = preview(client, f'id,{column}\n{recommendation.pk},"{value}"\n', "findings/recommendation")
        assert message in response.content.decode()
        assert response.context.get("confirm_form") is None
    assert Recommendation.objects.get().addressee_countries == recommendation.addressee_countries


def test_a_source_document_of_another_dialogue_is_a_row_error(client, make_staff, login):
    finding = FindingFactory(draft=True)
    other = DialogueDocumentFactory()
    login(make_staff("ana", "Analyst"))
    response = preview(client, f"id,source_document\n{finding.pk},{other.pk}\n")
    assert response.context.get("confirm_form") is None
    assert "a document of the finding’s dialogue" in response.content.decode()


def test_the_model_refuses_a_document_of_another_dialogue_whatever_the_path():
    from django.core.exceptions import ValidationError

    finding = FindingFactory(draft=True)
    finding.source_document = DialogueDocumentFactory()
    with pytest.raises(ValidationError, match="document of the finding’s dialogue"):
        finding.full_clean()
