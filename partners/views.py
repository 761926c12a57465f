"""The partners' API outside any one resource: its root, the change feed and the JSON 404."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from core.api.fields import absolute_url
from core.api.pagination import AtlasPagination
from core.api.views import ApiAccessMixin, AtlasAPIMixin, PublicListMixin
from core.changes import change_list_public, latest_sequence
from core.models import PublicChange, PublicChangeAction
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

    seq = serializers.IntegerField(
        source="pk",
        help_text=_("The entry's sequence number: strictly increasing, in the order changes committed."),
    )
    type = serializers.CharField(
        source="resource", help_text=_("The resource, as in its path, e.g. findings.")
    )
    id = serializers.IntegerField(source="object_id", help_text=_("The record's id."))
    action = serializers.ChoiceField(
        choices=["upsert", "remove"],
        help_text=_("upsert: fetch the record again; remove: delete your copy."),
    )
    at = serializers.DateTimeField(source="changed_at", help_text=_("When the change was recorded."))


class ChangePagination(AtlasPagination):
    """The feed's pages say where the log stands: `latest_seq`, the newest entry's sequence number."""

    def get_next_link(self):
        # The next page continues after this page's last entry, not at a page number: entries move
        # to the end when their record changes again, which would shift numbered pages.
        if not self.page.has_next():
            return None
        last = self.page.object_list[len(self.page.object_list) - 1]
        url = absolute_url(self.request, self.request.get_full_path())
        url = remove_query_param(url, self.page_query_param)
        return replace_query_param(url, "after", getattr(last, "pk", last))

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["latest_seq"] = latest_sequence()
        return response

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["properties"]["latest_seq"] = {
            "type": "integer",
            "minimum": 0,
            "description": str(_("The sequence number of the newest entry of the feed (0 when empty).")),
        }
        result["required"] = [*result.get("required", []), "latest_seq"]
        return result


class ChangeViewSet(PublicListMixin, AtlasAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The change feed in sequence order: replay it to hold exactly the public data of every resource.

    `upsert`: fetch /api/v1/<type>/<id>/ again; `remove`: delete your copy. Keep the `seq` of the
    last entry you applied and come back with `after` set to it; `latest_seq` tells how far the
    feed goes. A record keeps only its newest entry, so a replay from the beginning reads one entry
    per record. `since` (an instant, inclusive) is kept for clients that sync by time.
    """

    queryset = PublicChange.objects.none()
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilterSet
    pagination_class = ChangePagination
    resource = "changes"

    def get_queryset(self):
        entries = change_list_public()
        params = self.request.query_params
        if "after" not in params and "since" not in params:
            # From the beginning a partner holds nothing: only what to fetch matters.
            entries = entries.filter(action=PublicChangeAction.UPSERT)
        return entries


class NotFoundView(AtlasAPIMixin, APIView):
    """Any other path under /api/: a JSON 404."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound(_("There is no API endpoint at this path; see /api/v1/."))

    def check_query_params(self, request):
        return None


class SchemaView(ApiAccessMixin, SpectacularAPIView):
    """The OpenAPI schema, under the same keys, limits and error shape as the rest of the API."""


class DocsView(ApiAccessMixin, SpectacularSwaggerView):
    """Swagger UI over the schema, under the same keys, limits and error shape."""
