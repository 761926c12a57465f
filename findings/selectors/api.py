"""Reads of the partners' API: records with every public related part."""

from django.db.models import Prefetch, QuerySet

from findings.models import (
    Finding,
    Recommendation,
)
from findings.selectors.base import (
    finding_list_public,
    public_source_document_prefetch,
    recommendation_list_public,
)


def finding_records_public() -> QuerySet[Finding]:
    """Public findings with `public_themes`, `public_recommendations` (the public ones drawing on
    it) and `public_source_document` (None unless it belongs to a public dialogue)."""
    return finding_list_public().prefetch_related(
        public_source_document_prefetch(),
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
