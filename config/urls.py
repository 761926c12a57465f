"""Root URLs: operations, admin, the API, and the language-prefixed public site."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from config import pages, views
from dialogue.sitemaps import DialogueSitemap, ThemeSitemap
from findings import views as public_views
from findings.sitemaps import FindingSitemap, RecommendationSitemap
from stakeholders.sitemaps import OrganizationSitemap, PersonSitemap

sitemaps = {
    "pages": pages.StaticPagesSitemap,
    "dialogues": DialogueSitemap,
    "themes": ThemeSitemap,
    "findings": FindingSitemap,
    "recommendations": RecommendationSitemap,
    "organisations": OrganizationSitemap,
    "people": PersonSitemap,
}

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("config.api.urls", namespace="api")),
    path("robots.txt", pages.robots_txt, name="robots"),
    path("sitemap.xml", pages.sitemap_index, {"sitemaps": sitemaps}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": sitemaps}, name="sitemap-section"),
]

urlpatterns += i18n_patterns(
    path("", public_views.HomeView.as_view(), name="home"),
    path("search/", public_views.SearchView.as_view(), name="search"),
    path("", include("dialogue.urls")),
    path("", include("findings.urls")),
    path("", include("stakeholders.urls")),
    prefix_default_language=True,
)
