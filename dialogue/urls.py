from django.urls import path

from dialogue import feeds, views

app_name = "dialogue"

urlpatterns = [
    path("dialogues/", views.DialogueListView.as_view(), name="dialogue-list"),
    path("dialogues.ics", feeds.dialogues_ical, name="dialogue-calendar"),
    path("dialogues/<slug:slug>/", views.DialogueDetailView.as_view(), name="dialogue-detail"),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
]
