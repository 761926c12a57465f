"""Public pages of findings and recommendations."""

from django.views.generic import DetailView, ListView

from findings import selectors


class FindingListView(ListView):
    template_name = "findings/finding_list.html"
    context_object_name = "findings"
    paginate_by = 20

    def get_queryset(self):
        return selectors.finding_list_public()


class FindingDetailView(DetailView):
    template_name = "findings/finding_detail.html"
    context_object_name = "finding"

    def get_object(self, queryset=None):
        return selectors.finding_get_public(pk=self.kwargs["pk"])


class RecommendationListView(ListView):
    template_name = "findings/recommendation_list.html"
    context_object_name = "recommendations"
    paginate_by = 20

    def get_queryset(self):
        return selectors.recommendation_list_public()


class RecommendationDetailView(DetailView):
    template_name = "findings/recommendation_detail.html"
    context_object_name = "recommendation"

    def get_object(self, queryset=None):
        return selectors.recommendation_get_public(pk=self.kwargs["pk"])
