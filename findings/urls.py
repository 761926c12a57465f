from django.urls import path

from findings import feeds, views

app_name = "findings"

urlpatterns = [
    path("findings/", views.FindingListView.as_view(), name="finding-list"),
    path("findings/<int:pk>/", views.FindingDetailView.as_view(), name="finding-detail"),
    path("findings/<int:pk>/cite.<str:cite>", views.FindingDetailView.as_view(), name="finding-cite"),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation-list"),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/cite.<str:cite>",
        views.RecommendationDetailView.as_view(),
        name="recommendation-cite",
    ),
    path("feeds/findings/", feeds.FindingsFeed(), name="feed-findings"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeFeed(), name="feed-theme"),
]
