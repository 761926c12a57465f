"""Reads of the public site: pages, previews, filtered lists with facet counts, search, charts."""

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Case, Count, F, Prefetch, QuerySet, When
from django.shortcuts import get_object_or_404

from core.search import search_filter
from dialogue.models import Dialogue, Theme
from dialogue.selectors import organizer_roles_public, public_themes_prefetch, theme_family_public
from findings.models import (
    FINDING_SEARCH_FIELDS,
    RECOMMENDATION_SEARCH_FIELDS,
    Finding,
    FindingKind,
    Recommendation,
    RecommendationUpdate,
)
from findings.selectors.base import (
    FINDING_ORDERING,
    RECOMMENDATION_ORDERING,
    finding_list_public,
    public_source_document_prefetch,
    recommendation_labels_prefetch,
    recommendation_lineages_public,
    recommendation_list_public,
)
from stakeholders.models import Organization

FindingThemes = Finding.themes.through
RecommendationThemes = Recommendation.themes.through


def _theme_root():
    # A row tagged with a sub-theme of a public theme counts for its parent as well.
    return Case(
        When(theme__parent__in=Theme.objects.public(), then=F("theme__parent__slug")),
        default=F("theme__slug"),
    )


def _theme_counts(rows: QuerySet, owner: str) -> dict[str, int]:
    """Distinct records per public theme slug, a top-level theme counting its sub-themes' records."""
    rows = rows.filter(theme__in=Theme.objects.public())
    counts = dict(rows.values_list("theme__slug").annotate(count=Count(owner, distinct=True)).order_by())
    families = (
        rows.annotate(root=_theme_root()).values_list("root").annotate(count=Count(owner, distinct=True))
    )
    counts.update(dict(families.order_by()))
    return counts


def _organizers_prefetch() -> Prefetch:
    # The dialogue's public organisers, for citations ("authors") on detail pages.
    return Prefetch(
        "dialogue__organizer_roles", queryset=organizer_roles_public(), to_attr="public_organizers"
    )


def _finding_page(queryset: QuerySet[Finding]) -> QuerySet[Finding]:
    return queryset.select_related("dialogue").prefetch_related(
        public_themes_prefetch(),
        public_source_document_prefetch(),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.public()
            .order_by(*RECOMMENDATION_ORDERING)
            .prefetch_related(*recommendation_labels_prefetch()),
            to_attr="public_recommendations",
        ),
        _organizers_prefetch(),
    )


def finding_page_public(*, pk: int) -> Finding:
    """A public finding with everything its page shows (public-only lists), or 404."""
    return get_object_or_404(_finding_page(Finding.objects.public()), pk=pk)


def finding_get_preview(*, pk: int) -> Finding:
    """Any finding by id for a staff preview (the view checks rights); related lists stay public-only."""
    return get_object_or_404(_finding_page(Finding.objects.all()), pk=pk)


FINDING_FACETS = ("theme", "dialogue", "kind", "perspective")


