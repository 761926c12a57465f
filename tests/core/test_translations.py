"""Translation status per field and language: outdated when the English changes, machine text
never over a person's, reviewed by a translator."""

import pytest

from core.models import TranslationState
from core.translations import (
    MachineWouldOverwrite,
    record_statuses,
    translation_apply,
    translation_mark_reviewed,
)
from tests.findings.factories import FindingFactory

pytestmark = pytest.mark.django_db


def _finding(**fields):
    return FindingFactory(body_en="", body_fr="", body_ko="", **fields)


def test_written_translations_are_human_and_empty_ones_missing():
    finding = _finding(summary_fr="")
    assert record_statuses(finding) == {
        "fr": {"title": "human", "summary": "missing", "body": None},
        "ko": {"title": "human", "summary": "human", "body": None},
    }


def test_a_change_of_the_english_makes_the_translations_outdated_and_a_new_translation_human():
    finding = _finding()
    finding.title_en = "A new English title"
    finding.save()
    statuses = record_statuses(finding)
    assert statuses["fr"]["title"] == statuses["ko"]["title"] == TranslationState.OUTDATED
    assert statuses["fr"]["summary"] == TranslationState.HUMAN  # its English did not change

    finding.title_fr = "Un nouveau titre"
    finding.save()
    statuses = record_statuses(finding)
    assert statuses["fr"]["title"] == TranslationState.HUMAN
    assert statuses["ko"]["title"] == TranslationState.OUTDATED


def test_an_edit_that_leaves_the_english_as_it_was_changes_nothing():
    finding = _finding()
    original = finding.title_en
    finding.title_en = original + " (draft)"
    finding.save()
    finding.title_en = original
    finding.save()
    assert record_statuses(finding)["ko"]["title"] == TranslationState.HUMAN


def test_machine_text_never_replaces_a_persons_text():
    finding = _finding(summary_ko="")
    translation_apply(instance=finding, field="summary", language="ko", text="기계 번역", machine=True)
    finding.save()
    assert record_statuses(finding)["ko"]["summary"] == TranslationState.MACHINE
    with pytest.raises(MachineWouldOverwrite):
        translation_apply(instance=finding, field="title", language="ko", text="기계 번역", machine=True)
    # Machine text may replace machine text; a person's text replaces it.
    translation_apply(instance=finding, field="summary", language="ko", text="다른 기계 번역", machine=True)
    finding.save()
    translation_apply(instance=finding, field="summary", language="ko", text="사람의 번역")
    finding.save()
    assert record_statuses(finding)["ko"]["summary"] == TranslationState.HUMAN


def test_a_reviewed_translation_becomes_outdated_when_its_english_changes():
    finding = _finding()
    translation_mark_reviewed(instance=finding, field="title", language="fr")
    assert record_statuses(finding)["fr"]["title"] == TranslationState.REVIEWED
    finding.title_en = "Changed"
    finding.save()
    assert record_statuses(finding)["fr"]["title"] == TranslationState.OUTDATED
