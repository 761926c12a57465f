"""Reads of the partners' API: records with every public related part, lineages for a page."""

from django.db import connections, router
from django.db.models import Prefetch, QuerySet

from dialogue.models import DialogueDocument
from findings.models import (
    Finding,
    Recommendation,
)
from findings.selectors.base import (
    finding_list_public,
    recommendation_list_public,
)

LINEAGE_MAX_DEPTH = 50


def finding_records_public() -> QuerySet[Finding]:
    """Public findings with `public_themes`, `public_recommendations` (the public ones drawing on
    it) and `public_source_document` (None unless it belongs to a public dialogue)."""
    return finding_list_public().prefetch_related(
        Prefetch(
            "source_document", queryset=DialogueDocument.objects.public(), to_attr="public_source_document"
        ),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.public().order_by("pk"),
            to_attr="public_recommendations",
        ),
    )


def recommendation_records_public() -> QuerySet[Recommendation]:
    """Public recommendations with every public related list the API record shows.

    `public_themes`, `public_addressees`, `public_updates`, `public_source_findings`,
    `public_follow_ups`, and `public_follows` (None unless the followed one is public). Lineages
    come from `recommendation_lineages_public()`, for a whole page at once.
    """
    return recommendation_list_public().prefetch_related(
        Prefetch(
            "source_findings",
            queryset=Finding.objects.public().order_by("pk"),
            to_attr="public_source_findings",
        ),
        Prefetch(
            "follow_ups", queryset=Recommendation.objects.public().order_by("pk"), to_attr="public_follow_ups"
        ),
        Prefetch("follows", queryset=Recommendation.objects.public(), to_attr="public_follows"),
    )


def recommendation_lineages_public(
    *, recommendations: list[Recommendation]
) -> dict[int, list[Recommendation]]:
    """For each recommendation, the public ones it follows up, oldest first; two queries in all.

    Like `recommendation_lineage_public()`, a lineage stops at the first link that is not public
    (or that loops back).
    """
    lineages: dict[int, list[Recommendation]] = {rec.pk: [] for rec in recommendations}
    starts = [rec.pk for rec in recommendations if rec.follows_id]
    if not starts:
        return lineages
    connection = connections[router.db_for_read(Recommendation)]
    table = connection.ops.quote_name(Recommendation._meta.db_table)
    placeholders = ", ".join(["%s"] * len(starts))
    sql = (
        f"WITH RECURSIVE chain(start_id, ancestor_id, depth) AS ("
        f" SELECT id, follows_id, 1 FROM {table} WHERE id IN ({placeholders}) AND follows_id IS NOT NULL"
        f" UNION ALL"
        f" SELECT chain.start_id, earlier.follows_id, chain.depth + 1 FROM chain"
        f" JOIN {table} earlier ON earlier.id = chain.ancestor_id"
        f" WHERE earlier.follows_id IS NOT NULL AND chain.depth < %s"
        f") SELECT start_id, ancestor_id, depth FROM chain ORDER BY start_id, depth"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*starts, LINEAGE_MAX_DEPTH])
        chains = cursor.fetchall()
    public = {
        rec.pk: rec
        for rec in Recommendation.objects.public().filter(pk__in={ancestor for _s, ancestor, _d in chains})
    }
    stopped: set[int] = set()
    for start, ancestor, _depth in chains:
        if start in stopped:
            continue
        earlier = public.get(ancestor)
        if earlier is None or earlier.pk == start or earlier in lineages[start]:
            stopped.add(start)
            continue
        lineages[start].append(earlier)
    for lineage in lineages.values():
        lineage.reverse()
    return lineages
