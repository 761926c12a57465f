"""Public findings and recommendations: the lists every surface starts from, single records, lineages."""

from django.db import connections, router
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from dialogue.models import DialogueDocument
from dialogue.selectors import public_themes_prefetch
from findings.models import (
    Finding,
    Recommendation,
    RecommendationUpdate,
)
from stakeholders.models import Organization

# Public lists: newest dialogue first, then the dialogue's own order.
FINDING_ORDERING = ("-dialogue__start_date", "dialogue_id", "order", "pk")
RECOMMENDATION_ORDERING = ("-dialogue__start_date", "dialogue_id", "order", "pk")
# How many links a lineage follows back at most.
LINEAGE_MAX_DEPTH = 50


def finding_list_public() -> QuerySet[Finding]:
    """Public findings (published, of a public dialogue) as cards: dialogue and public themes."""
    return Finding.objects.public().select_related("dialogue").prefetch_related(public_themes_prefetch())


def public_source_document_prefetch() -> Prefetch:
    """A finding's source document into `public_source_document`: None unless its dialogue is public.

    A finding may cite a document of another dialogue, which may be hidden.
    """
    return Prefetch(
        "source_document", queryset=DialogueDocument.objects.public(), to_attr="public_source_document"
    )


def finding_list_public_bare() -> QuerySet[Finding]:
    """Public findings without related rows: to choose a page before reading it in full, ids, sitemaps."""
    return Finding.objects.public()


def recommendation_list_public_bare() -> QuerySet[Recommendation]:
    """Public recommendations without related rows: to choose a page before reading it in full, ids."""
    return Recommendation.objects.public()


def recommendation_labels_prefetch() -> tuple[Prefetch, Prefetch]:
    """A recommendation's public themes and addressees, as `public_themes` and `public_addressees`."""
    return (
        public_themes_prefetch(),
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


def _ancestor_ids(starts: list[int]) -> RawSQL:
    # The ids of every recommendation `starts` follow up, directly or not, public or not, up to
    # LINEAGE_MAX_DEPTH links away: one recursive query whatever the number of editions or series
    # a lineage crosses. The depth bound also ends the recursion on a loop of follow-ups.
    connection = connections[router.db_for_read(Recommendation)]
    table = connection.ops.quote_name(Recommendation._meta.db_table)
    pk = connection.ops.quote_name(Recommendation._meta.pk.column)
    follows = connection.ops.quote_name(Recommendation._meta.get_field("follows").column)
    placeholders = ", ".join(["%s"] * len(starts))
    sql = (
        f"WITH RECURSIVE chain(ancestor_id, depth) AS ("
        f" SELECT {follows}, 1 FROM {table} WHERE {pk} IN ({placeholders}) AND {follows} IS NOT NULL"
        f" UNION"
        f" SELECT earlier.{follows}, chain.depth + 1 FROM chain"
        f" JOIN {table} earlier ON earlier.{pk} = chain.ancestor_id"
        f" WHERE earlier.{follows} IS NOT NULL AND chain.depth < %s"
        f") SELECT ancestor_id FROM chain"
    )
    return RawSQL(sql, [*starts, LINEAGE_MAX_DEPTH])


def recommendation_lineages_public(
    *, recommendations: list[Recommendation]
) -> dict[int, list[Recommendation]]:
    """For each recommendation, the public ones it follows up (with their dialogue), oldest first.

    One query for any number of recommendations (none if none follows another). A lineage stops
    at the first link that is not public or that loops back, and after LINEAGE_MAX_DEPTH links.
    """
    starts = [recommendation.pk for recommendation in recommendations if recommendation.follows_id]
    public: dict[int, Recommendation] = {}
    if starts:
        ancestors = (
            Recommendation.objects.public().select_related("dialogue").filter(pk__in=_ancestor_ids(starts))
        )
        public = {ancestor.pk: ancestor for ancestor in ancestors}
    lineages: dict[int, list[Recommendation]] = {}
    for recommendation in recommendations:
        lineage: list[Recommendation] = []
        seen = {recommendation.pk}
        current_id = recommendation.follows_id
        # A link missing from `public` is hidden (or beyond the depth bound): the lineage stops.
        while current_id in public and current_id not in seen and len(lineage) < LINEAGE_MAX_DEPTH:
            earlier = public[current_id]
            lineage.append(earlier)
            seen.add(current_id)
            current_id = earlier.follows_id
        lineages[recommendation.pk] = lineage[::-1]
    return lineages
