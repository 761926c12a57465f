"""`{% finding_cards findings %}`: the cards of a list of findings, each rendered once per version.

A card is rendered from its finding, the finding's dialogue and its themes, all of which the
change log follows: the finding's version (its newest entry, core.changes.record_versions)
changes when any of them does. So each card is kept in the cache under that version, per
language and layout, and a list page is assembled from kept cards; an edit rebuilds the edited
finding's cards only. The part between the title and the dialogue varies by page (a search
page's snippet, or the summary), so the kept card holds a slot there, filled on each page.
Staff previews (drafts marked) are rendered every time and never kept.
"""

from django import template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.cache import record_memo_many
from core.changes import record_versions, writing_public_changes

register = template.Library()

SLOT = "\x00finding-card-slot\x00"
CARD = "includes/_finding_item.html"
SUMMARY = "includes/_finding_summary.html"


def _snippet(snippet, language: str) -> str:
    if snippet.language != language:
        return format_html('<p class="snippet" lang="{}">{}</p>', snippet.language, snippet.html)
    return format_html('<p class="snippet">{}</p>', snippet.html)


@register.simple_tag(takes_context=True)
def finding_cards(context, findings, show_dialogue=False, level=3):
    findings = list(findings)
    language = get_language()
    flat = context.flatten()
    card, summary = get_template(CARD), get_template(SUMMARY)

    def render(finding, slot=None):
        values = {**flat, "finding": finding, "show_dialogue": show_dialogue, "level": level}
        values["slot"] = mark_safe(slot) if slot else None
        values["snippet"] = getattr(finding, "search_snippet", None)
        return card.render(values)

    if context.get("is_preview"):
        return mark_safe("".join(render(finding) for finding in findings))
    by_pk = {finding.pk: finding for finding in findings}

    def build(missing):
        built = {}
        for pk in missing:
            finding = by_pk[pk]
            built[pk] = (render(finding, SLOT), summary.render({**flat, "finding": finding}))
        return built

    shape = f"finding-card:{language}:{bool(show_dialogue)}:{level}"
    kept = record_memo_many(
        {pk: f"{shape}:{pk}" for pk in by_pk},
        record_versions("findings", by_pk),
        build,
        keep=not writing_public_changes(),
    )
    cards = []
    for finding in findings:
        html, summary_html = kept[finding.pk]
        snippet = getattr(finding, "search_snippet", None)
        cards.append(html.replace(SLOT, _snippet(snippet, language) if snippet else summary_html))
    return mark_safe("".join(cards))
