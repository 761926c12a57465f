"""Reads of the public site: pages, previews, filtered lists with facet counts, search, charts."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from core.search import search_filter
from dialogue.models import Dialogue, Theme
from dialogue.selectors import organizer_roles_public
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
    recommendation_labels_prefetch,
    recommendation_lineage_public,
    recommendation_list_public,
)
from stakeholders.models import Organization

FindingThemes = Finding.themes.through
RecommendationThemes = Recommendation.themes.through


def theme_family_of_public(**lookup) -> QuerySet[Theme]:
    """The public theme matching `lookup` and its public sub-themes: what "on this theme" means."""
    public = Theme.objects.public()
    parent = public.filter(**lookup)
    return public.filter(Q(pk__in=parent.values("pk")) | Q(parent__in=parent))


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
    return queryset.select_related("dialogue", "source_document").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.public(), to_attr="public_themes"),
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


@dataclass(frozen=True)
class FindingFilters:
    """Validated filters of the findings list; empty strings mean "any"."""

    text: str = ""
    theme: str = ""
    dialogue: str = ""
    kind: str = ""
    perspective: str = ""


def finding_filter_public(
    *, filters: FindingFilters, language: str, ignore: str | None = None
) -> QuerySet[Finding]:
    """Public findings matching `filters` (all but the `ignore` facet), best match or newest first.

    Raises SearchQueryTooLong for an over-long text.
    """
    queryset = finding_list_public()
    if filters.theme and ignore != "theme":
        queryset = queryset.filter(
            pk__in=FindingThemes.objects.filter(theme__in=theme_family_of_public(slug=filters.theme)).values(
                "finding_id"
            )
        )
    if filters.dialogue and ignore != "dialogue":
        queryset = queryset.filter(dialogue__slug=filters.dialogue)
    if filters.kind and ignore != "kind":
        queryset = queryset.filter(kind=filters.kind)
    if filters.perspective and ignore != "perspective":
        queryset = queryset.filter(perspective=filters.perspective)
    if filters.text:
        return search_filter(queryset, text=filters.text, fields=FINDING_SEARCH_FIELDS, language=language)
    return queryset.order_by(*FINDING_ORDERING)


def finding_facet_counts_public(*, filters: FindingFilters, language: str) -> dict[str, dict[str, int]]:
    """Public-finding counts per theme slug, dialogue slug, kind and perspective.

    Each facet is counted over the findings matching every other filter, so the numbers say how
    many results choosing that value would give. Four queries whatever the corpus size.
    """

    def matching(ignore: str):
        return (
            finding_filter_public(filters=filters, language=language, ignore=ignore).order_by().values("pk")
        )

    themes = _theme_counts(FindingThemes.objects.filter(finding_id__in=matching("theme")), "finding_id")
    dialogues = (
        Finding.objects.filter(pk__in=matching("dialogue"))
        .values_list("dialogue__slug")
        .annotate(count=Count("pk"))
        .order_by()
    )
    kinds = Finding.objects.filter(pk__in=matching("kind")).values_list("kind").annotate(count=Count("pk"))
    perspectives = (
        Finding.objects.filter(pk__in=matching("perspective"))
        .values_list("perspective")
        .annotate(count=Count("pk"))
    )
    return {
        "theme": themes,
        "dialogue": dict(dialogues),
        "kind": dict(kinds.order_by()),
        "perspective": dict(perspectives.order_by()),
    }


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


def findings_of_theme_public(*, theme: Theme) -> QuerySet[Finding]:
    """Public findings on a theme, across dialogues, newest dialogue first (none if it is hidden)."""
    return (
        finding_list_public()
        .filter(
            pk__in=FindingThemes.objects.filter(theme__in=theme_family_of_public(pk=theme.pk)).values(
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
            .prefetch_related(Prefetch("themes", queryset=Theme.objects.public(), to_attr="public_themes")),
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


def recommendation_page_public(*, pk: int) -> Recommendation:
    """A public recommendation with its page's lists (public-only) and `public_lineage`, or 404."""
    recommendation = get_object_or_404(_recommendation_page(Recommendation.objects.public()), pk=pk)
    recommendation.public_lineage = recommendation_lineage_public(recommendation=recommendation)
    return recommendation


def recommendation_get_preview(*, pk: int) -> Recommendation:
    """Any recommendation by id for a staff preview (the view checks rights); lists stay public-only."""
    recommendation = get_object_or_404(_recommendation_page(Recommendation.objects.all()), pk=pk)
    recommendation.public_lineage = recommendation_lineage_public(recommendation=recommendation)
    return recommendation


@dataclass(frozen=True)
class RecommendationFilters:
    """Validated filters of the recommendations tracker; empty strings mean "any"."""

    status: str = ""
    theme: str = ""
    addressee_organization: str = ""
    addressee_country: str = ""


def _country_in_list(code: str) -> Q:
    # addressee_countries is stored as "CA,KR": match whole codes only.
    return (
        Q(addressee_countries=code)
        | Q(addressee_countries__startswith=f"{code},")
        | Q(addressee_countries__endswith=f",{code}")
        | Q(addressee_countries__contains=f",{code},")
    )


def recommendation_filter_public(
    *, filters: RecommendationFilters, ignore: str | None = None
) -> QuerySet[Recommendation]:
    """Public recommendations matching `filters` (all but the `ignore` facet), newest dialogue first."""
    queryset = recommendation_list_public()
    if filters.status and ignore != "status":
        queryset = queryset.filter(current_status=filters.status)
    if filters.theme and ignore != "theme":
        queryset = queryset.filter(
            pk__in=RecommendationThemes.objects.filter(
                theme__in=theme_family_of_public(slug=filters.theme)
            ).values("recommendation_id")
        )
    if filters.addressee_organization:
        queryset = queryset.filter(
            pk__in=Recommendation.addressee_organizations.through.objects.filter(
                organization__in=Organization.objects.public().filter(slug=filters.addressee_organization)
            ).values("recommendation_id")
        )
    if filters.addressee_country:
        queryset = queryset.filter(_country_in_list(filters.addressee_country))
    return queryset.order_by(*RECOMMENDATION_ORDERING)


def recommendation_facet_counts_public(*, filters: RecommendationFilters) -> dict[str, dict[str, int]]:
    """Public-recommendation counts per implementation status and per theme slug (two queries)."""

    def matching(ignore: str):
        return recommendation_filter_public(filters=filters, ignore=ignore).order_by().values("pk")

    statuses = (
        Recommendation.objects.filter(pk__in=matching("status"))
        .values_list("current_status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    themes = _theme_counts(
        RecommendationThemes.objects.filter(recommendation_id__in=matching("theme")), "recommendation_id"
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


def recommendations_of_theme_public(*, theme: Theme) -> QuerySet[Recommendation]:
    """Public recommendations on a theme, across dialogues, newest first (none if it is hidden)."""
    return (
        recommendation_list_public()
        .filter(
            pk__in=RecommendationThemes.objects.filter(theme__in=theme_family_of_public(pk=theme.pk)).values(
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
