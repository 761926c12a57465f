"""XSS: a table of payloads in every text field, in every language, is inert on every page, in every
feed, in the API and in the admin.

Each payload goes into every text column (`title_en`, `title_fr`, `title_ko`, names, positions,
notes...) of a public corpus; every public URL name is then rendered in the three languages and
checked the way a browser would parse it: no event-handler attribute, no script or style element
carrying the payload, no `javascript:` URL, no frame. JSON-LD must stay valid JSON, feeds valid
XML whose HTML parts pass the same check, the calendar one event per dialogue.
"""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import models
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation
from icalendar import Calendar

from core.locking import original_translated_fields
from tests.alerts.factories import subscription_with_links
from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    DialogueOrganizerFactory,
    MilestoneFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory
from tests.stakeholders.factories import OrganizationFactory

MARK = "XSSMARK"
PAYLOADS = {
    "script": f"<script>alert('{MARK}')</script>",
    "img-onerror": f"<img src=x onerror=alert('{MARK}')>",
    "attribute-breakout": f"\"><svg onload=alert('{MARK}')>",
    "single-quote-breakout": f"'><details open ontoggle=alert('{MARK}')>",
    "markdown-js-link": f"[click me](javascript:alert('{MARK}'))",
    "html-js-link": f"<a href=\"javascript:alert('{MARK}')\">link</a>",
    "entity-js-link": f"<a href=\"jav&#x09;ascript:alert('{MARK}')\">tab</a>",
    "markdown-image": f"![x](x\" onerror=\"alert('{MARK}'))",
    "data-url": f"[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) {MARK}",
    "iframe": f"<iframe src=\"javascript:alert('{MARK}')\"></iframe>",
    "script-breakout": f"</script><script>alert('{MARK}')</script>",
    "style": f"<style>body{{background:url(javascript:alert('{MARK}'))}}</style>",
    "mutation": f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{MARK}')>",
    "cdata-breakout": f"]]><script>alert('{MARK}')</script><![CDATA[",
    "ical-injection": f"{MARK}\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "template": f"{{{{ settings.SECRET_KEY }}}}{{% debug %}}{MARK}",
}
# Two payloads per corpus (a title holds both), so that 8 corpora carry all 16 into every column.
PAIRS = [list(PAYLOADS)[i : i + 2] for i in range(0, len(PAYLOADS), 2)]
PAIR_VALUES = [" ".join(PAYLOADS[name] for name in pair) for pair in PAIRS]
PAIR_IDS = ["+".join(pair) for pair in PAIRS]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
FRAMES = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
TEXT_FIELDS = (models.CharField, models.TextField)
NOT_TEXT = (models.SlugField, models.EmailField, models.URLField)


