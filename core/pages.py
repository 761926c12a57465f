"""Building blocks of the public site's pages, shared by the apps' views, feeds and sitemaps.

Absolute URLs (canonical, hreflang, feeds, sitemap, citations) use `SITE_URL` when it is set,
else the request's own scheme and host, never a placeholder domain.
"""

import datetime as dt
import urllib.parse
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import sitemaps
from django.http import Http404
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import translations
from core.pagination import PublicPaginator

SITE_NAME = "Dialogue Atlas"


def site_root(request) -> str:
    """Scheme and host of the public site, without a trailing slash."""
    if settings.SITE_URL:
        return settings.SITE_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path: str) -> str:
    """`path` as an absolute URL on the public site."""
    if path.startswith(("http://", "https://")):
        return path
    return site_root(request) + path


class PreviewMixin:
    """Detail pages: the public record; for staff allowed to view it in the admin, also a hidden one.

    Everyone else gets the selector's 404, so a draft cannot be reached by guessing its slug or id.
    A preview is marked on the page, never cached and never indexed.
    """

    preview_permission: str = ""
    is_preview = False

    def get_public_object(self):
        raise NotImplementedError

    def get_preview_object(self):
        raise NotImplementedError

    def may_preview(self) -> bool:
        user = self.request.user
        return bool(user.is_active and user.is_staff and user.has_perm(self.preview_permission))

    def get_object(self, queryset=None):
        try:
            record = self.get_public_object()
        except Http404:
            if not self.may_preview():
                raise
            self.is_preview = True
            record = self.get_preview_object()
        # French and Korean pages mark machine-made and outdated translations ({% tfield %}).
        translations.attach_rows([record], language=get_language())
        return record

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = self.is_preview
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.is_preview:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _bibtex_escape(text: str) -> str:
    replacements = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
    return "".join(replacements.get(char, char) for char in str(text))


