"""Public reads of themes, series, dialogues and their parts.

Every public surface (pages, API, feeds, sitemap, search, exports, counts) reads through these
functions; reverse relations are prefetched through them into `public_*` attributes, which are
the only related lists templates and serializers may read.
"""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from dialogue.models import (
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    Participation,
    Session,
    Theme,
)
from stakeholders.models import Organization


def theme_list_public() -> QuerySet[Theme]:
    """Published themes only."""
    return Theme.objects.public().select_related("parent")


def theme_get_public(*, slug: str) -> Theme:
    """A published theme by slug, or 404."""
    return get_object_or_404(theme_list_public(), slug=slug)


def series_list_public() -> QuerySet[DialogueSeries]:
    """Published series, each with its public milestones in `public_milestones`."""
    return DialogueSeries.objects.public().prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.public(), to_attr="public_milestones")
    )


def series_get_public(*, slug: str) -> DialogueSeries:
    """A published series by slug, or 404."""
    return get_object_or_404(series_list_public(), slug=slug)


def milestone_list_public() -> QuerySet[Milestone]:
    """Milestones of public series."""
    return Milestone.objects.public().select_related("series")


def organizer_roles_public() -> QuerySet[DialogueOrganizer]:
    """Organiser roles whose organisation is public (dialogue publicity is the caller's)."""
    return DialogueOrganizer.objects.filter(organization__in=Organization.objects.public()).select_related(
        "organization"
    )


def dialogue_list_public() -> QuerySet[Dialogue]:
    """Public dialogues, with series, public themes and public organisers prefetched."""
    return (
        Dialogue.objects.public()
        .select_related("series")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.public(), to_attr="public_themes"),
            Prefetch("organizer_roles", queryset=organizer_roles_public(), to_attr="public_organizers"),
        )
    )


def dialogue_detail_public() -> QuerySet[Dialogue]:
    """Public dialogues with everything their page shows, each list public-only."""
    return dialogue_list_public().prefetch_related(
        Prefetch(
            "series__milestones",
            queryset=Milestone.objects.public().order_by("event_date"),
            to_attr="public_milestones",
        ),
        Prefetch(
            "sessions",
            queryset=Session.objects.prefetch_related(
                Prefetch("themes", queryset=Theme.objects.public(), to_attr="public_themes")
            ),
            to_attr="public_sessions",
        ),
        Prefetch("documents", queryset=DialogueDocument.objects.all(), to_attr="public_documents"),
        Prefetch(
            "participations",
            queryset=Participation.objects.public().select_related("person", "organization"),
            to_attr="public_participations",
        ),
    )


def dialogue_get_public(*, slug: str) -> Dialogue:
    """A public dialogue by slug with its public parts, or 404."""
    return get_object_or_404(dialogue_detail_public(), slug=slug)


def session_list_public() -> QuerySet[Session]:
    """Sessions of public dialogues."""
    return Session.objects.public()


def participation_list_public() -> QuerySet[Participation]:
    """Participations shown publicly: public dialogue, both consent flags."""
    return Participation.objects.public().select_related("person", "organization", "dialogue")


def document_list_public() -> QuerySet[DialogueDocument]:
    """Documents of public dialogues."""
    return DialogueDocument.objects.public()
