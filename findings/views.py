"""Public pages of findings and recommendations."""

from django.utils.translation import get_language
from django.views.generic import DetailView, ListView
from django_countries.fields import Country

from core.cache import public_memo
from core.highlight import best_snippet, match_pattern
from core.pages import SITE_NAME, BadInputMixin, Citation, PreviewMixin, absolute_url
from core.search import LANGUAGES, SearchQueryTooLong
from dialogue import selectors as dialogue_selectors
from findings import selectors
from findings.forms import FindingFilterForm, RecommendationFilterForm
from findings.models import (
    FINDING_SEARCH_FIELDS,
    FindingKind,
    Perspective,
    RecommendationStatus,
)

FACET_LIMIT = 12


def query_with(request, name: str, value: str | None) -> str:
    """The current query string with `name` set to `value` (or removed), back on page one."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop(name, None)
    if value:
        query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


class FindingListView(BadInputMixin, ListView):
    """Findings with full-text search and facets (theme, dialogue, kind, perspective) with counts."""

    template_name = "findings/finding_list.html"
    context_object_name = "findings"
    paginate_by = 20

    def get_form(self):
        # The choices themselves come from the public selectors (two queries).
        self.themes = list(dialogue_selectors.theme_list_public())
        self.dialogues = list(
            dialogue_selectors.dialogue_list_public()
            .select_related(None)
            .prefetch_related(None)
            .only("slug", *(f"title_{lang}" for lang in LANGUAGES))
        )
        return FindingFilterForm(self.request.GET, themes=self.themes, dialogues=self.dialogues)

    def get_queryset(self):
        self.form = self.get_form()
        self.form_is_valid = self.form.is_valid()
        if not self.form_is_valid:
            self.filters = None
            return selectors.finding_list_public().none()
        data = self.form.cleaned_data
        self.filters = selectors.FindingFilters(
            text=data["q"], theme=data["theme"], dialogue=data["dialogue"], kind=data["kind"],
            perspective=data["perspective"],
        )  # fmt: skip
        try:
            return selectors.finding_filter_public(filters=self.filters, language=get_language())
        except SearchQueryTooLong:  # the form already refuses this; kept as a guard
            self.form_is_valid = False
            return selectors.finding_list_public().none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        context["facets"] = self._facets() if self.filters else []
        context["pattern"] = match_pattern(self.filters.text) if self.filters else None
        if self.filters and self.filters.text:
            pattern = context["pattern"]
            for finding in context["findings"]:
                finding.search_snippet = best_snippet(finding, FINDING_SEARCH_FIELDS, pattern, get_language())
        context["active_filters"] = self._active()
        return context

    def _active(self):
        if not self.filters:
            return []
        labels = {
            "theme": {t.slug: t.name for t in self.themes},
            "dialogue": {d.slug: d.title for d in self.dialogues},
            "kind": dict(FindingKind.choices),
            "perspective": dict(Perspective.choices),
        }
        return [
            {
                "name": name,
                "value": getattr(self.filters, name),
                "label": labels[name].get(getattr(self.filters, name), ""),
                "remove_url": query_with(self.request, name, None),
            }
            for name in ("theme", "dialogue", "kind", "perspective")
            if getattr(self.filters, name)
        ]

    def _facets(self):
        language = get_language()
        counts = public_memo(
            f"finding-facets:{self.filters!r}:{language}",
            lambda: selectors.finding_facet_counts_public(filters=self.filters, language=language),
        )
        options = {
            "theme": [(t.slug, t.name) for t in self.themes],
            "dialogue": [(d.slug, d.title) for d in self.dialogues],
            "kind": list(FindingKind.choices),
            "perspective": list(Perspective.choices),
        }
        titles = {
            "theme": FindingFilterForm.base_fields["theme"].label,
            "dialogue": FindingFilterForm.base_fields["dialogue"].label,
            "kind": FindingFilterForm.base_fields["kind"].label,
            "perspective": FindingFilterForm.base_fields["perspective"].label,
        }
        facets = []
        for name, values in options.items():
            selected = getattr(self.filters, name)
            items = [
                {
                    "value": value,
                    "label": label,
                    "count": counts[name].get(value, 0),
                    "selected": value == selected,
                    "url": query_with(self.request, name, None if value == selected else value),
                }
                for value, label in values
                if counts[name].get(value, 0) or value == selected
            ]
            if len(items) > FACET_LIMIT:
                # The busiest values (and the selected one); the filter form still reaches the rest.
                busiest = sorted(items, key=lambda item: (-item["count"], str(item["label"])))[:FACET_LIMIT]
                keep = {id(item) for item in busiest} | {id(item) for item in items if item["selected"]}
                items = [item for item in items if id(item) in keep]
            facets.append({"name": name, "title": titles[name], "items": items, "selected": selected})
        return facets


def finding_jsonld(request, finding) -> dict:
    """schema.org CreativeWork describing a finding."""
    url = absolute_url(request, finding.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": finding.title,
        "genre": finding.get_kind_display(),
        "inLanguage": get_language(),
        "isPartOf": {"@type": "WebSite", "name": SITE_NAME, "url": absolute_url(request, "/")},
        "about": {
            "@type": "Event",
            "name": finding.dialogue.title,
            "url": absolute_url(request, finding.dialogue.get_absolute_url()),
            "startDate": finding.dialogue.start_date.isoformat(),
        },
        "keywords": ", ".join(theme.name for theme in finding.public_themes),
    }
    if finding.summary:
        data["abstract"] = finding.summary
    if finding.published_at:
        data["datePublished"] = finding.published_at.date().isoformat()
    if finding.updated_at:
        data["dateModified"] = finding.updated_at.date().isoformat()
    return data


def outcome_citation(request, record, kind: str) -> Citation:
    """How to cite a finding or a recommendation: the dialogue's organisers are the authors."""
    dialogue = record.dialogue
    return Citation(
        key=f"atlas-{kind}-{record.pk}",
        title=record.title,
        url=absolute_url(request, record.get_absolute_url()),
        authors=[role.organization.short_name for role in getattr(dialogue, "public_organizers", [])],
        container=dialogue.title,
        date=dialogue.start_date,
    )


