"""Sitemap sections for organisations and people (every language, with hreflang alternates)."""

from core.pages import PublicSitemap
from stakeholders import selectors


class OrganizationSitemap(PublicSitemap):
    """Published organisations."""

    changefreq = "monthly"

    def items(self):
        return selectors.organization_list_public().order_by("pk")


class PersonSitemap(PublicSitemap):
    """People who consented to be listed."""

    changefreq = "monthly"

    def items(self):
        return selectors.person_list_public().order_by("pk")
