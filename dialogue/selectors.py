"""Public reads of themes, series, dialogues and their parts.

Every public surface (pages, API, feeds, sitemap, search, exports, counts) reads through these
functions; reverse relations are prefetched through them into `public_*` attributes, which are
the only related lists templates and serializers may read.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from core.search import search_filter
from dialogue.models import (
    DIALOGUE_SEARCH_FIELDS,
    Dialogue,
    DialogueDocument,
    DialogueOrganizer,
    DialogueSeries,
    Milestone,
    Participation,
    ParticipationRole,
    Session,
    Theme,
)
from stakeholders.models import Organization, OrganizationKind, Person
from stakeholders.selectors import public_organization_prefetch


def theme_list_public() -> QuerySet[Theme]:
    """Published themes only, without related rows (lists, lookups, ids, counts)."""
    return Theme.objects.public()


def theme_get_public(*, slug: str) -> Theme:
    """A published theme by slug with its parent (the page checks it is public), or 404."""
    return get_object_or_404(Theme.objects.public().select_related("parent"), slug=slug)


def series_list_public() -> QuerySet[DialogueSeries]:
    """Published series only, without related rows (lookups, ids, counts)."""
    return DialogueSeries.objects.public()


def public_themes_prefetch(lookup: str = "themes") -> Prefetch:
    """Prefetch of a relation to themes into `public_themes`: the published ones only."""
    return Prefetch(lookup, queryset=Theme.objects.public(), to_attr="public_themes")


def organizer_roles_public() -> QuerySet[DialogueOrganizer]:
    """Organiser roles of public dialogues held by published organisations, with the organisation."""
    return DialogueOrganizer.objects.public().select_related("organization")


def _public_series() -> Prefetch:
    # A dialogue's series into `public_series`: None unless published.
    return Prefetch("series", queryset=DialogueSeries.objects.public(), to_attr="public_series")


def _dialogue_card() -> tuple[Prefetch, ...]:
    # A dialogue as a card in a list (lists, home, search): its public themes and organisers.
    return (
        public_themes_prefetch(),
        Prefetch("organizer_roles", queryset=organizer_roles_public(), to_attr="public_organizers"),
    )


def _dialogue_record() -> tuple[Prefetch, ...]:
    # A dialogue in full (its page and its API record): the card, and every part the page and the
    # record show, each public-only. The series and each participant's organisation are fetched
    # through their public rows only (`public_series`, `public_organization`, None unless
    # published), never joined, so a hidden one is never loaded at all.
    return (
        *_dialogue_card(),
        _public_series(),
        Prefetch(
            "sessions",
            queryset=Session.objects.public()
            .order_by("order", "pk")
            .prefetch_related(public_themes_prefetch()),
            to_attr="public_sessions",
        ),
        Prefetch(
            "documents",
            queryset=DialogueDocument.objects.public().order_by("order", "pk"),
            to_attr="public_documents",
        ),
        Prefetch(
            "participations",
            queryset=Participation.objects.public()
            .select_related("person")
            .order_by("person__family_name", "person__given_name", "pk"),
            to_attr="public_participations",
        ),
        # Given at this level: nested inside the Prefetch above, Django 6.1 fetches each
        # organisation again one by one.
        public_organization_prefetch("public_participations__organization"),
    )


def dialogue_list_public_bare() -> QuerySet[Dialogue]:
    """Public dialogues without related rows: lookups, ids, counts, sitemaps."""
    return Dialogue.objects.public()


def dialogue_list_public() -> QuerySet[Dialogue]:
    """Public dialogues as cards: public themes and public organisers prefetched."""
    return Dialogue.objects.public().prefetch_related(*_dialogue_card())


# --- Public site: pages, previews, profiles, search (added with the public site) -----------------

THEME_SEARCH_FIELDS = ("name", "description")
PROFILE_MIN_GROUP = 3
"""Under the Chatham House rule, profile groups smaller than this are folded into "other"."""


def _dialogue_page(queryset: QuerySet[Dialogue]) -> QuerySet[Dialogue]:
    # The full record, and the timeline of its public series (`public_series.public_milestones`).
    return queryset.prefetch_related(
        *_dialogue_record(),
        Prefetch(
            "public_series__milestones",
            queryset=Milestone.objects.public().order_by("event_date", "pk"),
            to_attr="public_milestones",
        ),
    )


def dialogue_page_public(*, slug: str) -> Dialogue:
    """A public dialogue by slug with everything its page shows, each part public-only, or 404."""
    return get_object_or_404(_dialogue_page(Dialogue.objects.public()), slug=slug)


def _dialogue_preview() -> tuple[Prefetch, ...]:
    # The page as it will be once published: every part (drafts included, the page marks them),
    # the participants its page would name (both consents), and every organisation.
    return (
        Prefetch("themes", queryset=Theme.objects.all(), to_attr="public_themes"),
        Prefetch(
            "organizer_roles",
            queryset=DialogueOrganizer.objects.select_related("organization"),
            to_attr="public_organizers",
        ),
        Prefetch("series", queryset=DialogueSeries.objects.all(), to_attr="public_series"),
        Prefetch(
            "public_series__milestones",
            queryset=Milestone.objects.order_by("event_date", "pk"),
            to_attr="public_milestones",
        ),
        Prefetch(
            "sessions",
            queryset=Session.objects.order_by("order", "pk").prefetch_related(
                Prefetch("themes", queryset=Theme.objects.all(), to_attr="public_themes")
            ),
            to_attr="public_sessions",
        ),
        Prefetch(
            "documents", queryset=DialogueDocument.objects.order_by("order", "pk"), to_attr="public_documents"
        ),
        Prefetch(
            "participations",
            queryset=Participation.objects.filter(is_public=True, person__is_public=True)
            .select_related("person")
            .order_by("person__family_name", "person__given_name", "pk"),
            to_attr="public_participations",
        ),
        Prefetch(
            "public_participations__organization",
            queryset=Organization.objects.all(),
            to_attr="public_organization",
        ),
    )


def dialogue_get_preview(*, slug: str) -> Dialogue:
    """Any dialogue by slug for a staff preview (the view checks rights), with every part as the
    published page will show it, drafts included: the page marks what is not published."""
    return get_object_or_404(Dialogue.objects.prefetch_related(*_dialogue_preview()), slug=slug)


def dialogue_editions_public(*, dialogue: Dialogue) -> tuple[Dialogue | None, Dialogue | None]:
    """The public editions of the dialogue's series just before and after it (one query)."""
    editions = list(
        Dialogue.objects.public()
        .filter(series_id=dialogue.series_id)
        .exclude(pk=dialogue.pk)
        .order_by("edition", "start_date", "pk")
    )
    earlier = [edition for edition in editions if edition.edition < dialogue.edition]
    later = [edition for edition in editions if edition.edition > dialogue.edition]
    return (earlier[-1] if earlier else None, later[0] if later else None)


