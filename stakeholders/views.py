"""Public pages of organisations and people."""

from django.views.generic import DetailView, ListView

from stakeholders import selectors


class OrganizationListView(ListView):
    template_name = "stakeholders/organization_list.html"
    context_object_name = "organizations"

    def get_queryset(self):
        return selectors.organization_list_public()


class OrganizationDetailView(DetailView):
    template_name = "stakeholders/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset=None):
        return selectors.organization_get_public(slug=self.kwargs["slug"])


class PersonDetailView(DetailView):
    template_name = "stakeholders/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return selectors.person_get_public(slug=self.kwargs["slug"])
