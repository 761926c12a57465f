"""Cards of records, each rendered once per version of its record and kept in the cache.

A card (a finding in a list, say) is rendered from its record and the records it shows (its
dialogue, its themes), all of which the change log follows: the record's version (its newest
entry, core.changes.record_versions) changes when any of them does. So each card is kept under
that version, per language and layout, and a list page is assembled from kept cards: an edit
rebuilds the edited record's cards only. The part of a card that varies by page (a search
page's snippet, or else the record's summary) is a slot in the kept card, filled on each page:
the record's `search_snippet` when the page set one, else the summary kept beside the card.
Staff previews (drafts marked) are rendered every time and never kept.
"""

from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.changes import record_versions, writing_public_changes
from core.memo import record_memo_many

SLOT = "\x00card-slot\x00"


def _snippet(snippet, language: str) -> str:
    if snippet.language != language:
        return format_html('<p class="snippet" lang="{}">{}</p>', snippet.language, snippet.html)
    return format_html('<p class="snippet">{}</p>', snippet.html)


class CardRecords(list):
    """A page's records read light (what its slots need, a search snippet's text), with
    `complete(pks)` giving the full records (pk -> record) that the cards not kept yet are
    rendered from: a page of kept cards reads no related row."""

    def __init__(self, records, complete, versions=None):
        super().__init__(records)
        self.complete = complete
        self.versions = versions  # pk -> version, when the caller has them (else one query)


def kept_cards(context, records, *, resource: str, card: str, summary: str, name: str, layout: dict) -> str:
    """The HTML of `records`' cards: template `card` with the record as `name` and `layout`
    (which the key holds), its slot filled with the snippet or template `summary`."""
    complete = getattr(records, "complete", None)
    versions = getattr(records, "versions", None)
    records = list(records)
    language = get_language()
    flat = context.flatten()
    card_template, summary_template = get_template(card), get_template(summary)

    def render(record, slot=None):
        values = {**flat, **layout, name: record, "snippet": getattr(record, "search_snippet", None)}
        values["slot"] = mark_safe(slot) if slot else None
        return card_template.render(values)

    if context.get("is_preview"):
        return mark_safe("".join(render(record) for record in records))
    by_pk = {record.pk: record for record in records}

    def build(missing):
        full = complete(list(missing)) if complete else by_pk
        return {
            pk: (render(full[pk], SLOT), summary_template.render({**flat, name: full[pk]}))
            for pk in missing
            if pk in full  # (a record that left the public set since the page was read)
        }

    shape = f"card:{card}:{language}:{sorted(layout.items())!r}"
    kept = record_memo_many(
        {pk: f"{shape}:{pk}" for pk in by_pk},
        versions if versions is not None else record_versions(resource, by_pk),
        build,
        keep=not writing_public_changes(),
    )
    cards = []
    for record in records:
        if record.pk not in kept:
            continue
        html, summary_html = kept[record.pk]
        snippet = getattr(record, "search_snippet", None)
        cards.append(html.replace(SLOT, _snippet(snippet, language) if snippet else summary_html))
    return mark_safe("".join(cards))