def finding_facet_counts_public(*, matching: Callable[[str], QuerySet[Finding]]) -> dict[str, dict[str, int]]:
    """Public-finding counts per theme slug, dialogue slug, kind and perspective, in one query.

    `matching(facet)` gives the public findings matching every filter of the list but that facet's
    (findings.filters), so the numbers say how many results choosing a value would give. Each
    distinct set of matches is read once, as a materialized common table expression (a search
    list with no facet chosen reads its matches once for all four facets, instead of running the
    search again per facet), and every count is a GROUP BY over it, in one statement whatever the
    corpus size. A theme counts the findings tagged with it, and a public top-level theme also
    those tagged with its public sub-themes.
    """
    connection = connections[router.db_for_read(Finding)]
    quote = connection.ops.quote_name
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    tables, params, names = [], [], {}
    for facet in FINDING_FACETS:
        columns = dict(m_id=F("pk"), m_dialogue=F("dialogue_id"), m_kind=F("kind"), m_view=F("perspective"))
        rows = matching(facet).order_by().annotate(**columns).values_list(*columns)
        try:
            sql, values = rows.query.sql_with_params()
        except EmptyResultSet:  # nothing can match (e.g. a filter on an empty set)
            names[facet] = None
            continue
        if (sql, values) not in names:
            names[(sql, values)] = f"facet_matches_{len(names)}"
            tables.append(f"{names[(sql, values)]} AS {materialized}({sql})")
            params.extend(values)
        names[facet] = names[(sql, values)]
    public_themes, theme_params = Theme.objects.public().order_by().values("pk").query.sql_with_params()
    themes, dialogues = quote(Theme._meta.db_table), quote(Dialogue._meta.db_table)
    tagged = quote(FindingThemes._meta.db_table)
    branches = {
        "kind": [f"SELECT 'kind', m.m_kind, COUNT(*) FROM {names['kind']} m GROUP BY m.m_kind"],
        "perspective": [
            f"SELECT 'perspective', m.m_view, COUNT(*) FROM {names['perspective']} m GROUP BY m.m_view"
        ],
        "dialogue": [
            f"SELECT 'dialogue', d.slug, COUNT(*) FROM {names['dialogue']} m "
            f"JOIN {dialogues} d ON d.id = m.m_dialogue GROUP BY d.slug"
        ],
        # Each finding has a theme at most once: a theme's count is its rows; a family (a public
        # top-level theme and its public sub-themes) counts each finding once.
        "theme": [
            "SELECT 'theme', slug, COUNT(*) FROM facet_tags GROUP BY slug",
            "SELECT 'family', root, COUNT(*) FROM (SELECT DISTINCT finding, root FROM facet_tags) f "
            "GROUP BY root",
        ],
    }
    if names["theme"]:
        # The public themes of the matches, once: (finding, theme, the theme's family).
        tables.append(
            f"facet_tags AS {materialized}(SELECT tagged.finding_id AS finding, t.slug AS slug, "
            f"CASE WHEN t.parent_id IN ({public_themes}) THEN parent.slug ELSE t.slug END AS root "
            f"FROM {names['theme']} m JOIN {tagged} tagged ON tagged.finding_id = m.m_id "
            f"JOIN {themes} t ON t.id = tagged.theme_id LEFT JOIN {themes} parent ON parent.id = t.parent_id "
            f"WHERE t.id IN ({public_themes}))"
        )
        params += [*theme_params, *theme_params]
    wanted = [facet for facet in FINDING_FACETS if names[facet]]
    counts: dict[str, dict[str, int]] = {facet: {} for facet in (*FINDING_FACETS, "family")}
    if wanted:
        branches = [branch for facet in wanted for branch in branches[facet]]
        statement = f"WITH {', '.join(tables)} " + " UNION ALL ".join(branches)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            for facet, value, count in cursor.fetchall():
                counts[facet][value] = count
    counts["theme"].update(counts.pop("family"))
    return counts


def finding_list_key_public() -> QuerySet[Finding]:
    """Public key findings, most recently published first."""
    return finding_list_public().filter(kind=FindingKind.KEY_FINDING).order_by("-published_at", "order", "pk")


def finding_list_latest_public() -> QuerySet[Finding]:
    """Public findings, most recently published first (feeds)."""
    return finding_list_public().order_by("-published_at", "-pk")


def finding_search_public(*, text: str, language: str) -> QuerySet[Finding]:
    """Public findings matching `text` in any language, best first. Raises SearchQueryTooLong."""
    return search_filter(finding_list_public(), text=text, fields=FINDING_SEARCH_FIELDS, language=language)


def findings_of_dialogue_public(*, dialogue: Dialogue) -> QuerySet[Finding]:
    """Public findings of a dialogue in their order (none if the dialogue is hidden)."""
    return finding_list_public().filter(dialogue=dialogue).order_by("order", "pk")


def findings_of_dialogue_preview(*, dialogue: Dialogue) -> QuerySet[Finding]:
    """Every finding of a dialogue, drafts included, for a staff preview (the view checks rights)."""
    return (
        Finding.objects.filter(dialogue=dialogue)
        .select_related("dialogue")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.all(), to_attr="public_themes"))
        .order_by("order", "pk")
    )


def findings_of_theme_public(*, theme: Theme) -> QuerySet[Finding]:
    """Public findings on a theme, across dialogues, newest dialogue first (none if it is hidden)."""
    return (
        finding_list_public()
        .filter(
            pk__in=FindingThemes.objects.filter(theme__in=theme_family_public(theme=theme)).values(
                "finding_id"
            )
        )
        .order_by(*FINDING_ORDERING)
    )


