"""Root URLs: operations, admin, the API, and the language-prefixed public site."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from core import views
from web import sitemaps

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("partners.urls", namespace="api")),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.sitemap_index, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
]

if getattr(settings, "ANYMAIL", None):  # bounces and complaints from the mail provider
    urlpatterns.append(path("anymail/", include("anymail.urls")))

urlpatterns += i18n_patterns(
    path("", include("web.urls")),
    path("alerts/", include("alerts.urls")),
    prefix_default_language=True,
)

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