def dialogue_dropped_when_published(*, dialogue: Dialogue) -> list[tuple[str, object]]:
    """What the dialogue's published page leaves out because it is not published itself:
    (kind, record) for its series, themes, organisers' and participants' organisations."""
    dropped = []
    if dialogue.series.status != "published":
        dropped.append(("series", dialogue.series))
    dropped += [("theme", theme) for theme in dialogue.themes.exclude(status="published")]
    organisers = Organization.objects.filter(organizer_roles__dialogue=dialogue).exclude(status="published")
    dropped += [("organiser", organization) for organization in organisers.distinct()]
    affiliations = Organization.objects.filter(participations__dialogue=dialogue).exclude(status="published")
    dropped += [("affiliation", organization) for organization in affiliations.distinct()]
    return dropped


def dialogue_search_public(*, text: str, language: str) -> QuerySet[Dialogue]:
    """Public dialogues matching `text` in any language, best first. Raises SearchQueryTooLong."""
    return search_filter(dialogue_list_public(), text=text, fields=DIALOGUE_SEARCH_FIELDS, language=language)


def dialogue_calendar_public() -> QuerySet[Dialogue]:
    """Public dialogues for the calendar feed, newest first, with their public series."""
    return Dialogue.objects.public().prefetch_related(_public_series())


def theme_get_preview(*, slug: str) -> Theme:
    """Any theme by slug for a staff preview (the view checks rights)."""
    return get_object_or_404(Theme.objects.select_related("parent"), slug=slug)


def theme_tree_public() -> list[Theme]:
    """Published top-level themes in order, each with its published sub-themes in `public_children`.

    A sub-theme whose parent is not public is listed at the top level.
    """
    themes = list(theme_list_public())
    public_ids = {theme.pk for theme in themes}
    for theme in themes:
        theme.public_children = []
    by_id = {theme.pk: theme for theme in themes}
    roots = []
    for theme in themes:
        if theme.parent_id in public_ids:
            by_id[theme.parent_id].public_children.append(theme)
        else:
            roots.append(theme)
    return roots


def theme_children_public(*, theme: Theme) -> QuerySet[Theme]:
    """Published sub-themes of `theme`."""
    return Theme.objects.public().filter(parent=theme)


def theme_family_public(*, theme: Theme | None = None, slug: str = "") -> QuerySet[Theme]:
    """The public theme `theme` (or the one with `slug`) and its public sub-themes: what "on this
    theme" means for filters, theme pages and feeds. Empty if the theme is not public."""
    public = Theme.objects.public()
    parent = public.filter(pk=theme.pk) if theme is not None else public.filter(slug=slug)
    return public.filter(Q(pk__in=parent.values("pk")) | Q(parent__in=parent))


def theme_search_public(*, text: str, language: str) -> QuerySet[Theme]:
    """Published themes matching `text` in any language, best first. Raises SearchQueryTooLong."""
    return search_filter(theme_list_public(), text=text, fields=THEME_SEARCH_FIELDS, language=language)


