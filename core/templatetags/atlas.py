"""Template helpers of the public site: Markdown, translation fallbacks, languages, metadata."""

import json
import re
from functools import lru_cache

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import formats, translation
from django.utils.encoding import iri_to_uri
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from modeltranslation.utils import resolution_order

from core import fragments
from core.models import TranslationState
from core.pages import absolute_url

register = template.Library()

MARKDOWN_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "s", "del", "ins", "sub", "sup", "small", "mark",
    "abbr", "cite", "q", "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
MARKDOWN_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
_HEADING = re.compile(r"<(/?)h([1-6])([\s>])")


def _demote_headings(html: str) -> str:
    # The page owns <h1> and <h2>; headings written in content start at <h3>.
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 2, 6)}{m.group(3)}", html)


def render_markdown(text: str) -> str:
    """Markdown to HTML, then sanitised: no scripts, styles, images or event handlers survive."""
    if not text:
        return ""
    html = markdown_lib.markdown(str(text), extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        _demote_headings(html),
        tags=MARKDOWN_TAGS,
        attributes=MARKDOWN_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@register.filter(name="markdown", is_safe=True)
def markdown_filter(text):
    """Render Markdown through the sanitiser: {{ dialogue.context|markdown }}."""
    return mark_safe(render_markdown(text))  # nh3 output is sanitised HTML


def translated_value(obj, field: str) -> tuple[str, str]:
    """(text, language it is in) of a translated field: the reader's language, else the fallback."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    for lang in resolution_order(current):
        value = getattr(obj, f"{field}_{lang}", None)
        if value:
            return str(value), lang
    return "", current


@register.simple_tag
def field_lang(obj, field):
    """The language a translated field is shown in (the reader's, or the fallback's)."""
    return translated_value(obj, field)[1]


def _untranslated_note(lang: str) -> str:
    return format_html(
        '<span class="untranslated">{}</span>',
        _("not yet translated"),
    )


@register.simple_tag
def tfield(obj, field, markdown=False, linebreaks=False):
    """A translated field, marked with `lang` and a visible note when it falls back to English.

    {% tfield finding "title" %} for a line, {% tfield dialogue "context" markdown=True %} for a
    block of Markdown, {% tfield finding "summary" linebreaks=True %} for plain paragraphs.
    """
    text, lang = translated_value(obj, field)
    current = translation.get_language() or settings.LANGUAGE_CODE
    fallback = lang != current
    caveat = "" if fallback else _translation_caveat(obj, field, current, block=markdown or linebreaks)
    if caveat:
        return mark_safe(caveat + str(_plain_tfield(text, markdown=markdown, linebreaks=linebreaks)))
    if markdown or linebreaks:
        if markdown:
            body = render_markdown(text)
        else:
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
            body = "".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in paragraphs)
        if not fallback:
            return mark_safe(body)  # sanitised or escaped above
        language_name = translation.get_language_info(lang)["name_translated"]
        note = format_html(
            '<p class="untranslated-note">{}</p>',
            _("Not yet translated. Shown in %(language)s.") % {"language": language_name},
        )
        return mark_safe(f'{note}<div lang="{lang}" class="fallback">{body}</div>')
    if not fallback or not text:
        return escape(text)
    return format_html('<span lang="{}">{}</span> {}', lang, text, mark_safe(_untranslated_note(lang)))


@register.simple_tag(takes_context=True)
def draft_badge(context, record):
    """The "Draft, not public" badge after a record's name on a staff preview, when the record is
    not published. A tag, not an include: cards and theme lists call it for every record shown."""
    if not context.get("is_preview") or not getattr(record, "status", None) or record.status == "published":
        return ""
    return format_html(' <span class="draft-badge">{}</span>', _("Draft, not public"))


CAVEATS = {
    TranslationState.MACHINE: gettext_lazy("Machine translation, not yet reviewed."),
    TranslationState.OUTDATED: gettext_lazy("This translation predates the latest English version."),
}


def _translation_caveat(obj, field: str, language: str, *, block: bool) -> str:
    """The note of a machine-made or outdated translation, from the status rows the detail view
    attached (`translation_rows`); nothing on lists, which read none."""
    rows = getattr(obj, "translation_rows", None)
    if rows is None:
        return ""
    row = rows.get((field, language))
    if row is None or row.status not in CAVEATS:
        return ""
    css = f"translation-{row.status}"
    if block:
        return format_html('<p class="untranslated-note {}">{}</p>', css, CAVEATS[row.status])
    return format_html('<span class="untranslated {}">{}</span>', css, CAVEATS[row.status])


def _plain_tfield(text: str, *, markdown: bool, linebreaks: bool):
    if markdown:
        return mark_safe(render_markdown(text))
    if linebreaks:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return mark_safe("".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in paragraphs))
    return escape(text)


def _language_home(code: str) -> str:
    with translation.override(code):
        return reverse("home")


@lru_cache(maxsize=4096)
def _translations(path: str) -> dict[str, str] | None:
    """`path` in every language (translate_url), None if it resolves nowhere; the URLconf does not
    change while the process runs, so each path is worked out once."""
    try:
        resolve(path)
    except Resolver404:
        return None
    return {code: translate_url(path, code) for code, _name in settings.LANGUAGES}


@register.simple_tag(takes_context=True)
def page_languages(context):
    """The page in every language: switcher links, canonical, hreflang alternates and x-default.

    Uses Django's translate_url, so the switcher keeps the current page (and its query string)
    and works without JavaScript. A path that resolves nowhere links to each language's home.
    """
    request = context.get("request")
    current = translation.get_language() or settings.LANGUAGE_CODE
    languages = []
    if request is None:
        return {"languages": languages, "canonical": "", "x_default": ""}
    path = request.path
    translated = _translations(path)
    resolvable = translated is not None
    query = request.META.get("QUERY_STRING", "")
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        if resolvable:
            page_path = translated[code]
            # What translate_url() makes of the full path: the translated path, the same query.
            switch_url = f"{page_path}?{iri_to_uri(query)}" if query else page_path
        else:
            page_path = switch_url = _language_home(code)
        languages.append(
            {
                "code": code,
                "name": info["name_local"][:1].upper() + info["name_local"][1:],
                "url": switch_url,
                "absolute": absolute_url(request, page_path),
                "is_current": code == current,
            }
        )
    canonical = absolute_url(request, path)
    page = request.GET.get("page", "")
    if page.isdigit() and page != "1":
        canonical += f"?page={page}"
    default_path = next(item["absolute"] for item in languages if item["code"] == settings.LANGUAGE_CODE)
    prefix = f"/{settings.LANGUAGE_CODE}/"
    x_default = default_path.replace(prefix, "/", 1) if resolvable else absolute_url(request, "/")
    return {"languages": languages, "canonical": canonical, "x_default": x_default}


@register.simple_tag(takes_context=True)
def absolute(context, path):
    """An absolute URL for `path` on the public site (SITE_URL or the request's host)."""
    request = context.get("request")
    if request is None:
        return path
    return absolute_url(request, str(path))


_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter(is_safe=True)
def jsonld(data):
    """JSON for a <script type="application/ld+json"> block, safe against </script> injection."""
    return mark_safe(json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES))


@register.filter
def precise_date(value, precision="day"):
    """A date shown to its precision: a year, a month and year, or a full date."""
    if not value:
        return ""
    if precision == "year":
        return formats.date_format(value, pgettext("date format for a year alone", "Y"))
    if precision == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def og_locale(code):
    """Open Graph locale of a language code."""
    return {"en": "en_CA", "fr": "fr_CA", "ko": "ko_KR"}.get(code, "en_CA")


@register.filter
def language_label(code):
    """The name of a language code in the reader's language; the code itself if unknown."""
    try:
        return translation.get_language_info(str(code).lower())["name_translated"]
    except KeyError:
        return code


@register.simple_tag(takes_context=True)
def kept_cards(context, records, resource, card, summary, name, **layout):
    """{% kept_cards findings "findings" "includes/_finding_item.html" "includes/_finding_summary.html"
    "finding" show_dialogue=True level=2 %}: each record's card, kept under its record's version
    (core.fragments)."""
    return fragments.kept_cards(
        context, records, resource=resource, card=card, summary=summary, name=name, layout=layout
    )
