"""The sitemap index, its sections from every app, and robots.txt."""

from django.contrib.sitemaps.views import SitemapIndexItem
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from core.pages import PublicSitemap, absolute_url
from dialogue.sitemaps import DialogueSitemap, ThemeSitemap
from findings.sitemaps import FindingSitemap, RecommendationSitemap
from stakeholders.sitemaps import OrganizationSitemap, PersonSitemap


class StaticPagesSitemap(PublicSitemap):
    """The home page and the list pages."""

    changefreq = "daily"
    url_names = (
        "home",
        "dialogue:dialogue-list",
        "dialogue:theme-list",
        "findings:finding-list",
        "findings:recommendation-list",
        "stakeholders:organization-list",
    )

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return None


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """robots.txt: everything may be crawled but search results; names the sitemap.

    The admin path is not listed: it is configurable and naming it would only advertise it.
    """
    lines = [
        "User-agent: *",
        "Disallow: /*/search/",
        "",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request, sitemaps):
    """/sitemap.xml: the index of every section's pages, absolute on the public site."""
    items = []
    for section, site in sitemaps.items():
        site = site() if callable(site) else site
        location = absolute_url(request, reverse("sitemap-section", kwargs={"section": section}))
        items.append(SitemapIndexItem(location))
        items.extend(
            SitemapIndexItem(f"{location}?p={page}") for page in range(2, site.paginator.num_pages + 1)
        )
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "dialogues": DialogueSitemap,
    "themes": ThemeSitemap,
    "findings": FindingSitemap,
    "recommendations": RecommendationSitemap,
    "organisations": OrganizationSitemap,
    "people": PersonSitemap,
}
