"""Atom feeds: every public finding, and per theme its public findings and recommendations."""

import copy
from itertools import chain

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from core.pages import SITE_NAME, absolute_url
from core.templatetags.atlas import render_markdown, translated_value
from dialogue.selectors import theme_get_public
from findings import selectors

FEED_SIZE = 50


class PublicFeed(Feed):
    """Atom feed whose links are absolute on the public site (SITE_URL or the request's host).

    Django keeps one Feed instance per URL; each request works on a copy that carries it.
    """

    feed_type = Atom1Feed
    request = None

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)
        feed.request = request
        return super(PublicFeed, feed).__call__(request, *args, **kwargs)

    def absolute(self, path: str) -> str:
        return absolute_url(self.request, path)

    def feed_url(self, obj=None):
        return self.absolute(self.request.path)

    def author_name(self):
        return SITE_NAME

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def item_guid(self, item):
        return self.absolute(item.get_absolute_url())

    item_guid_is_permalink = True

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom declares the summary as type="html": send escaped plain text (the summary) or
        # sanitised Markdown (the body), never the record's raw text.
        if hasattr(item, "summary_en"):
            summary = translated_value(item, "summary")[0]
            if summary:
                return linebreaks(summary, autoescape=True)
        return render_markdown(translated_value(item, "body")[0])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(theme.name) for theme in item.public_themes]

    def item_author_name(self, item):
        # The dialogue, never a person: nothing is attributed to a participant.
        return item.dialogue.title


class FindingsFeed(PublicFeed):
    """The latest public findings."""

    def title(self):
        return _("Dialogue Atlas: latest findings")

    def subtitle(self):
        return _("Findings of Track 1.5 dialogues, newest first.")

    def link(self):
        return self.absolute(reverse("findings:finding-list"))

    def items(self):
        return selectors.finding_list_latest_public()[:FEED_SIZE]


class ThemeFeed(PublicFeed):
    """The latest public findings and recommendations on one public theme."""

    def get_object(self, request, slug):
        return theme_get_public(slug=slug)

    def title(self, theme):
        return _("Dialogue Atlas: %(theme)s") % {"theme": theme.name}

    def subtitle(self, theme):
        return _("Findings and recommendations on this theme, newest first.")

    def link(self, theme):
        return self.absolute(theme.get_absolute_url())

    def items(self, theme):
        findings = selectors.findings_of_theme_public(theme=theme).order_by("-published_at", "-pk")
        recommendations = selectors.recommendations_of_theme_public(theme=theme).order_by(
            "-published_at", "-pk"
        )
        merged = chain(findings[:FEED_SIZE], recommendations[:FEED_SIZE])
        return sorted(merged, key=lambda item: (item.published_at, item.pk), reverse=True)[:FEED_SIZE]
