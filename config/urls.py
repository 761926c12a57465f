"""Root URLs: operations, admin, the API, and the language-prefixed public site."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("dialogue.urls")),
    path("", include("findings.urls")),
    path("", include("stakeholders.urls")),
    prefix_default_language=True,
)
