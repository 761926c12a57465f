"""Reads for alerts: what became public between two positions of the change log, what of it an
address follows, the records of a planned digest, and the staff's counts.

"What became public" comes from the change log only: a record's newest entry carries `held_since`,
the log position from which partners may hold it, which stays put while the record stays public
and is set afresh when it (re-)enters the public set. So the records new in (after, upto] are the
upserts whose `held_since` falls in that range, even if a later edit moved their entry further on.
"""

from django.db.models import Count, Max, Q, QuerySet
from django.http import QueryDict

from alerts.models import Subscriber, Subscription, TargetKind
from core.models import PublicChange, PublicChangeAction
from dialogue import selectors as dialogue_selectors
from findings import selectors as findings_selectors
from findings.filters import FindingFilterSet

KINDS = ("findings", "recommendations", "dialogues")


def change_log_position(*, at=None) -> int:
    """The newest committed position of the change log (0 when it is empty), or the newest
    written by the time `at`. Writers of the log take turns and commit in sequence order, so
    nothing below the newest position can still appear."""
    entries = PublicChange.objects.all() if at is None else PublicChange.objects.filter(changed_at__lt=at)
    return entries.aggregate(last=Max("pk"))["last"] or 0


def became_public_ids(*, after: int, upto: int) -> dict[str, set[int]]:
    """Ids of the records of each kind that entered the public set in (after, upto]."""
    rows = PublicChange.objects.filter(
        action=PublicChangeAction.UPSERT,
        resource__in=KINDS,
        held_since__gt=after,
        held_since__lte=upto,
    ).values_list("resource", "object_id")
    found: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for resource, pk in rows:
        found[resource].add(pk)
    return found


def status_changed_ids(*, after: int, upto: int, since) -> set[int]:
    """Public recommendations already public before `after` whose entry moved into (after, upto]
    and that gained a follow-up (a status update) since `since`."""
    changed = PublicChange.objects.filter(
        action=PublicChangeAction.UPSERT,
        resource="recommendations",
        pk__gt=after,
        held_since__lte=after,
    ).values("object_id")
    updates = Q(updates__isnull=False) if since is None else Q(updates__created_at__gt=since)
    return set(
        findings_selectors.recommendation_list_public_bare()
        .filter(updates, pk__in=changed)
        .values_list("pk", flat=True)
        .distinct()
    )


def _matching(queryset: QuerySet, subscription: Subscription, kind: str) -> QuerySet:
    """The rows of `queryset` (findings, recommendations or dialogues) a subscription follows."""
    if subscription.kind == TargetKind.EVERYTHING:
        return queryset
    if subscription.kind == TargetKind.THEME:
        family = dialogue_selectors.theme_family_public(theme=subscription.theme)
        return queryset.filter(themes__in=family).distinct()
    if subscription.kind == TargetKind.SERIES:
        if kind == "dialogues":
            return queryset.filter(series=subscription.series)
        return queryset.filter(dialogue__series=subscription.series)
    if subscription.kind == TargetKind.SEARCH:
        if kind != "findings":  # a search of the findings list follows findings
            return queryset.none()
        filterset = FindingFilterSet(QueryDict(subscription.query), queryset=queryset)
        return filterset.qs if filterset.is_valid() else queryset.none()
    return queryset.none()


def _public(kind: str) -> QuerySet:
    if kind == "findings":
        return findings_selectors.finding_list_public_bare()
    if kind == "recommendations":
        return findings_selectors.recommendation_list_public_bare()
    return dialogue_selectors.dialogue_list_public_bare()


def digest_content(*, subscriber: Subscriber, after: int, upto: int, since) -> dict[str, list[int]]:
    """Ids of what a digest of (after, upto] holds for an address: the new public findings,
    recommendations and dialogues its confirmed subscriptions follow, and the followed
    recommendations whose status changed. Empty lists when nothing matches."""
    subscriptions = list(
        subscriber.subscriptions.filter(confirmed_at__isnull=False).select_related("theme", "series")
    )
    content: dict[str, list[int]] = {kind: [] for kind in (*KINDS, "status_changes")}
    if not subscriptions or upto <= after:
        return content
    new = became_public_ids(after=after, upto=upto)
    candidates = {kind: ids for kind, ids in new.items() if ids}
    changed = status_changed_ids(after=after, upto=upto, since=since) - new["recommendations"]
    if changed:
        candidates["status_changes"] = changed
    for kind, ids in candidates.items():
        source = "recommendations" if kind == "status_changes" else kind
        matched: set[int] = set()
        for subscription in subscriptions:
            queryset = _public(source).filter(pk__in=ids)
            matched.update(_matching(queryset, subscription, source).values_list("pk", flat=True))
        content[kind] = sorted(matched)
    return content


def digest_records(content: dict[str, list[int]]) -> dict[str, list]:
    """The records a planned digest names that are still public, as cards, in list order."""
    return {
        "findings": list(findings_selectors.finding_list_public().filter(pk__in=content.get("findings", []))),
        "recommendations": list(
            findings_selectors.recommendation_list_public().filter(pk__in=content.get("recommendations", []))
        ),
        "dialogues": list(
            dialogue_selectors.dialogue_list_public().filter(pk__in=content.get("dialogues", []))
        ),
        "status_changes": list(
            findings_selectors.recommendation_list_public().filter(pk__in=content.get("status_changes", []))
        ),
    }


def subscription_counts() -> list[dict]:
    """Confirmed subscriptions counted by what they follow and by language, never an address."""
    return list(
        Subscription.objects.filter(confirmed_at__isnull=False)
        .values("kind", "theme__slug", "series__slug", "subscriber__language")
        .annotate(count=Count("pk"))
        .order_by("kind", "theme__slug", "series__slug", "subscriber__language")
    )
