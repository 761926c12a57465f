"""The site's URLs plus one view that fails, to see the 500 page a visitor gets."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("an unexpected bug")


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(path("failing/", failing_view), prefix_default_language=True),
]
