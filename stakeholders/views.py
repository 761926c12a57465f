"""Public pages of organisations and people.

Dialogues and recommendations sit in higher apps, so these pages list them through those apps'
template tags (`atlas_dialogue`, `atlas_findings`); this module imports neither.
"""

from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from core.pages import Citation, PreviewMixin, absolute_url
from stakeholders import selectors


class OrganizationListView(ListView):
    """Published organisations by name."""

    template_name = "stakeholders/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.organization_list_public().order_by("name", "pk")


class OrganizationDetailView(PreviewMixin, DetailView):
    """An organisation: what it is, its people, the dialogues it organised, what is asked of it."""

    template_name = "stakeholders/organization_detail.html"
    context_object_name = "organization"
    preview_permission = "stakeholders.view_organization"

    def get_public_object(self):
        return selectors.organization_get_public(slug=self.kwargs["slug"])

    def get_preview_object(self):
        return selectors.organization_get_preview(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        url = absolute_url(self.request, organization.get_absolute_url())
        parent = organization.parent if organization.parent and organization.parent.is_published else None
        context["parent"] = parent
        context["children"] = list(selectors.organization_children_public(organization=organization))
        context["people"] = list(selectors.organization_people_public(organization=organization))
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "@id": url,
            "url": url,
            "name": organization.name,
            "inLanguage": get_language(),
        }
        if organization.acronym:
            data["alternateName"] = organization.acronym
        if organization.website:
            data["sameAs"] = organization.website
        if organization.country:
            data["address"] = {"@type": "PostalAddress", "addressCountry": organization.country.code}
        if parent:
            data["parentOrganization"] = {"@type": "Organization", "name": parent.name}
        context["jsonld"] = data
        context["citation"] = Citation(
            key=f"atlas-organisation-{organization.slug}", title=organization.name, url=url
        )
        return context


class PersonDetailView(DetailView):
    """A person who consented to be listed; contact details and notes never leave the admin."""

    template_name = "stakeholders/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return selectors.person_detail_public(slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        url = absolute_url(self.request, person.get_absolute_url())
        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "@id": url,
            "url": url,
            "name": person.full_name,
            "givenName": person.given_name,
            "familyName": person.family_name,
        }
        if person.name_original:
            data["alternateName"] = person.name_original
        if person.position:
            data["jobTitle"] = person.position
        if person.public_organization:
            data["affiliation"] = {"@type": "Organization", "name": person.public_organization.name}
        context["jsonld"] = data
        context["citation"] = Citation(key=f"atlas-person-{person.slug}", title=person.full_name, url=url)
        return context
