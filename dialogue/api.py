"""API viewsets of themes, dialogue series and dialogues (their filters: dialogue.filters)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from core.api.views import PublicReadOnlyViewSet
from dialogue import selectors
from dialogue.filters import DialogueFilterSet, SeriesFilterSet, ThemeFilterSet
from dialogue.models import Dialogue, DialogueSeries, Theme
from dialogue.serializers import DialogueSerializer, SeriesSerializer, ThemeSerializer


@extend_schema_view(
    list=extend_schema(summary=_("Published themes")),
    retrieve=extend_schema(summary=_("A published theme, by id or slug")),
)
class ThemeViewSet(PublicReadOnlyViewSet):
    """Policy themes, a two-level taxonomy."""

    queryset = Theme.objects.none()
    serializer_class = ThemeSerializer
    filterset_class = ThemeFilterSet
    resource = "themes"
    by_slug = True

    def get_queryset(self):
        return selectors.theme_records_public().order_by("order", "name", "pk")

    def get_page_queryset(self):
        return selectors.theme_list_public().order_by("order", "name", "pk")


@extend_schema_view(
    list=extend_schema(summary=_("Published dialogue series")),
    retrieve=extend_schema(summary=_("A published dialogue series, by id or slug")),
)
class SeriesViewSet(PublicReadOnlyViewSet):
    """Dialogue series: the same countries meeting edition after edition."""

    queryset = DialogueSeries.objects.none()
    serializer_class = SeriesSerializer
    filterset_class = SeriesFilterSet
    resource = "series"
    by_slug = True

    def get_queryset(self):
        return selectors.series_records_public().order_by("name", "pk")

    def get_page_queryset(self):
        return selectors.series_list_public().order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary=_("Public dialogues")),
    retrieve=extend_schema(summary=_("A public dialogue, by id or slug")),
)
class DialogueViewSet(PublicReadOnlyViewSet):
    """Dialogues, newest first, with organisers, sessions, documents and consenting participants."""

    queryset = Dialogue.objects.none()
    serializer_class = DialogueSerializer
    filterset_class = DialogueFilterSet
    resource = "dialogues"
    by_slug = True

    def get_queryset(self):
        return selectors.dialogue_records_public().order_by("-start_date", "-edition", "-pk")

    def get_page_queryset(self):
        return selectors.dialogue_list_public_bare().order_by("-start_date", "-edition", "-pk")

    def prepare_records(self, records):
        profiles = selectors.participation_profiles_public(dialogues=records)
        for record in records:
            record.public_profile = profiles[record.pk]


ROUTES = [("themes", ThemeViewSet), ("series", SeriesViewSet), ("dialogues", DialogueViewSet)]
