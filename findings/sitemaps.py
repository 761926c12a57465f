"""Sitemap sections for findings and recommendations (every language, with hreflang alternates)."""

from core.pages import PublicSitemap
from findings import selectors


class FindingSitemap(PublicSitemap):
    """Public findings."""

    changefreq = "monthly"

    def items(self):
        return selectors.finding_list_public_bare().order_by("pk")


class RecommendationSitemap(PublicSitemap):
    """Public recommendations."""

    changefreq = "weekly"

    def items(self):
        return selectors.recommendation_list_public_bare().order_by("pk")
