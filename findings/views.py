"""Public pages of findings and recommendations."""

import heapq

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView
from django_countries.fields import Country

from core.citations import CitationDownloadMixin
from core.fragments import CardRecords
from core.highlight import best_snippet, match_pattern
from core.memo import public_local_memo, public_memo
from core.pages import SITE_NAME, Citation, FilteredListMixin, PreviewMixin, absolute_url, query_with
from core.search import LANGUAGES
from dialogue import selectors as dialogue_selectors
from findings import selectors
from findings.filters import FindingFilterSet, RecommendationFilterSet
from findings.models import FINDING_SEARCH_FIELDS, RecommendationStatus

FACET_LIMIT = 12
# A search with these filters only can come from the in-memory index (findings.selectors.indexed).
INDEXED_FILTERS = {"q", "theme", "dialogue", "kind", "perspective"}


class IndexedHits:
    """A search index's matches as the paginator takes them: counted free, each page ordered from
    what can reach it and read in one go (the text its snippets need; cards not kept yet read their
    full records, core.fragments)."""

    counted = True  # its count is free: no memo (core.pagination.PublicPaginator)

    def __init__(self, search):
        self.search = search

    def count(self) -> int:
        return len(self.search)

    def __len__(self) -> int:
        return len(self.search)

    def __getitem__(self, window: slice) -> list:
        ids = self.search.ranked(window.stop)[window.start :]
        found = selectors.finding_snippets_public(ids=ids, versions=self.search.versions)
        return CardRecords([found[pk] for pk in ids if pk in found], _full_findings, self.search.versions)


def _full_findings(ids) -> dict:
    return {finding.pk: finding for finding in selectors.finding_list_public().filter(pk__in=ids)}


class FindingListView(FilteredListMixin, ListView):
    """Findings with full-text search and facets (theme, dialogue, kind, perspective) with counts.

    Its filters are the API's (FindingFilterSet): the facets are four of them, the search box
    another, and any other one given in the query string applies and shows as an active filter.
    """

    template_name = "findings/finding_list.html"
    context_object_name = "findings"
    paginate_by = 20
    filterset_class = FindingFilterSet
    facets = ("theme", "dialogue", "kind", "perspective")

    def offer_records(self, filterset):
        # The facets' values come from the public selectors (two queries, once per public data
        # state in each process: core.memo.public_local_memo); checking a theme or a dialogue
        # given in the query string then takes none.
        self.themes = public_local_memo(
            "finding-list:themes", lambda: list(dialogue_selectors.theme_list_public())
        )
        self.dialogues = public_local_memo(
            "finding-list:dialogues",
            lambda: list(
                dialogue_selectors.dialogue_list_public_bare().only(
                    "slug", *(f"title_{lang}" for lang in LANGUAGES)
                )
            ),
        )
        language = get_language()
        for name, records in (("theme", self.themes), ("dialogue", self.dialogues)):
            labels = public_local_memo(
                f"finding-list:{name}-choices:{language}",
                lambda records=records: [(record.slug, str(record)) for record in records],
            )
            filterset.offer(name, records, labels)

    indexed = None

    def filtered(self):
        # A search with the facets' filters only: from the in-memory index when it is ready.
        if self.filter_values.get("q") and set(self.filter_values) <= INDEXED_FILTERS:
            cleaned = self.filterset.form.cleaned_data
            self.indexed = selectors.finding_search_indexed(
                text=self.filter_values["q"],
                language=get_language(),
                filters={name: cleaned.get(name) for name in self.facets},
                themes=self.themes,
                dialogues=self.dialogues,
            )
            if self.indexed is not None:
                return IndexedHits(self.indexed)
        return super().filtered()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        text = self.filter_values.get("q", "")
        context["facets"] = self._facets() if self.form_is_valid else []
        context["pattern"] = match_pattern(text) if self.form_is_valid else None
        if text:
            pattern = context["pattern"]
            for finding in context["findings"]:
                finding.search_snippet = best_snippet(finding, FINDING_SEARCH_FIELDS, pattern, get_language())
        context["active_filters"] = self.active_filters(skip={"q"})
        return context

    def _choices(self, name: str, language: str) -> dict:
        """value -> (position, label) of a facet's choices; for themes and dialogues (thousands),
        made once per public data state in each process from the offered choices."""

        def positions():
            return {
                value: (at, label)
                for at, (value, label) in enumerate(self.filterset.form.fields[name].choices)
                if value
            }

        if name in ("theme", "dialogue"):
            return public_local_memo(f"finding-list:{name}-positions:{language}", positions)
        return positions()

    def _facets(self):
        language = get_language()
        if self.indexed is not None:
            counts = self.indexed.counts
        else:
            counts = public_memo(
                f"finding-facets:{self.filters}:{language}",
                lambda: selectors.finding_facet_counts_public(matching=self.filterset.queryset_without),
            )
        fields = self.filterset.form.fields
        facets = []
        for name in self.facets:
            selected = self.filter_values.get(name)
            choices = self._choices(name, language)
            shown = ({value for value, count in counts[name].items() if count} | {selected}) & choices.keys()
            if len(shown) > FACET_LIMIT:
                # The busiest values (and the selected one); the filter form still reaches the rest.
                def busy(value, name=name, choices=choices):
                    return (-counts[name].get(value, 0), str(choices[value][1]))

                busiest = heapq.nsmallest(FACET_LIMIT, shown, key=busy)
                shown = set(busiest) | ({selected} & shown)
            items = [
                {
                    "value": value,
                    "label": choices[value][1],
                    "count": counts[name].get(value, 0),
                    "selected": value == selected,
                }
                for value in sorted(shown, key=lambda value: choices[value][0])
            ]
            for item in items:  # links for the values shown only
                item["url"] = query_with(self.request, name, None if item["selected"] else item["value"])
            facets.append({"name": name, "title": fields[name].label, "items": items, "selected": selected})
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
        published=record.published_at.date() if record.published_at else None,
        genre=str(record._meta.verbose_name),
        abstract=getattr(record, "summary", "") or "",
        is_report=True,
    )


