"""Dialogue pages that show this app's records only.

A dialogue's page and the themes' pages list findings too: `web.urls` routes them, under this
app's namespace.
"""

from django.urls import path

from dialogue import feeds, views

app_name = "dialogue"

urlpatterns = [
    path("dialogues/", views.DialogueListView.as_view(), name="dialogue-list"),
    path("dialogues.ics", feeds.dialogues_ical, name="dialogue-calendar"),
]
