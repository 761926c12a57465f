"""The demo content loader: the Canada–Korea dialogue as records, idempotently."""

from django.db import transaction

from core.models import PublicationStatus
from core.services import record_upsert
from demo import content as demo
from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    Theme,
)
from findings.models import Finding, Recommendation
from stakeholders.models import Organization

_PUBLISHED = {"status": PublicationStatus.PUBLISHED, "published_at": demo.PUBLISHED_AT}


@transaction.atomic
def demo_content_load() -> dict[str, int]:
    """Load the Canada–Korea dialogue; idempotent. Returns how many rows were created or changed."""
    touched = {"created": 0, "changed": 0}

    def upsert(model, lookup, values, m2m=None):
        instance, created, changed = record_upsert(model=model, lookup=lookup, values=values, m2m=m2m)
        touched["created"] += created
        touched["changed"] += changed and not created
        return instance

    organizations = {}
    for data in demo.ORGANIZATIONS:
        organizations[data["slug"]] = upsert(
            Organization,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "acronym": data["acronym"],
                "description": data["description"],
                "kind": data["kind"],
                "country": data["country"],
                **_PUBLISHED,
            },
        )
    themes = {
        data["slug"]: upsert(
            Theme,
            {"slug": data["slug"]},
            {"name": data["name"], "description": data["description"], "order": data["order"], **_PUBLISHED},
        )
        for data in demo.THEMES
    }
    series = upsert(
        DialogueSeries,
        {"slug": demo.SERIES["slug"]},
        {
            "name": demo.SERIES["name"],
            "description": demo.SERIES["description"],
            "countries": demo.SERIES["countries"],
            **_PUBLISHED,
        },
    )
    for data in demo.MILESTONES:
        upsert(
            Milestone,
            {"series": series, "title_en": data["title"]["en"]},
            {
                "event_date": data["event_date"],
                "date_precision": data["date_precision"],
                "title": data["title"],
                "description": data["description"],
            },
        )
    spec = demo.DIALOGUE
    dialogue = upsert(
        Dialogue,
        {"slug": spec["slug"]},
        {
            "series": series,
            "edition": spec["edition"],
            "track": spec["track"],
            "start_date": spec["start_date"],
            "end_date": spec["end_date"],
            "country": spec["country"],
            "is_chatham_house": spec["is_chatham_house"],
            "title": spec["title"],
            "city": spec["city"],
            "venue": spec["venue"],
            "summary": spec["summary"],
            "context": spec["context"],
            **_PUBLISHED,
        },
        m2m={"themes": [themes[slug] for slug in spec["themes"]]},
    )
    for order, data in enumerate(demo.ORGANIZATIONS, start=1):
        upsert(
            DialogueOrganizer,
            {"dialogue": dialogue, "organization": organizations[data["slug"]], "role": data["role"]},
            {"order": order},
        )
    document = upsert(
        DialogueDocument,
        {"dialogue": dialogue, "kind": demo.SOURCE_DOCUMENT["kind"]},
        {"title": demo.SOURCE_DOCUMENT["title"], "language": demo.SOURCE_DOCUMENT["language"]},
    )
    findings = {}
    for data in demo.FINDINGS:
        findings[data["order"]] = upsert(
            Finding,
            {"dialogue": dialogue, "order": data["order"]},
            {
                "kind": data["kind"],
                "perspective": "consensus",
                "title": data["title"],
                "summary": data["summary"],
                "source_document": document,
                "source_locator": data["source_locator"],
                **_PUBLISHED,
            },
            m2m={"themes": [themes[slug] for slug in data["themes"]]},
        )
    for data in demo.RECOMMENDATIONS:
        upsert(
            Recommendation,
            {"dialogue": dialogue, "order": data["order"]},
            {
                "title": data["title"],
                "body": data["body"],
                "addressee_countries": data["addressee_countries"],
                "priority": data["priority"],
                "horizon": data["horizon"],
                "current_status": "proposed",
                **_PUBLISHED,
            },
            m2m={
                "themes": [themes[slug] for slug in data["themes"]],
                "source_findings": [findings[number] for number in data["source_findings"]],
            },
        )
    return touched
