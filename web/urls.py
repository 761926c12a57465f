"""The public site under each language prefix: every app's pages, and the pages composed here.

A composed page keeps the URL name of the app whose record it shows (`dialogue:dialogue-detail`),
so links and reversals do not depend on where the page is composed.
"""

from django.urls import include, path

from dialogue import urls as dialogue_urls
from stakeholders import urls as stakeholder_urls
from web import views

dialogue_pages = [
    *dialogue_urls.urlpatterns,
    path("dialogues/<slug:slug>/", views.DialogueDetailPage.as_view(), name="dialogue-detail"),
    path("dialogues/<slug:slug>/cite.<str:cite>", views.DialogueDetailPage.as_view(), name="dialogue-cite"),
    path("themes/", views.ThemeListPage.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailPage.as_view(), name="theme-detail"),
]
stakeholder_pages = [
    *stakeholder_urls.urlpatterns,
    path("organisations/<slug:slug>/", views.OrganizationDetailPage.as_view(), name="organization-detail"),
    path("people/<slug:slug>/", views.PersonDetailPage.as_view(), name="person-detail"),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("", include((dialogue_pages, dialogue_urls.app_name))),
    path("", include("findings.urls")),
    path("", include((stakeholder_pages, stakeholder_urls.app_name))),
]