@dataclass
class Citation:
    """How to cite a page: plain text and BibTeX, from the same facts; the scholarly metadata,
    downloads and formatted references of core.citations for records that are cited as reports."""

    key: str
    title: str
    url: str
    authors: list[str] = field(default_factory=list)
    container: str = ""
    date: dt.date | None = None
    accessed: dt.date = field(default_factory=timezone.localdate)
    published: dt.date | None = None  # when the record went public; `date` when unknown
    genre: str = ""  # what the record is (a finding, a recommendation, a dialogue), translated
    abstract: str = ""
    language: str = field(default_factory=lambda: get_language() or settings.LANGUAGE_CODE)
    publisher: str = SITE_NAME
    is_report: bool = False  # offers the meta tags, the downloads and APA/Chicago

    @property
    def issued(self) -> dt.date | None:
        return self.published or self.date

    def apa(self) -> str:
        from core.citations import citation_formatted

        return citation_formatted(self, "apa", self.language)

    def chicago(self) -> str:
        from core.citations import citation_formatted

        return citation_formatted(self, "chicago", self.language)

    def meta_html(self) -> str:
        from core.citations import citation_meta_html

        return citation_meta_html(self)

    def downloads(self) -> list[tuple[str, str]]:
        """(label, URL) of the citation files: the page's URL and `cite.<format>`."""
        return [
            (label, f"{self.url}cite.{fmt}")
            for label, fmt in (("RIS", "ris"), ("CSL-JSON", "json"), ("BibTeX", "bib"))
        ]

    def text(self) -> str:
        authors = "; ".join(self.authors) or SITE_NAME
        parts = [f"{authors}.", f"“{self.title}.”"]
        if self.container:
            parts.append(f"{self.container},")
        if self.date:
            parts.append(f"{self.date.isoformat()}.")
        parts.append(f"{SITE_NAME}.")
        parts.append(self.url)
        parts.append(_("(accessed %(date)s)") % {"date": self.accessed.isoformat()})
        return " ".join(parts)

    def bibtex(self) -> str:
        authors = " and ".join("{" + _bibtex_escape(author) + "}" for author in self.authors) or (
            "{" + SITE_NAME + "}"
        )
        fields = [
            ("author", authors),
            ("title", "{" + _bibtex_escape(self.title) + "}"),
        ]
        if self.container:
            fields.append(("booktitle", _bibtex_escape(self.container)))
        if self.date:
            fields.append(("year", str(self.date.year)))
            fields.append(("date", self.date.isoformat()))
        fields += [
            ("publisher", SITE_NAME),
            ("url", self.url),
            ("urldate", self.accessed.isoformat()),
            (
                "langid",
                {"en": "english", "fr": "french", "ko": "korean"}.get(get_language() or "en", "english"),
            ),
        ]
        body = ",\n".join(f"  {name:<9} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}"


class PublicSitemap(sitemaps.Sitemap):
    """Every page in each language with hreflang alternates; absolute URLs honour SITE_URL."""

    i18n = True
    alternates = True
    x_default = True
    limit = 5000

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[0]
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return settings.SITE_URL.split("://", 1)[1]
        return super().get_domain(site)

    def lastmod(self, item):
        return getattr(item, "updated_at", None)

    def get_latest_lastmod(self):
        # The index lists sections without a date rather than loading every row to find one.
        return None


def query_with(request, name: str, value: str | None) -> str:
    """The current query string with `name` set to `value` (or removed), back on page one."""
    # As QueryDict.urlencode() would write it, without its deep copy (a facet list makes dozens).
    pairs = [(key, item) for key, items in request.GET.lists() if key not in ("page", name) for item in items]
    if value:
        pairs.append((name, value))
    encoded = urllib.parse.urlencode(pairs)
    return f"?{encoded}" if encoded else request.path


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            yield from label
        else:
            yield value, label


class BadInputMixin:
    """Lists with a filter form: invalid input answers 400 with the form's messages, never a 500.

    The list's count is memoized per public data state under its validated filters (`filters`).
    """

    form_is_valid = True
    filters = None
    paginator_class = PublicPaginator

    def get_paginator(self, queryset, per_page, **kwargs):
        if self.filters is not None:
            kwargs["count_key"] = f"{type(self).__name__}:{self.filters!r}"
        return super().get_paginator(queryset, per_page, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if not self.form_is_valid:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)


class FilteredListMixin(BadInputMixin):
    """A list page filtered by `filterset_class`, the FilterSet its API list uses, bound to the
    query string: the page takes the API's parameters with the same checks and messages.

    Invalid input is a 400 that renders the filter form (`form`) with its messages. The valid
    filters in use are `filter_values` (name -> value) and `filters`, their canonical query string,
    which keys the memoized counts.
    """

    filterset_class = None
    filter_values: dict[str, str] = {}
    # Filters whose active value is named alone (the page shows which filter it belongs to).
    facets: tuple[str, ...] = ()

    def offer_records(self, filterset) -> None:
        """Hook: hand `filterset` the records the page reads anyway (PublicFilterSet.offer)."""

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET)
        self.offer_records(self.filterset)
        self.form_is_valid = self.filterset.is_valid()
        if not self.form_is_valid:
            return self.filterset.queryset.none()
        self.filter_values = self.filterset.values()
        self.filters = self.filterset.key()
        return self.filtered()

    def filtered(self):
        """Hook: the records of the valid filters (by default the filter set's queryset)."""
        return self.filterset.qs

    def active_filters(self, *, skip=()) -> list[dict]:
        """Each valid filter in use but `skip`: its name, value, label and a link without it."""
        fields = self.filterset.form.fields
        active = []
        for name, value in self.filter_values.items():
            if name in skip:
                continue
            field = fields[name]
            label = dict(_flat_choices(getattr(field, "choices", ()))).get(value) or value
            if name not in self.facets:
                label = f"{field.label}: {label}"
            active.append(
                {
                    "name": name,
                    "value": value,
                    "label": label,
                    "remove_url": query_with(self.request, name, None),
                }
            )
        return active

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.filterset.form
        return context