def _recommendation_page(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return queryset.select_related("dialogue").prefetch_related(
        *recommendation_labels_prefetch(),
        Prefetch(
            "updates",
            queryset=RecommendationUpdate.objects.order_by("update_date", "pk"),
            to_attr="public_updates",
        ),
        Prefetch(
            "source_findings",
            queryset=Finding.objects.public()
            .select_related("dialogue")
            .order_by("order", "pk")
            .prefetch_related(public_themes_prefetch()),
            to_attr="public_source_findings",
        ),
        Prefetch(
            "follow_ups",
            queryset=Recommendation.objects.public()
            .select_related("dialogue")
            .order_by("dialogue__start_date", "pk"),
            to_attr="public_follow_ups",
        ),
        _organizers_prefetch(),
    )


def _with_lineage(recommendation: Recommendation) -> Recommendation:
    # The same lineage as the API record's (`public_lineage`).
    recommendation.public_lineage = recommendation_lineages_public(recommendations=[recommendation])[
        recommendation.pk
    ]
    return recommendation


def recommendation_page_public(*, pk: int) -> Recommendation:
    """A public recommendation with its page's lists (public-only) and `public_lineage`, or 404."""
    return _with_lineage(get_object_or_404(_recommendation_page(Recommendation.objects.public()), pk=pk))


def recommendation_get_preview(*, pk: int) -> Recommendation:
    """Any recommendation by id for a staff preview (the view checks rights); lists stay public-only."""
    return _with_lineage(get_object_or_404(_recommendation_page(Recommendation.objects.all()), pk=pk))


def recommendation_facet_counts_public(
    *, matching: Callable[[str], QuerySet[Recommendation]]
) -> dict[str, dict[str, int]]:
    """Public-recommendation counts per implementation status and per theme slug (two queries).

    `matching(facet)`: the public recommendations matching every filter but that facet's.
    """
    statuses = (
        Recommendation.objects.filter(pk__in=matching("status").order_by().values("pk"))
        .values_list("current_status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    themes = _theme_counts(
        RecommendationThemes.objects.filter(recommendation_id__in=matching("theme").order_by().values("pk")),
        "recommendation_id",
    )
    return {"status": dict(statuses), "theme": themes}


def recommendation_addressees_public() -> tuple[list[Organization], list[str]]:
    """Who public recommendations address: published organisations, and country codes (two queries)."""
    public = Recommendation.objects.public()
    organizations = list(
        Organization.objects.public()
        .filter(
            pk__in=Recommendation.addressee_organizations.through.objects.filter(
                recommendation__in=public
            ).values("organization_id")
        )
        .order_by("name")
    )
    codes: set[str] = set()
    for value in (
        public.exclude(addressee_countries="").values_list("addressee_countries", flat=True).distinct()
    ):
        # values_list gives the stored text ("CA,KR"), not Country objects.
        codes.update(code for code in str(value).split(",") if code)
    return organizations, sorted(codes)


def recommendation_search_public(*, text: str, language: str) -> QuerySet[Recommendation]:
    """Public recommendations matching `text` in any language, best first. Raises SearchQueryTooLong."""
    return search_filter(
        recommendation_list_public(), text=text, fields=RECOMMENDATION_SEARCH_FIELDS, language=language
    )


def recommendations_of_dialogue_public(*, dialogue: Dialogue) -> QuerySet[Recommendation]:
    """Public recommendations of a dialogue in their order (none if the dialogue is hidden)."""
    return recommendation_list_public().filter(dialogue=dialogue).order_by("order", "pk")


def recommendations_of_dialogue_preview(*, dialogue: Dialogue) -> QuerySet[Recommendation]:
    """Every recommendation of a dialogue, drafts included, for a staff preview."""
    return (
        Recommendation.objects.filter(dialogue=dialogue)
        .select_related("dialogue")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.all(), to_attr="public_themes"),
            Prefetch(
                "addressee_organizations", queryset=Organization.objects.all(), to_attr="public_addressees"
            ),
            Prefetch(
                "updates",
                queryset=RecommendationUpdate.objects.order_by("update_date", "pk"),
                to_attr="public_updates",
            ),
        )
        .order_by("order", "pk")
    )


def recommendations_of_theme_public(*, theme: Theme) -> QuerySet[Recommendation]:
    """Public recommendations on a theme, across dialogues, newest first (none if it is hidden)."""
    return (
        recommendation_list_public()
        .filter(
            pk__in=RecommendationThemes.objects.filter(theme__in=theme_family_public(theme=theme)).values(
                "recommendation_id"
            )
        )
        .order_by(*RECOMMENDATION_ORDERING)
    )


def recommendations_addressed_to_public(*, organization: Organization) -> QuerySet[Recommendation]:
    """Public recommendations addressed to a (public) organisation, newest first."""
    return (
        recommendation_list_public()
        .filter(
            pk__in=Recommendation.addressee_organizations.through.objects.filter(
                organization__in=Organization.objects.public().filter(pk=organization.pk)
            ).values("recommendation_id")
        )
        .order_by(*RECOMMENDATION_ORDERING)
    )


def theme_finding_counts_public() -> dict[str, int]:
    """Public findings per public theme slug, a top-level theme counting its sub-themes'. Two queries."""
    return _theme_counts(FindingThemes.objects.filter(finding__in=Finding.objects.public()), "finding_id")


def theme_recommendation_status_counts_public() -> dict[str, dict[str, int]]:
    """Public recommendations per public theme slug and implementation status (sub-themes included)."""
    rows = RecommendationThemes.objects.filter(
        recommendation__in=Recommendation.objects.public(), theme__in=Theme.objects.public()
    )
    direct = rows.values_list("theme__slug", "recommendation__current_status")
    families = rows.annotate(root=_theme_root()).values_list("root", "recommendation__current_status")
    counts: dict[str, dict[str, int]] = {}
    for grouped in (direct, families):
        for slug, status, count in grouped.annotate(
            count=Count("recommendation_id", distinct=True)
        ).order_by():
            counts.setdefault(slug, {})[status] = count
    return counts
