"""/api/v1/: one router assembled from each app's api.py, the change feed, schema and docs."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from dialogue import api as dialogue_api
from findings import api as findings_api
from partners.views import ApiRootView, ChangeViewSet, DocsView, NotFoundView, SchemaView, SnapshotViewSet
from stakeholders import api as stakeholders_api

app_name = "api"

router = SimpleRouter()
for module in (dialogue_api, findings_api, stakeholders_api):
    for prefix, viewset in module.ROUTES:
        router.register(prefix, viewset, basename=prefix)
router.register("changes", ChangeViewSet, basename="changes")
router.register("snapshots", SnapshotViewSet, basename="snapshots")

urlpatterns = [
    path("v1/", ApiRootView.for_router(router), name="root"),
    path("v1/schema/", SchemaView.as_view(), name="schema"),
    path("v1/docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
    # Any other path ending in a slash, /api/ itself included (others get the slash appended
    # first): a JSON 404, counted against the limits like any other answer.
    re_path(r"^(?:.*/)?$", NotFoundView.as_view(), name="not-found"),
]
