"""Sitemap sections for dialogues and themes (every language, with hreflang alternates)."""

from core.pages import PublicSitemap
from dialogue import selectors


class DialogueSitemap(PublicSitemap):
    """Public dialogues."""

    changefreq = "weekly"

    def items(self):
        return selectors.dialogue_list_public_bare().order_by("pk")


class ThemeSitemap(PublicSitemap):
    """Public themes."""

    changefreq = "weekly"

    def items(self):
        return selectors.theme_list_public().order_by("pk")