class FindingDetailView(CitationDownloadMixin, PreviewMixin, DetailView):
    """A finding: what it says, whose view it is, where it is recorded, what it led to."""

    template_name = "findings/finding_detail.html"
    context_object_name = "finding"
    preview_permission = "findings.view_finding"

    def get_public_object(self):
        return selectors.finding_page_public(pk=self.kwargs["pk"])

    def get_preview_object(self):
        return selectors.finding_get_preview(pk=self.kwargs["pk"])

    def get_citation(self):
        return outcome_citation(self.request, self.object, "finding")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["jsonld"] = finding_jsonld(self.request, self.object)
        context["citation"] = outcome_citation(self.request, self.object, "finding")
        return context


class RecommendationListView(FilteredListMixin, ListView):
    """The recommendations tracker: filter by status, theme and addressee, with status counts.

    Its filters are the API's (RecommendationFilterSet); the form shows `form_fields`, and any
    other one given in the query string applies, shows as an active filter and is kept when the
    form is sent again.
    """

    template_name = "findings/recommendation_list.html"
    context_object_name = "recommendations"
    paginate_by = 25
    filterset_class = RecommendationFilterSet
    form_fields = ("status", "theme", "addressee")

    def offer_records(self, filterset):
        # The selects' choices: public themes, and whom public recommendations address (three
        # queries); checking the values given then takes none.
        filterset.offer("theme", dialogue_selectors.theme_list_public())
        organizations, codes = selectors.recommendation_addressees_public()
        countries = sorted((Country(code=code) for code in codes), key=lambda c: str(c.name))
        choices = [
            (_("Organisations"), [(o.slug, o.name) for o in organizations]),
            (_("Countries"), [(c.code, c.name) for c in countries]),
        ]
        filterset.offer("addressee", organizations, choices)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["form_fields"] = [form[name] for name in self.form_fields]
        context["other_fields"] = [field for field in form if field.name not in self.form_fields]
        context["active_filters"] = self.active_filters(skip=self.form_fields)
        if self.form_is_valid:
            selected = self.filter_values.get("status")
            counts = public_memo(
                f"recommendation-facets:{self.filters}",
                lambda: selectors.recommendation_facet_counts_public(
                    matching=self.filterset.queryset_without
                ),
            )
            context["status_counts"] = [
                {"value": value, "label": label, "count": counts["status"].get(value, 0),
                 "selected": value == selected,
                 "url": query_with(self.request, "status", None if value == selected else value)}
                for value, label in RecommendationStatus.choices
            ]  # fmt: skip
            context["status_total"] = sum(counts["status"].values())
        return context


class RecommendationDetailView(CitationDownloadMixin, PreviewMixin, DetailView):
    """A recommendation: its status history and its lineage across dialogue editions."""

    template_name = "findings/recommendation_detail.html"
    context_object_name = "recommendation"
    preview_permission = "findings.view_recommendation"

    def get_public_object(self):
        return selectors.recommendation_page_public(pk=self.kwargs["pk"])

    def get_preview_object(self):
        return selectors.recommendation_get_preview(pk=self.kwargs["pk"])

    def get_citation(self):
        return outcome_citation(self.request, self.object, "recommendation")

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
