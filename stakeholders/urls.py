"""Stakeholder pages that show this app's records only.

An organisation's and a person's pages list dialogues and recommendations too: `web.urls` routes
them, under this app's namespace.
"""

from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("organisations/", views.OrganizationListView.as_view(), name="organization-list"),
]