class FindingDetailView(PreviewMixin, DetailView):
    """A finding: what it says, whose view it is, where it is recorded, what it led to."""

    template_name = "findings/finding_detail.html"
    context_object_name = "finding"
    preview_permission = "findings.view_finding"

    def get_public_object(self):
        return selectors.finding_page_public(pk=self.kwargs["pk"])

    def get_preview_object(self):
        return selectors.finding_get_preview(pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jsonld"] = finding_jsonld(self.request, self.object)
        context["citation"] = outcome_citation(self.request, self.object, "finding")
        return context


class RecommendationListView(BadInputMixin, ListView):
    """The recommendations tracker: filter by status, theme and addressee, with status counts."""

    template_name = "findings/recommendation_list.html"
    context_object_name = "recommendations"
    paginate_by = 25

    def get_form(self):
        self.themes = list(dialogue_selectors.theme_list_public())
        organizations, codes = selectors.recommendation_addressees_public()
        countries = sorted((Country(code=code) for code in codes), key=lambda c: str(c.name))
        data = self.request.GET.copy()
        addressee = data.get("addressee", "")
        if len(addressee) == 2 and addressee.upper() in codes:
            data["addressee"] = addressee.upper()
        return RecommendationFilterForm(
            data, themes=self.themes, organizations=organizations, countries=countries
        )

    def get_queryset(self):
        self.form = self.get_form()
        self.form_is_valid = self.form.is_valid()
        if not self.form_is_valid:
            self.filters = None
            return selectors.recommendation_list_public().none()
        data = self.form.cleaned_data
        addressee = data["addressee"]
        is_country = addressee in self.form.country_codes
        self.filters = selectors.RecommendationFilters(
            status=data["status"],
            theme=data["theme"],
            addressee_organization="" if is_country else addressee,
            addressee_country=addressee if is_country else "",
        )
        return selectors.recommendation_filter_public(filters=self.filters)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        if self.filters:
            counts = public_memo(
                f"recommendation-facets:{self.filters!r}",
                lambda: selectors.recommendation_facet_counts_public(filters=self.filters),
            )
            context["status_counts"] = [
                {"value": value, "label": label, "count": counts["status"].get(value, 0),
                 "selected": value == self.filters.status,
                 "url": query_with(self.request, "status", None if value == self.filters.status else value)}
                for value, label in RecommendationStatus.choices
            ]  # fmt: skip
            context["status_total"] = sum(counts["status"].values())
        return context


class RecommendationDetailView(PreviewMixin, DetailView):
    """A recommendation: its status history and its lineage across dialogue editions."""

    template_name = "findings/recommendation_detail.html"
    context_object_name = "recommendation"
    preview_permission = "findings.view_recommendation"

    def get_public_object(self):
        return selectors.recommendation_page_public(pk=self.kwargs["pk"])

    def get_preview_object(self):
        return selectors.recommendation_get_preview(pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recommendation = self.object
        url = absolute_url(self.request, recommendation.get_absolute_url())
        data = {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "@id": url,
            "url": url,
            "name": recommendation.title,
            "genre": str(recommendation._meta.verbose_name),
            "creativeWorkStatus": recommendation.get_current_status_display(),
            "inLanguage": get_language(),
            "isPartOf": {"@type": "WebSite", "name": SITE_NAME, "url": absolute_url(self.request, "/")},
            "about": {
                "@type": "Event",
                "name": recommendation.dialogue.title,
                "url": absolute_url(self.request, recommendation.dialogue.get_absolute_url()),
            },
            "keywords": ", ".join(theme.name for theme in recommendation.public_themes),
        }
        if recommendation.published_at:
            data["datePublished"] = recommendation.published_at.date().isoformat()
        if recommendation.public_lineage:
            earlier = recommendation.public_lineage[-1]
            data["isBasedOn"] = absolute_url(self.request, earlier.get_absolute_url())
        context["jsonld"] = data
        context["citation"] = outcome_citation(self.request, recommendation, "recommendation")
        context["addressee_countries"] = list(recommendation.addressee_countries)
        return context
