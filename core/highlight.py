"""Search snippets: an excerpt around the first match, HTML-escaped, with every match in <mark>.

User text is only ever used as a regular expression of escaped literals, and the text shown is
escaped before the <mark> tags go in, so neither a query nor a record can inject markup.
Matching is a little looser than PostgreSQL's stemming (a word matches from its stem onward),
which is what a reader expects of highlighting: "accord" marks "accords", 캐나다 marks 캐나다와.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.search import LANGUAGES, search_terms

# Inflection endings of English and French removed before matching, longest first.
_SUFFIXES = sorted(
    {
        "ations",
        "ation",
        "ements",
        "ement",
        "ments",
        "ment",
        "ions",
        "ion",
        "ing",
        "ies",
        "es",
        "ed",
        "er",
        "ez",
        "ées",
        "és",
        "ée",
        "é",
        "s",
        "x",
        "e",
    },
    key=len,
    reverse=True,
)
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|]+|<[^>]*>")
_SPACES = re.compile(r"\s+")


def _stem(term: str) -> str:
    for suffix in _SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 4:
            return term[: -len(suffix)]
    return term


def match_pattern(text: str) -> re.Pattern | None:
    """A pattern that finds the words of the query `text` (None if it has no words)."""
    try:
        terms = search_terms(text)
    except ValueError:
        return None
    if not terms:
        return None
    stems = sorted({_stem(term) for term in terms}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)


def plain_text(text: str) -> str:
    """Markdown or HTML source reduced to its words."""
    return _SPACES.sub(" ", _MARKUP.sub(lambda m: m.group(1) or " ", text or "")).strip()


def highlight(text: str, pattern: re.Pattern | None) -> SafeString:
    """All of `text`, escaped, with matches in <mark>."""
    text = text or ""
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece above is escaped


def excerpt(text: str, pattern: re.Pattern | None, width: int = 240) -> SafeString | None:
    """About `width` characters of `text` around its first match, highlighted; None without a match."""
    plain = plain_text(text)
    match = pattern.search(plain) if pattern and plain else None
    if match is None:
        return None
    start = max(0, match.start() - width // 3)
    if start:
        space = plain.rfind(" ", 0, start)
        start = space + 1 if space != -1 and start - space < 20 else start
    end = min(len(plain), start + width)
    if end < len(plain):
        space = plain.rfind(" ", start, end)
        end = space if space > match.end() else end
    body = highlight(plain[start:end], pattern)
    return mark_safe(("… " if start else "") + body + (" …" if end < len(plain) else ""))


@dataclass
class Snippet:
    """A highlighted excerpt and the language it is written in."""

    html: SafeString
    language: str


def best_snippet(obj, fields: tuple[str, ...], pattern, language: str) -> Snippet | None:
    """The first excerpt that matches, trying the reader's language first, then the others."""
    order = [language] + [lang for lang in LANGUAGES if lang != language]
    for lang in order:
        for name in fields:
            found = excerpt(getattr(obj, f"{name}_{lang}", "") or "", pattern)
            if found is not None:
                return Snippet(html=found, language=lang)
    return None
