"""Public findings and recommendations: the lists every surface starts from, single records, lineages."""

from django.db.models import Prefetch, QuerySet

from dialogue.models import Dialogue, Theme
from findings.models import (
    Finding,
    Recommendation,
    RecommendationUpdate,
)
from stakeholders.models import Organization

# Public lists: newest dialogue first, then the dialogue's own order.
FINDING_ORDERING = ("-dialogue__start_date", "dialogue_id", "order", "pk")
RECOMMENDATION_ORDERING = ("-dialogue__start_date", "dialogue_id", "order", "pk")


def finding_list_public() -> QuerySet[Finding]:
    """Public findings (published, of a public dialogue) with dialogue and public themes."""
    return (
        Finding.objects.public()
        .select_related("dialogue", "source_document")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.public(), to_attr="public_themes"))
    )


def finding_list_public_bare() -> QuerySet[Finding]:
    """Public findings without related rows: to choose a page before reading it in full."""
    return Finding.objects.public()


def recommendation_list_public_bare() -> QuerySet[Recommendation]:
    """Public recommendations without related rows: to choose a page before reading it in full."""
    return Recommendation.objects.public()


def recommendation_labels_prefetch() -> tuple[Prefetch, Prefetch]:
    """A recommendation's public themes and addressees, as `public_themes` and `public_addressees`."""
    return (
        Prefetch("themes", queryset=Theme.objects.public(), to_attr="public_themes"),
        Prefetch(
            "addressee_organizations", queryset=Organization.objects.public(), to_attr="public_addressees"
        ),
    )


def recommendation_list_public() -> QuerySet[Recommendation]:
    """Public recommendations with dialogue, public themes, addressees and updates."""
    return (
        Recommendation.objects.public()
        .select_related("dialogue")
        .prefetch_related(
            *recommendation_labels_prefetch(),
            Prefetch(
                "updates",
                queryset=RecommendationUpdate.objects.order_by("update_date", "pk"),
                to_attr="public_updates",
            ),
        )
    )


def recommendation_lineage_public(*, recommendation: Recommendation) -> list[Recommendation]:
    """The public recommendations this one follows up, oldest first (stops at a non-public link)."""
    public = Recommendation.objects.public().select_related("dialogue")
    lineage: list[Recommendation] = []
    seen = {recommendation.pk}
    current_id = recommendation.follows_id
    # Lineages usually stay within one series: fetch its public recommendations in one query, so
    # the page costs the same whatever the number of editions; links elsewhere are looked up singly.
    same_series = {}
    if current_id:
        series = Dialogue.objects.filter(pk=recommendation.dialogue_id).values("series_id")
        same_series = {row.pk: row for row in public.filter(dialogue__series_id__in=series)}
    while current_id and current_id not in seen:
        earlier = same_series.get(current_id) or public.filter(pk=current_id).first()
        if earlier is None:
            break
        lineage.append(earlier)
        seen.add(earlier.pk)
        current_id = earlier.follows_id
    return list(reversed(lineage))
