"""The partners' API outside any one resource: its root, the change feed and the JSON 404."""

import django_filters
from django.http import FileResponse
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from core.api.fields import absolute_url
from core.api.pagination import AtlasPagination
from core.api.views import MAX_ID, ApiAccessMixin, AtlasAPIMixin, PublicListMixin
from core.changes import change_list_public, latest_sequence
from core.models import PublicChange, PublicChangeAction
from partners.filters import ChangeFilterSet
from partners.models import Snapshot
from partners.snapshots import snapshot_list_public, snapshot_path


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


class SnapshotSerializer(serializers.ModelSerializer):
    """A bulk snapshot of every public record: a zip of CSV, JSON Lines and a Frictionless
    datapackage.json; continue with /api/v1/changes/?after=`latest_seq`."""

    url = serializers.SerializerMethodField(help_text=_("Where to download the zip."))
    latest_seq = serializers.IntegerField(
        source="sequence", help_text=_("The change feed's position the snapshot holds: continue after it.")
    )
    size = serializers.IntegerField(help_text=_("The zip's size in bytes."))
    sha256 = serializers.CharField(help_text=_("The zip's SHA-256, in hexadecimal."))
    created = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Snapshot
        fields = ("id", "name", "url", "latest_seq", "size", "sha256", "created")

    def get_url(self, snapshot) -> str:
        return absolute_url(
            self.context["request"], reverse("api:snapshots-download", kwargs={"pk": snapshot.pk})
        )


class SnapshotFilterSet(django_filters.FilterSet):
    """The snapshots are few (the newest SNAPSHOTS_KEEP): no filter."""

    class Meta:
        model = Snapshot
        fields = []


class SnapshotViewSet(PublicListMixin, AtlasAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Bulk snapshots of the public data, newest first (the last few are kept).

    Download one, load its CSV or JSON Lines, then follow /api/v1/changes/?after=`latest_seq`.
    """

    queryset = Snapshot.objects.none()
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilterSet
    resource = "snapshots"
    memoize_representations = False
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return snapshot_list_public()

    def get_object(self):
        value = self.kwargs["pk"]
        snapshot = None
        if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            snapshot = self.get_queryset().filter(pk=int(value)).first()
        if snapshot is None:
            raise NotFound(_("No snapshot has this id; list them at /api/v1/snapshots/."))
        return snapshot

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, _("The snapshot: a zip file (see the bulk data guide).")
            )
        },
    )
    @action(detail=True, methods=["get"], url_path="download")
    def download(self, request, pk=None):
        snapshot = self.get_object()
        path = snapshot_path(snapshot)
        if not path.exists():
            raise NotFound(_("This snapshot has been pruned; take a newer one."))
        response = FileResponse(path.open("rb"), as_attachment=True, filename=snapshot.name)
        # A zip; declared as octet-stream, the binary type generated clients read as a file.
        response["Content-Type"] = "application/octet-stream"
        response["ETag"] = f'"{snapshot.sha256}"'
        response["Last-Modified"] = http_date(snapshot.created_at.timestamp())
        return response


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