def organizer_roles_of_organization_public(*, organization: Organization) -> QuerySet[DialogueOrganizer]:
    """The roles `organization` held in organising public dialogues, newest dialogue first."""
    return (
        DialogueOrganizer.objects.public()
        .filter(organization=organization)
        .select_related("dialogue")
        .order_by("-dialogue__start_date", "order", "pk")
    )


def participations_of_person_public(*, person: Person) -> QuerySet[Participation]:
    """A consenting person's public participations, newest dialogue first, organisation if public."""
    return (
        Participation.objects.public()
        .filter(person=person)
        .select_related("dialogue")
        .prefetch_related(public_organization_prefetch())
        .order_by("-dialogue__start_date", "pk")
    )


@dataclass
class ParticipantProfile:
    """Counts of a dialogue's participants; no person-level data."""

    total: int
    by_country: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_role: list[tuple[str, int]]


def _folded(counter: Counter, label, other_label=None) -> list[tuple[str, int]]:
    # Groups under PROFILE_MIN_GROUP (and unknown values) join "other", so no one stands out.
    shown, other = [], 0
    for value, count in counter.most_common():
        if value and count >= PROFILE_MIN_GROUP:
            shown.append((label(value), count))
        else:
            other += count
    shown.sort(key=lambda item: (-item[1], str(item[0])))
    if other:
        shown.append((_("Other") if other_label is None else other_label, other))
    return shown


# What a profile counts, in its order: ParticipantProfile's by_country, by_sector, by_role.
PROFILE_COLUMNS = ("delegation_country", "organization__kind", "role")


def _profile(rows: list[tuple], labels, other_label=None) -> ParticipantProfile:
    """The profile of `rows` (values of PROFILE_COLUMNS), each group named by its column's label."""
    return ParticipantProfile(
        total=len(rows),
        **{
            name: _folded(Counter(row[column] for row in rows), labels[column], other_label)
            for column, name in enumerate(("by_country", "by_sector", "by_role"))
        },
    )


def participation_profile_public(*, dialogue: Dialogue) -> ParticipantProfile:
    """The aggregate participant profile of a public dialogue (empty for a hidden one).

    Counts every participant, named or not, by delegation country, sector (kind of organisation)
    and role; groups smaller than PROFILE_MIN_GROUP are folded into "other". Only counts leave.
    """
    rows = list(Participation.objects.counted().filter(dialogue=dialogue).values_list(*PROFILE_COLUMNS))
    labels = (
        lambda code: Country(code=code).name,
        lambda kind: OrganizationKind(kind).label,
        lambda role: ParticipationRole(role).label,
    )
    return _profile(rows, labels)


def participation_profiles_public(*, dialogues) -> dict[int, ParticipantProfile | None]:
    """The participant profile, in codes, of each Chatham House dialogue of `dialogues` (one query).

    As `participation_profile_public()`, but groups are ISO country codes, organisation kinds and
    roles, and the folded groups are "other"; None for a dialogue not under the rule, whose
    consenting participants are listed by name instead.
    """
    rows = (
        Participation.objects.counted()
        .filter(dialogue__in=[dialogue.pk for dialogue in dialogues], dialogue__is_chatham_house=True)
        .values_list("dialogue_id", *PROFILE_COLUMNS)
    )
    grouped: dict[int, list[tuple]] = {}
    for dialogue_id, *row in rows:
        grouped.setdefault(dialogue_id, []).append(row)
    return {
        dialogue.pk: _profile(grouped.get(dialogue.pk, []), (str, str, str), "other")
        if dialogue.is_chatham_house
        else None
        for dialogue in dialogues
    }


# --- API: records with every public related part (added with the partners' API) -------------------


def theme_records_public() -> QuerySet[Theme]:
    """Published themes with their parent in `public_parent` (None unless published)."""
    return Theme.objects.public().prefetch_related(
        Prefetch("parent", queryset=Theme.objects.public(), to_attr="public_parent")
    )


def series_records_public() -> QuerySet[DialogueSeries]:
    """Published series with `public_milestones` and their public dialogues, newest first."""
    return DialogueSeries.objects.public().prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.public(), to_attr="public_milestones"),
        Prefetch(
            "dialogues",
            queryset=Dialogue.objects.public().order_by("-start_date", "-edition", "pk"),
            to_attr="public_dialogues",
        ),
    )


def dialogue_records_public() -> QuerySet[Dialogue]:
    """Public dialogues with every part the API record shows, each list public-only.

    The same parts as the dialogue's page: `public_series` (None unless published),
    `public_themes`, `public_organizers`, `public_sessions` (with their `public_themes`),
    `public_documents`, and `public_participations` (both consents; `public_organization` None
    unless published).
    """
    return Dialogue.objects.public().prefetch_related(*_dialogue_record())
