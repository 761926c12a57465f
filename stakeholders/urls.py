from django.urls import path

from stakeholders import views

app_name = "stakeholders"

urlpatterns = [
    path("organisations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organisations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
]
