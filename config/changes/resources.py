"""What the change feed follows: the API resources, and which records embed which."""

from collections.abc import Iterable

from django.apps import apps

from config.models import PublicChangeAction

UPSERT = PublicChangeAction.UPSERT
REMOVE = PublicChangeAction.REMOVE
SCHEDULE_CHECKPOINT = "scheduled-publication"
NEW_ROWS_CHECKPOINT = "new-rows:"
WRITER_LOCK = "writer-lock"
CHUNK = 500
MAX_ROUNDS = 50

# API resource name -> (model, selector of its public rows). The API lists these very selectors.
RESOURCES: dict[str, tuple[str, str]] = {
    "organizations": ("stakeholders.Organization", "stakeholders.selectors.organization_list_public"),
    "people": ("stakeholders.Person", "stakeholders.selectors.person_list_public"),
    "themes": ("dialogue.Theme", "dialogue.selectors.theme_list_public"),
    "series": ("dialogue.DialogueSeries", "dialogue.selectors.series_list_public"),
    "dialogues": ("dialogue.Dialogue", "dialogue.selectors.dialogue_list_public"),
    "findings": ("findings.Finding", "findings.selectors.finding_list_public"),
    "recommendations": ("findings.Recommendation", "findings.selectors.recommendation_list_public"),
}
RESOURCE_OF_MODEL = {label: resource for resource, (label, _selector) in RESOURCES.items()}
SCHEDULABLE = ("organizations", "themes", "series", "dialogues", "findings", "recommendations")

# Foreign keys whose target's payload embeds the row: model -> [(attname, resource of the target)].
# Parts of a resource (sessions of a dialogue, updates of a recommendation, ...) and the link a
# recommendation keeps to the one it follows up (listed in that one's `follow_ups`).
PARENT_LINKS: dict[str, list[tuple[str, str]]] = {
    "dialogue.Milestone": [("series_id", "series")],
    "dialogue.DialogueOrganizer": [("dialogue_id", "dialogues")],
    "dialogue.Session": [("dialogue_id", "dialogues")],
    "dialogue.DialogueDocument": [("dialogue_id", "dialogues")],
    "dialogue.Participation": [("dialogue_id", "dialogues")],
    "findings.RecommendationUpdate": [("recommendation_id", "recommendations")],
    "findings.Recommendation": [("follows_id", "recommendations")],
    "dialogue.Dialogue": [("series_id", "series")],
}

# Who embeds a resource: resource -> [(model or "model.m2m_field" through table, filter attname,
# value path, dependant resource)]. A record that gets an entry touches these.
DEPENDANTS: dict[str, list[tuple[str, str, str, str]]] = {
    "organizations": [
        ("stakeholders.Organization", "parent_id", "pk", "organizations"),
        ("stakeholders.Person", "organization_id", "pk", "people"),
        ("dialogue.DialogueOrganizer", "organization_id", "dialogue_id", "dialogues"),
        ("dialogue.Participation", "organization_id", "dialogue_id", "dialogues"),
        (
            "findings.Recommendation.addressee_organizations",
            "organization_id",
            "recommendation_id",
            "recommendations",
        ),
    ],
    "people": [("dialogue.Participation", "person_id", "dialogue_id", "dialogues")],
    "themes": [
        ("dialogue.Theme", "parent_id", "pk", "themes"),
        ("dialogue.Dialogue.themes", "theme_id", "dialogue_id", "dialogues"),
        ("dialogue.Session.themes", "theme_id", "session__dialogue_id", "dialogues"),
        ("findings.Finding.themes", "theme_id", "finding_id", "findings"),
        ("findings.Recommendation.themes", "theme_id", "recommendation_id", "recommendations"),
    ],
    "series": [("dialogue.Dialogue", "series_id", "pk", "dialogues")],
    "dialogues": [
        ("findings.Finding", "dialogue_id", "pk", "findings"),
        ("findings.Recommendation", "dialogue_id", "pk", "recommendations"),
        ("dialogue.Dialogue", "pk", "series_id", "series"),
    ],
    "findings": [
        ("findings.Recommendation.source_findings", "finding_id", "recommendation_id", "recommendations")
    ],
    "recommendations": [
        ("findings.Recommendation", "follows_id", "pk", "recommendations"),
        ("findings.Recommendation", "pk", "follows_id", "recommendations"),
        ("findings.Recommendation.source_findings", "recommendation_id", "finding_id", "findings"),
    ],
}

# Many-to-many fields whose change alters their owner's payload: (model, field) -> (owner resource,
# target resource when the target's payload lists the link too, else None).
M2M_LINKS: dict[tuple[str, str], tuple[str, str | None]] = {
    ("dialogue.Dialogue", "themes"): ("dialogues", None),
    # add()/remove() through DialogueOrganizer bulk-create and delete rows without save signals.
    ("dialogue.Dialogue", "organizers"): ("dialogues", None),
    ("dialogue.Session", "themes"): ("dialogues", None),
    ("findings.Finding", "themes"): ("findings", None),
    ("findings.Recommendation", "themes"): ("recommendations", None),
    ("findings.Recommendation", "source_findings"): ("recommendations", "findings"),
    ("findings.Recommendation", "addressee_organizations"): ("recommendations", None),
}


def model_of(label: str):
    parts = label.split(".")
    model = apps.get_model(parts[0], parts[1])
    if len(parts) == 3:
        return model._meta.get_field(parts[2]).remote_field.through
    return model


def chunks(values: Iterable, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
