"""Writes that span a dialogue and what it holds: publishing it with its children."""

from dataclasses import dataclass, field

from django.db import transaction

from core.models import PublicationStatus
from core.services import record_publish
from dialogue.models import Dialogue
from stakeholders.models import Organization


@dataclass
class DialogueContents:
    """What publishing a dialogue concerns: unpublished records to choose, and what simply follows."""

    choosable: list = field(default_factory=list)  # unpublished records with their own status
    following: list = field(default_factory=list)  # (label, count) of parts that follow the dialogue
    named_people: list = field(default_factory=list)  # consenting participants who will be named
    unnamed_people: int = 0  # participants who stay unnamed (no consent)


def dialogue_contents_unpublished(*, dialogue: Dialogue) -> DialogueContents:
    """Every unpublished record a dialogue holds or shows (findings, recommendations, organisers'
    and participants' organisations, themes, series), and the parts that appear with it."""
    contents = DialogueContents()
    unpublished = {"status__in": [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]}
    if dialogue.series.status != PublicationStatus.PUBLISHED:
        contents.choosable.append(dialogue.series)
    contents.choosable += list(dialogue.themes.filter(**unpublished))
    organization_ids = set(dialogue.organizer_roles.values_list("organization_id", flat=True))
    organization_ids |= set(
        dialogue.participations.exclude(organization=None).values_list("organization_id", flat=True)
    )
    contents.choosable += list(Organization.objects.filter(pk__in=organization_ids, **unpublished))
    contents.choosable += list(dialogue.findings.filter(**unpublished))
    contents.choosable += list(dialogue.recommendations.filter(**unpublished))
    contents.following = [
        (dialogue.sessions.model._meta.verbose_name_plural, dialogue.sessions.count()),
        (dialogue.documents.model._meta.verbose_name_plural, dialogue.documents.count()),
    ]
    participations = dialogue.participations.select_related("person")
    for participation in participations:
        if participation.is_public and participation.person.is_public:
            contents.named_people.append(participation.person)
        else:
            contents.unnamed_people += 1
    return contents


def dialogue_publish_with_children(*, dialogue: Dialogue, records: list) -> int:
    """Publish `dialogue` and `records` (chosen among its contents) in one transaction, so the
    public site and the change feed see them arrive together. Returns how many were published."""
    with transaction.atomic():
        published = sum(record_publish(record=record) for record in records)
        published += record_publish(record=dialogue)
    return published
