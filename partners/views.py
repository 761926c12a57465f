"""The partners' API outside any one resource: its root, the change feed and the JSON 404."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import absolute_url
from core.api.views import AtlasAPIMixin, PublicListMixin
from core.changes import change_list_public
from core.models import PublicChange
from partners.filters import ChangeFilterSet


def _root_links(request, router) -> dict[str, str]:
    links = {}
    for prefix, _viewset, basename in router.registry:
        links[prefix] = absolute_url(request, reverse(f"api:{basename}-list"))
    for name in ("schema", "docs"):
        links[name] = absolute_url(request, reverse(f"api:{name}"))
    return links


class ApiRootView(AtlasAPIMixin, APIView):
    """The API root: a link to every resource, the change feed, the schema and the docs."""

    router = None

    def get(self, request, *args, **kwargs):
        return Response(_root_links(request, self.router))

    @classmethod
    def for_router(cls, router):
        names = [prefix for prefix, _viewset, _basename in router.registry] + ["schema", "docs"]
        root_serializer = inline_serializer(
            "ApiRoot", fields={name: serializers.URLField() for name in names}
        )
        view_class = type("ApiRootView", (cls,), {"router": router})
        view_class.get = extend_schema(
            operation_id="api_root", responses={200: root_serializer}, tags=["root"]
        )(view_class.get)
        return view_class.as_view()


class ChangeSerializer(serializers.Serializer):
    """One change: a record of `type` entered or changed in (`upsert`) or left (`remove`) the public set."""

    type = serializers.CharField(
        source="resource", help_text=_("The resource, as in its path, e.g. findings.")
    )
    id = serializers.IntegerField(source="object_id", help_text=_("The record's id."))
    action = serializers.ChoiceField(
        choices=["upsert", "remove"],
        help_text=_("upsert: fetch the record again; remove: delete your copy."),
    )
    at = serializers.DateTimeField(source="changed_at", help_text=_("When the change was recorded."))


class ChangeViewSet(PublicListMixin, AtlasAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The change feed, oldest first: replay it to hold exactly the public data of every resource.

    `upsert`: fetch /api/v1/<type>/<id>/ again; `remove`: delete your copy. Keep the `at` of the
    last entry you applied and come back with `since` set to it (inclusive; replaying an entry
    twice is harmless). Without `since` the feed starts at the beginning.
    """

    queryset = PublicChange.objects.none()
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    resource = "changes"

    def get_queryset(self):
        return change_list_public()


class NotFoundView(AtlasAPIMixin, APIView):
    """Any other path under /api/: a JSON 404."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound(_("There is no API endpoint at this path; see /api/v1/."))

    def check_query_params(self, request):
        return None