class InertChecker(HTMLParser):
    """Parses HTML like a browser would tokenise it and lists anything a payload made executable."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.raw: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squeezed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value[:60]}>")
        if tag in FRAMES:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.problems.append("<meta refresh>")
        if tag in ("script", "style"):
            self.raw = (tag, attributes)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if self.raw and tag == self.raw[0]:
            self.raw = None

    def handle_data(self, data):
        if self.raw is None:
            return
        tag, attributes = self.raw
        if tag == "script" and attributes.get("type") == "application/ld+json":
            try:
                json.loads(data)
            except ValueError:
                self.problems.append("JSON-LD is no longer valid JSON")
        elif MARK in data:
            self.problems.append(f"payload inside <{tag}>")


def assert_inert(html: str, where: str):
    checker = InertChecker()
    checker.feed(html)
    checker.close()
    assert not checker.problems, (where, checker.problems)


def fill(instance, payload: str):
    """Put the payload in every text column of `instance` (each language), then save."""
    model = type(instance)
    originals = original_translated_fields(model)
    for field in model._meta.concrete_fields:
        if (
            not isinstance(field, TEXT_FIELDS)
            or isinstance(field, NOT_TEXT)
            or field.choices
            or field.name in originals
            or field.name in ("email", "phone", "internal_notes")  # private, never public anyway
            or field.name.startswith(("perspective_country", "addressee_countries", "country"))
        ):
            continue
        value = payload
        if field.max_length:
            value = value[: field.max_length]
        setattr(instance, field.attname, value)
    instance.save()
    return instance


class World:
    """One public record of every kind, every text column holding the payload."""

    def __init__(self, payload: str):
        self.theme = fill(ThemeFactory(slug="xss-theme"), payload)
        self.child_theme = fill(ThemeFactory(slug="xss-child", parent=self.theme), payload)
        self.organization = fill(OrganizationFactory(slug="xss-org"), payload)
        self.dialogue = fill(DialogueFactory(slug="xss-dialogue", is_chatham_house=False), payload)
        self.dialogue.themes.set([self.theme, self.child_theme])
        fill(self.dialogue.series, payload)
        fill(MilestoneFactory(series=self.dialogue.series), payload)
        session = fill(SessionFactory(dialogue=self.dialogue), payload)
        session.themes.set([self.theme])
        self.participation = fill(ParticipationFactory(dialogue=self.dialogue), payload)
        self.person = fill(self.participation.person, payload)
        self.person.slug = "xss-person"
        self.person.save()
        fill(self.person.organization, payload)
        document = fill(DialogueDocumentFactory(dialogue=self.dialogue), payload)
        DialogueOrganizerFactory(dialogue=self.dialogue, organization=self.organization)
        self.finding = fill(FindingFactory(dialogue=self.dialogue, source_document=document), payload)
        self.finding.themes.set([self.theme])
        self.recommendation = fill(RecommendationFactory(dialogue=self.dialogue), payload)
        self.recommendation.themes.set([self.theme])
        self.recommendation.source_findings.set([self.finding])
        self.recommendation.addressee_organizations.set([self.organization])
        fill(RecommendationUpdateFactory(recommendation=self.recommendation), payload)


def public_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in {"admin", "api"} or str(pattern.pattern).startswith(("api", "admin")):
                    continue
                walk(pattern.url_patterns, namespaces + ([pattern.namespace] if pattern.namespace else []))
            elif pattern.name:
                names.add(":".join([*namespaces, pattern.name]))

    walk(get_resolver().url_patterns, [])
    return names - {"healthz", "readyz"}


CITE_FORMATS = ("ris", "json", "bib")


def public_pages(world: World) -> dict[str, list[str]]:
    """Every public URL name with the pages (and query strings) to render for it."""
    query = f"?q={PAYLOADS['script']}"
    links = subscription_with_links(theme=world.theme)
    return {
        "alerts:subscribe": ["", f"?theme={world.theme.slug}", f"?series={world.dialogue.series.slug}"],
        "alerts:requested": [""],
        "alerts:confirm": [{"token": links["confirm"]}],
        "alerts:unsubscribe": [{"token": links["unsubscribe"]}],
        "alerts:manage": [{"token": links["manage"]}],
        "home": [""],
        "search": ["", query, "?q=" + MARK],
        "robots": [""],
        "sitemap": [""],
        "sitemap-section": [{"section": s} for s in ("findings", "dialogues", "themes", "people")],
        "dialogue:dialogue-list": [""],
        "dialogue:dialogue-calendar": [""],
        "dialogue:dialogue-detail": [{"slug": world.dialogue.slug}],
        "dialogue:theme-list": [""],
        "dialogue:theme-detail": [{"slug": world.theme.slug}, {"slug": world.child_theme.slug}],
        "findings:finding-list": ["", query, f"?theme={world.theme.slug}"],
        "findings:finding-detail": [{"pk": world.finding.pk}],
        "findings:recommendation-list": ["", f"?addressee={world.organization.slug}"],
        "findings:recommendation-detail": [{"pk": world.recommendation.pk}],
        # The citation files of each page: RIS, CSL-JSON and BibTeX.
        "dialogue:dialogue-cite": [
            {**kwargs, "cite": fmt} for kwargs in ({"slug": world.dialogue.slug},) for fmt in CITE_FORMATS
        ],
        "findings:finding-cite": [{"pk": world.finding.pk, "cite": fmt} for fmt in CITE_FORMATS],
        "findings:recommendation-cite": [
            {"pk": world.recommendation.pk, "cite": fmt} for fmt in CITE_FORMATS
        ],
        "findings:feed-findings": [""],
        "findings:feed-theme": [{"slug": world.theme.slug}],
        "stakeholders:organization-list": [""],
        "stakeholders:organization-detail": [{"slug": world.organization.slug}],
        "stakeholders:person-detail": [{"slug": world.person.slug}],
    }


def urls_for(name: str, specs, lang: str):
    for spec in specs:
        kwargs, suffix = (spec, "") if isinstance(spec, dict) else ({}, spec)
        with translation.override(lang):
            yield reverse(name, kwargs=kwargs or None) + suffix


def check_feed(body: str, where: str):
    root = ET.fromstring(body.encode())  # still well-formed XML
    for element in root.iter():
        if element.get("type") in ("html", "xhtml", "text/html") and element.text:
            assert_inert(element.text, where)


def check_calendar(body: str, where: str, expected_events: int):
    calendar = Calendar.from_ical(body)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == expected_events, where
    assert all(str(event.get("SUMMARY", "")) != "injected" for event in events), where


def content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def uncached(settings):
    settings.PUBLIC_CACHE_ENABLED = False


def test_every_public_url_name_is_covered(db):
    missing = public_url_names() - set(public_pages(World("plain text")))
    assert not missing, f"add these URL names to public_pages() in the XSS suite: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAIR_VALUES, ids=PAIR_IDS)
def test_payloads_are_inert_on_every_page_and_feed(client, uncached, payload):
    world = World(payload)
    visited = 0
    for lang in settings.MODELTRANSLATION_LANGUAGES:
        for name, specs in public_pages(world).items():
            for url in urls_for(name, specs, lang):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                body = content(response)
                kind = response["Content-Type"]
                if "calendar" in kind:
                    check_calendar(body, url, expected_events=1)
                elif "atom" in kind:
                    ET.fromstring(body.encode())  # well-formed; the HTML inside: the Atom test below
                elif "xml" in kind:
                    check_feed(body, url)
                elif "html" in kind:
                    assert_inert(body, url)
                    assert "SECRET_KEY" not in body or "settings.SECRET_KEY" in body, url
                visited += 1
        # The payload really reached the pages (escaped), in this language's columns too.
        page = content(client.get(world.finding.get_absolute_url().replace("/en/", f"/{lang}/")))
        assert MARK in page
    assert visited > 60


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAIR_VALUES, ids=PAIR_IDS)
def test_payloads_are_inert_in_the_atom_feeds(client, uncached, payload):
    world = World(payload)
    for lang in settings.MODELTRANSLATION_LANGUAGES:
        for name, specs in (
            ("findings:feed-findings", [""]),
            ("findings:feed-theme", [{"slug": world.theme.slug}]),
        ):
            for url in urls_for(name, specs, lang):
                body = content(client.get(url))
                assert MARK in body, url  # the entries are there, with the payload as text
                check_feed(body, url)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAIR_VALUES[:3], ids=PAIR_IDS[:3])
def test_payloads_are_inert_in_the_api(client, uncached, payload):
    world = World(payload)
    resources = {
        "dialogues": world.dialogue.slug,
        "themes": world.theme.slug,
        "findings": world.finding.pk,
        "recommendations": world.recommendation.pk,
        "organizations": world.organization.slug,
        "people": world.person.slug,
        "series": world.dialogue.series.slug,
    }
    for resource, key in resources.items():
        for path in (f"/api/v1/{resource}/?lang=all", f"/api/v1/{resource}/{key}/?lang=fr"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Content-Type"].startswith("application/json"), path
            assert response["X-Content-Type-Options"] == "nosniff"
            text = json.dumps(response.json(), ensure_ascii=False)
            assert MARK in text, path  # data is returned as data, verbatim, never as markup
        csv_response = client.get(f"/api/v1/{resource}/?format=csv")
        assert csv_response.status_code == 200
        assert csv_response["Content-Type"].startswith("text/csv")
        assert "html" not in csv_response["Content-Type"]


BAD_LINKS = [
    f"javascript:alert('{MARK}')",
    f" JavaScript:alert('{MARK}')",
    f"jav\tascript:alert('{MARK}')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]


@pytest.mark.django_db
@pytest.mark.parametrize("link", BAD_LINKS)
def test_no_write_path_stores_a_link_a_browser_would_run(link):
    """Links become hrefs on public pages. The admin form validates them; scripts and imports
    do not, so the model layer refuses any scheme but http and https (core.security)."""
    from django.core.exceptions import ValidationError

    world = World("plain text")
    rows = [
        (world.organization, "website"),
        (world.dialogue.documents.first(), "url"),
        (world.dialogue.series.milestones.first(), "url"),
        (world.recommendation.updates.first(), "source_url"),
    ]
    for row, field in rows:
        setattr(row, field, link)
        with pytest.raises(ValidationError):
            row.save()
        row.refresh_from_db()
        assert not getattr(row, field).strip().lower().startswith(("javascript", "jav", "data", "vbscript"))
    world.organization.website = "https://www.apfcanada.ca/"
    world.organization.save()  # ordinary links still save


@pytest.mark.django_db
def test_an_import_cannot_store_a_script_link(client, make_staff, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stakeholders.models import Organization

    login(make_staff("ed", "Editor"))
    header = "id,slug,name_en,name_fr,name_ko,acronym_en,acronym_fr,acronym_ko,description_en,"
    header += "description_fr,description_ko,kind,country,website,status,published_at\n"
    line = f",evil-org,Evil,Evil,Evil,,,,,,,think_tank,CA,javascript:alert('{MARK}'),draft,\n"
    upload = SimpleUploadedFile("orgs.csv", (header + line).encode(), content_type="text/csv")
    response = client.post(
        f"/{settings.ADMIN_URL}stakeholders/organization/import/", {"import_file": upload, "format": "0"}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_errors() or result.has_validation_errors()
    assert not Organization.objects.filter(slug="evil-org").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [PAYLOADS["script"], PAYLOADS["attribute-breakout"], PAYLOADS["style"]])
def test_payloads_are_inert_in_the_admin(client, make_staff, login, payload):
    from tests.support.forms import change_form

    world = World(payload)
    login(make_staff("ed", "Editor"))
    admin = f"/{settings.ADMIN_URL}"
    finding_url = f"{admin}findings/finding/{world.finding.pk}/change/"
    stale = change_form(client, finding_url)
    world.finding.title_fr = payload + " (changed)"
    world.finding.save()
    stale["title_ko"] = payload + " (mine)"
    conflict = client.post(finding_url, stale)  # the edit-conflict table shows payloads both ways
    assert conflict.status_code == 200 and "edit-conflict" in content(conflict)
    assert_inert(content(conflict), "conflict")
    client.post(f"{admin}findings/recommendation/{world.recommendation.pk}/delete/", {"post": "yes"})
    pages = [
        f"{admin}findings/finding/",
        finding_url,
        f"{admin}findings/finding/{world.finding.pk}/history/",
        f"{admin}dialogue/dialogue/{world.dialogue.pk}/change/",
        f"{admin}stakeholders/person/{world.person.pk}/change/",
        f"{admin}deleted/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(content(response), url)
