"""API viewsets of findings and recommendations; their filters (findings.filters) are the site's."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.views import PublicReadOnlyViewSet
from findings import selectors
from findings.filters import FindingFilterSet, RecommendationFilterSet
from findings.models import Finding, Recommendation
from findings.serializers import FindingSerializer, RecommendationSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Public findings")),
    retrieve=extend_schema(summary=_("A public finding, by id")),
)
class FindingViewSet(PublicReadOnlyViewSet):
    """What dialogues found: key findings, observations, opportunities and risks."""

    queryset = Finding.objects.none()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    resource = "findings"

    def get_queryset(self):
        return selectors.finding_records_public().order_by(*selectors.FINDING_ORDERING)

    def get_page_queryset(self):
        return selectors.finding_list_public_bare().order_by(*selectors.FINDING_ORDERING)


@extend_schema_view(
    list=extend_schema(summary=_("Public recommendations")),
    retrieve=extend_schema(summary=_("A public recommendation with its updates and lineage, by id")),
)
class RecommendationViewSet(PublicReadOnlyViewSet):
    """What dialogues recommended, to whom, how far it has come, and what it follows up."""

    queryset = Recommendation.objects.none()
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet
    resource = "recommendations"

    def get_queryset(self):
        return selectors.recommendation_records_public().order_by(*selectors.RECOMMENDATION_ORDERING)

    def get_page_queryset(self):
        return selectors.recommendation_list_public_bare().order_by(*selectors.RECOMMENDATION_ORDERING)

    def prepare_records(self, records):
        lineages = selectors.recommendation_lineages_public(recommendations=records)
        for record in records:
            record.public_lineage = lineages[record.pk]


ROUTES = [("findings", FindingViewSet), ("recommendations", RecommendationViewSet)]
