"""XLIFF 1.2 round trip: export what is missing or outdated, import what translators did, refuse
units whose English changed since the export."""

import pytest
from django.core.management import call_command
from translate.storage.xliff import xlifffile

from core.translations import record_statuses
from core.xliff import xliff_export, xliff_import
from tests.dialogue.factories import DialogueFactory
from tests.findings.factories import FindingFactory

pytestmark = pytest.mark.django_db


def _units(data: bytes):
    store = xlifffile.parsestring(data)
    return {unit.xmlelement.get("id"): unit for unit in store.units if unit.istranslatable()}


def _translated(data: bytes, texts: dict[str, str], *, machine: bool = False) -> bytes:
    """What a CAT tool writes back: each unit's target filled (translate-toolkit writes it)."""
    store = xlifffile.parsestring(data)
    for unit in store.units:
        if unit.istranslatable():
            field = unit.xmlelement.get("id").split(":")[2]
            unit.settarget(texts[field])
            if machine:
                unit.xmlelement.find(unit.namespaced("target")).set("state-qualifier", "mt-suggestion")
    return bytes(store)


def test_the_export_has_one_unit_per_missing_or_outdated_field_and_parses_as_cat_tools_read_it():
    dialogue = DialogueFactory()
    missing = FindingFactory(dialogue=dialogue, summary_ko="", body_en="A body.", body_ko="")
    outdated = FindingFactory(dialogue=dialogue, body_en="")
    outdated.title_en = "A title edited in English"
    outdated.save()
    FindingFactory(dialogue=dialogue, body_en="")  # fully translated: no unit
    data = xliff_export(language="ko", dialogue=dialogue.slug)
    units = _units(data)
    expected = {(missing.pk, "summary"), (missing.pk, "body"), (outdated.pk, "title")}
    assert {(int(uid.split(":")[1]), uid.split(":")[2]) for uid in units} == expected
    assert xlifffile.parsestring(data).gettargetlanguage() == "ko"
    title = next(unit for uid, unit in units.items() if uid.startswith(f"finding:{outdated.pk}:title"))
    assert title.source == "A title edited in English" and title.target == outdated.title_ko


def test_a_file_exported_before_an_english_edit_is_refused_for_that_unit_and_applied_for_the_others():
    finding = FindingFactory(summary_ko="", body_en="A body.", body_ko="")
    before = xliff_export(language="ko")
    finding.summary_en = "A summary edited after the export"
    finding.save()
    filled = _translated(before, {"summary": "번역된 요약", "body": "번역된 본문"})
    report = xliff_import(filled)
    assert [uid.split(":")[2] for uid, _why in report.refused] == ["summary"]
    assert "changed after the file was exported" in report.refused[0][1]
    assert [uid.split(":")[2] for uid in report.applied] == ["body"]
    finding.refresh_from_db()
    assert finding.body_ko == "번역된 본문" and finding.summary_ko == ""
    assert record_statuses(finding)["ko"]["body"] == "human"


def test_machine_units_are_marked_and_never_replace_a_persons_text():
    finding = FindingFactory(summary_ko="", body_en="")
    data = _translated(xliff_export(language="ko"), {"summary": "기계 번역"}, machine=True)
    assert len(xliff_import(data).applied) == 1
    finding.refresh_from_db()
    assert record_statuses(finding)["ko"]["summary"] == "machine"

    finding.summary_ko = "사람의 번역"
    finding.save()
    finding.summary_en = "Changed"
    finding.save()  # outdated now, but the text is a person's
    data = _translated(xliff_export(language="ko"), {"summary": "새 기계 번역"}, machine=True)
    report = xliff_import(data)
    assert report.applied == [] and "never replaces" in report.refused[0][1]


def test_the_commands_write_and_read_files(tmp_path):
    finding = FindingFactory(summary_fr="", body_en="")
    path = tmp_path / "fr.xlf"
    call_command("export_xliff", "--lang", "fr", "--status", "missing", str(path))
    path.write_bytes(_translated(path.read_bytes(), {"summary": "Un résumé traduit"}))
    call_command("import_xliff", "--dry-run", str(path))
    finding.refresh_from_db()
    assert finding.summary_fr == ""
    call_command("import_xliff", str(path))
    finding.refresh_from_db()
    assert finding.summary_fr == "Un résumé traduit"
