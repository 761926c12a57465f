"""The pages that span every app: home, search over everything, and the pages of dialogues,
themes, organisations and people with what the higher apps hold about them.

A lower app's view shows its own records; the view here adds what only a higher app can select
(a dialogue's findings, an organisation's recommendations), so templates render what they are
given and no template reaches up a layer.
"""

from django.utils.translation import get_language
from django.views.generic import TemplateView

from core.highlight import best_snippet, highlight, match_pattern
from core.pages import BadInputMixin
from core.search import ranked_slice
from core.templatetags.atlas import translated_value
from dialogue import selectors as dialogue_selectors
from dialogue import views as dialogue_views
from dialogue.models import DIALOGUE_SEARCH_FIELDS
from dialogue.selectors import THEME_SEARCH_FIELDS
from findings import selectors
from findings.models import FINDING_SEARCH_FIELDS, RECOMMENDATION_SEARCH_FIELDS
from stakeholders import selectors as stakeholder_selectors
from stakeholders import views as stakeholder_views
from stakeholders.selectors import ORGANIZATION_SEARCH_FIELDS
from web.charts import theme_statistics
from web.forms import SearchForm

HOME_DIALOGUES = 3
HOME_FINDINGS = 6
SEARCH_RESULTS_PER_KIND = 10
THEME_PAGE_LIMIT = 50


class HomeView(TemplateView):
    """Latest dialogues, key findings and the themes."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dialogues"] = list(dialogue_selectors.dialogue_list_public()[:HOME_DIALOGUES])
        context["key_findings"] = list(selectors.finding_list_key_public()[:HOME_FINDINGS])
        context["themes"] = dialogue_selectors.theme_tree_public()
        context["search_form"] = SearchForm()
        return context


class SearchView(BadInputMixin, TemplateView):
    """One box over dialogues, findings, recommendations, themes and organisations, in any language."""

    template_name = "search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context["form"] = form
        context["groups"] = []
        context["query"] = ""
        if form.is_bound and not form.is_valid():
            self.form_is_valid = False
            return context
        query = form.cleaned_data.get("q", "") if form.is_bound else ""
        context["query"] = query
        if not query:
            return context
        language = get_language()
        pattern = match_pattern(query)
        sources = [
            ("dialogues", dialogue_selectors.dialogue_search_public, DIALOGUE_SEARCH_FIELDS, "title", None),
            ("findings", selectors.finding_search_public, FINDING_SEARCH_FIELDS, "title", "findings"),
            (
                "recommendations",
                selectors.recommendation_search_public,
                RECOMMENDATION_SEARCH_FIELDS,
                "title",
                None,
            ),
            ("themes", dialogue_selectors.theme_search_public, THEME_SEARCH_FIELDS, "name", None),
            (
                "organisations",
                stakeholder_selectors.organization_search_public,
                ORGANIZATION_SEARCH_FIELDS,
                "name",
                None,
            ),
        ]
        groups, total = [], 0
        for key, search, fields, title_field, more in sources:
            count, found = ranked_slice(search(text=query, language=language), 0, SEARCH_RESULTS_PER_KIND)
            total += count
            results = []
            for obj in found:
                title, title_lang = translated_value(obj, title_field)
                results.append(
                    {
                        "object": obj,
                        "url": obj.get_absolute_url(),
                        "title": highlight(title, pattern),
                        "title_lang": title_lang,
                        "snippet": best_snippet(obj, fields, pattern, language),
                    }
                )
            groups.append({"key": key, "count": count, "results": results, "more": more})
        context["groups"] = groups
        context["total"] = total
        return context


class DialogueDetailPage(dialogue_views.DialogueDetailView):
    """A dialogue's page, with its public findings and recommendations in their order; a staff
    preview shows every finding and recommendation, drafts marked, as the page will be."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dialogue = self.object
        if self.is_preview:
            findings = selectors.findings_of_dialogue_preview(dialogue=dialogue)
            recommendations = selectors.recommendations_of_dialogue_preview(dialogue=dialogue)
        else:
            findings = selectors.findings_of_dialogue_public(dialogue=dialogue)
            recommendations = selectors.recommendations_of_dialogue_public(dialogue=dialogue)
        context["outcomes"] = {"findings": list(findings), "recommendations": list(recommendations)}
        return context


class ThemeListPage(dialogue_views.ThemeListView):
    """The themes, with the charts of findings and recommendation status per theme."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stats"] = theme_statistics()
        return context


class ThemeDetailPage(dialogue_views.ThemeDetailView):
    """A theme's page, with up to THEME_PAGE_LIMIT public findings and recommendations on it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        findings = selectors.findings_of_theme_public(theme=self.object)
        recommendations = selectors.recommendations_of_theme_public(theme=self.object)
        context["outcomes"] = {
            "findings": list(findings[:THEME_PAGE_LIMIT]),
            "findings_count": findings.count(),
            "recommendations": list(recommendations[:THEME_PAGE_LIMIT]),
            "recommendations_count": recommendations.count(),
            "limit": THEME_PAGE_LIMIT,
        }
        return context


class OrganizationDetailPage(stakeholder_views.OrganizationDetailView):
    """An organisation's page, with the dialogues it organised and the recommendations addressed to it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        context["roles"] = list(
            dialogue_selectors.organizer_roles_of_organization_public(organization=organization)
        )
        context["recommendations"] = list(
            selectors.recommendations_addressed_to_public(organization=organization)
        )
        return context


class PersonDetailPage(stakeholder_views.PersonDetailView):
    """A consenting person's page, with their public participations."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["participations"] = list(
            dialogue_selectors.participations_of_person_public(person=self.object)
        )
        return context
