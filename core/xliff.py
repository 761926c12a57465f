"""XLIFF 1.2 files for translators' CAT tools (OmegaT, Trados, memoQ): export what is missing or
outdated in one language, import what they translated.

A unit's id names the record, the field and the hash of the English it was exported from
(`finding:12:title:3f2a…`), ids that CAT tools keep as they are. An import applies a unit only if
that English is still current: otherwise it is refused with a message (the translation would be of
a text that no longer exists) and the other units are applied. Imported text is `human` unless
the unit's target says it is machine-made (`state-qualifier="mt-suggestion"` or `leveraged-mt`),
and machine text never replaces a person's.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core import translations

NS = "urn:oasis:names:tc:xliff:document:1.2"
MACHINE_QUALIFIERS = {"mt-suggestion", "leveraged-mt"}
DEFAULT_STATUSES = translations.TODO
ORIGINAL = "dialogue-atlas"


def xliff_export(*, language: str, statuses=DEFAULT_STATUSES, dialogue: str | None = None) -> bytes:
    """An XLIFF 1.2 document of `translation_todo()`: English source, the current translation as the
    target of outdated units (state needs-review-translation), an empty one otherwise."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", {"version": "1.2"})
    file = ET.SubElement(
        root,
        f"{{{NS}}}file",
        {
            "original": ORIGINAL,
            "source-language": translations.SOURCE_LANGUAGE,
            "target-language": language,
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(file, f"{{{NS}}}body")
    for unit in translations.translation_todo(language=language, statuses=statuses, dialogue=dialogue):
        element = ET.SubElement(
            body,
            f"{{{NS}}}trans-unit",
            {"id": unit.id, "resname": f"{unit.id.rsplit(':', 1)[0]}", "xml:space": "preserve"},
        )
        ET.SubElement(element, f"{{{NS}}}source").text = unit.source
        state = "needs-review-translation" if unit.target else "needs-translation"
        ET.SubElement(element, f"{{{NS}}}target", {"state": state}).text = unit.target
        ET.SubElement(element, f"{{{NS}}}note").text = f"{unit.status}: {unit.record}"
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class ImportReport:
    """What an import did, unit by unit."""

    language: str = ""
    applied: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (unit id, why)
    skipped: list[str] = field(default_factory=list)  # empty or unchanged targets


class XliffError(ValueError):
    """The file is not an XLIFF 1.2 document of this site in French or Korean."""


def _parse(data: bytes):
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise XliffError(_("Not an XML file: %(error)s") % {"error": error}) from error
    file = root.find(f"{{{NS}}}file")
    if root.tag != f"{{{NS}}}xliff" or file is None:
        raise XliffError(_("Not an XLIFF 1.2 file."))
    language = (file.get("target-language") or "").split("-")[0].lower()
    if language not in translations.TARGET_LANGUAGES:
        raise XliffError(
            _("The target language must be French or Korean, not “%(lang)s”.") % {"lang": language}
        )
    return language, file.iter(f"{{{NS}}}trans-unit")


def _record(name: str, pk: str):
    for model, record in translations.REGISTRY.items():
        if record.name == name and pk.isdigit():
            return model._default_manager.filter(pk=int(pk)).first()
    return None


def xliff_import(data: bytes, *, dry_run: bool = False) -> ImportReport:
    """Apply the translated units of an XLIFF file (see the module docstring). With `dry_run`
    nothing is written: the report is the preview."""
    language, elements = _parse(data)
    report = ImportReport(language=language)
    changed = {}
    for element in elements:
        unit_id = element.get("id", "")
        target = element.find(f"{{{NS}}}target")
        text = "".join(target.itertext()).strip() if target is not None else ""
        parts = unit_id.split(":")
        if len(parts) != 4:
            report.refused.append((unit_id, _("Not a unit of this site.")))
            continue
        name, pk, field_name, exported_hash = parts
        instance = changed.get((name, pk)) or _record(name, pk)
        if instance is None or field_name not in translations.REGISTRY[type(instance)].fields:
            report.refused.append((unit_id, _("The record or field no longer exists.")))
            continue
        if translations.source_hash(getattr(instance, f"{field_name}_en")) != exported_hash:
            report.refused.append(
                (
                    unit_id,
                    _("Its English changed after the file was exported: export it again to translate it."),
                )
            )
            continue
        if not text or text == (getattr(instance, f"{field_name}_{language}") or ""):
            report.skipped.append(unit_id)
            continue
        machine = target.get("state-qualifier") in MACHINE_QUALIFIERS
        try:
            translations.translation_apply(
                instance=instance, field=field_name, language=language, text=text, machine=machine
            )
        except translations.MachineWouldOverwrite:
            report.refused.append((unit_id, _("Machine translation never replaces a person's translation.")))
            continue
        changed[(name, pk)] = instance
        report.applied.append(unit_id)
    if not dry_run:
        with transaction.atomic():
            for instance in changed.values():
                instance.save()
    return report
