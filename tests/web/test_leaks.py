"""The leak suite: nothing unpublished, no non-consenting person, no private field ever appears.

It walks every URL name the resolver knows outside the admin and the API (the API has its own
suite), so a new public page cannot be added without being checked here: the test that compares
the resolver's names with PUBLIC_PAGES fails until the new name is listed.
"""

import itertools

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import translation

from tests.alerts.factories import subscription_with_links
from tests.dialogue.factories import (
    DialogueDocumentFactory,
    DialogueFactory,
    DialogueOrganizerFactory,
    DialogueSeriesFactory,
    MilestoneFactory,
    ParticipationFactory,
    SessionFactory,
    ThemeFactory,
)
from tests.findings.factories import FindingFactory, RecommendationFactory, RecommendationUpdateFactory
from tests.stakeholders.factories import OrganizationFactory, PersonFactory
from tests.web.helpers import LANGUAGES, PRIVATE_MARKERS, html
from web.sitemaps import SITEMAPS as sitemaps

pytestmark = pytest.mark.django_db

MARK = "Zzleak"
HIDDEN_TRAITS = ("draft", "in_review", "scheduled")
_counter = itertools.count()


def secret(label: str) -> dict:
    """Translated text that must never be public, in every language column."""
    n = next(_counter)
    return {f"{lang}": f"{MARK}{n} {label} {lang}" for lang in LANGUAGES}


def tr(field: str, label: str) -> dict:
    return {f"{field}_{lang}": text for lang, text in secret(label).items()}


class World:
    """Public records with every kind of hidden record attached to them."""

    def __init__(self):
        # --- what the public may see
        self.organization = OrganizationFactory(slug="visible-org")
        self.theme = ThemeFactory(slug="visible-theme")
        self.child_theme = ThemeFactory(slug="visible-child", parent=self.theme)
        self.series = DialogueSeriesFactory(slug="visible-series")
        self.dialogue = DialogueFactory(series=self.series, slug="visible-dialogue")
        self.dialogue.themes.add(self.theme)
        DialogueOrganizerFactory(dialogue=self.dialogue, organization=self.organization)
        MilestoneFactory(series=self.series)
        SessionFactory(dialogue=self.dialogue)
        DialogueDocumentFactory(dialogue=self.dialogue)
        self.person = PersonFactory(slug="visible-person", organization=self.organization)
        ParticipationFactory(dialogue=self.dialogue, person=self.person)
        self.finding = FindingFactory(dialogue=self.dialogue, themes=[self.theme, self.child_theme])
        self.recommendation = RecommendationFactory(dialogue=self.dialogue, themes=[self.theme])
        self.recommendation.addressee_organizations.add(self.organization)
        self.recommendation.source_findings.add(self.finding)
        RecommendationUpdateFactory(recommendation=self.recommendation)

        self.hidden_urls = []
        self.orphans = []
        self.hidden_organizations = []
        self.people_of_hidden_organizations = []
        # --- unpublished records of every publishable kind, in every unpublished state
        for trait in HIDDEN_TRAITS:
            flag = {trait: True}
            org = OrganizationFactory(**flag, **tr("name", "org"), **tr("description", "org"))
            self.recommendation.addressee_organizations.add(org)
            DialogueOrganizerFactory(dialogue=self.dialogue, organization=org)
            member = PersonFactory(organization=org)
            ParticipationFactory(dialogue=self.dialogue, person=member, organization=org)
            self.hidden_organizations.append(org)
            self.people_of_hidden_organizations.append(member)
            theme = ThemeFactory(**flag, **tr("name", "theme"), **tr("description", "theme"))
            self.orphans.append(ThemeFactory(parent=theme))  # public sub-theme of a hidden theme
            self.finding.themes.add(theme)
            self.recommendation.themes.add(theme)
            self.dialogue.themes.add(theme)
            finding = FindingFactory(
                dialogue=self.dialogue, **flag, **tr("title", "finding"), **tr("summary", "f")
            )
            finding.themes.add(self.theme)
            recommendation = RecommendationFactory(
                dialogue=self.dialogue, **flag, **tr("title", "rec"), **tr("body", "rec"), themes=[self.theme]
            )
            recommendation.source_findings.add(finding)
            RecommendationUpdateFactory(recommendation=recommendation, **tr("note", "update of hidden"))
            # A hidden follow-up of the public recommendation; and a public one following a hidden one.
            RecommendationFactory(
                dialogue=self.dialogue,
                **flag,
                follows=self.recommendation,
                follow_up_kind="revised",
                **tr("title", "follow-up"),
            )
            self.recommendation.follows = recommendation
            self.recommendation.follow_up_kind = "reiterated"
            self.recommendation.save()
            # A hidden dialogue and all of its children (published themselves).
            dialogue = DialogueFactory(**flag, **tr("title", "dialogue"), **tr("summary", "dialogue"))
            dialogue.themes.add(self.theme)
            DialogueOrganizerFactory(dialogue=dialogue, organization=self.organization)
            SessionFactory(dialogue=dialogue, **tr("title", "session"))
            hidden_document = DialogueDocumentFactory(
                dialogue=dialogue, **tr("title", "document"), url="https://example.org/zzleak.pdf"
            )
            child_finding = FindingFactory(
                dialogue=dialogue, **tr("title", "child finding"), themes=[self.theme]
            )
            child_rec = RecommendationFactory(
                dialogue=dialogue, **tr("title", "child rec"), themes=[self.theme]
            )
            child_rec.addressee_organizations.add(self.organization)
            ParticipationFactory(
                dialogue=dialogue, person=self.person, **tr("position", "child participation")
            )
            # A hidden series of a public dialogue: its name and milestones stay hidden.
            series = DialogueSeriesFactory(**flag, **tr("name", "series"))
            self.in_hidden_series = DialogueFactory(series=series, slug=f"public-in-hidden-series-{trait}")
            MilestoneFactory(series=series, **tr("title", "milestone"))
            self.hidden_urls += [
                org.get_absolute_url(),
                theme.get_absolute_url(),
                finding.get_absolute_url(),
                recommendation.get_absolute_url(),
                dialogue.get_absolute_url(),
                child_finding.get_absolute_url(),
                child_rec.get_absolute_url(),
                reverse("findings:feed-theme", kwargs={"slug": theme.slug}),
            ]
        # A public finding citing a document of a hidden dialogue: the document stays hidden.
        self.finding.source_document = hidden_document
        self.finding.save()
        # --- people: no consent, or a participation without its own consent
        hidden_person = PersonFactory(private=True, family_name=f"{MARK}person", slug="no-consent")
        ParticipationFactory(dialogue=self.dialogue, person=hidden_person)
        ParticipationFactory(
            dialogue=self.dialogue, person=PersonFactory(), private=True, **tr("position", "unlisted")
        )
        self.hidden_urls.append(hidden_person.get_absolute_url())
        # Consent alone publishes nobody: a consenting person whose only participation (itself
        # consented) is in a draft dialogue appears nowhere; through a public dialogue they do.
        draft_dialogue = DialogueFactory(draft=True, **tr("title", "draft dialogue of a consenting person"))
        only_draft = PersonFactory(
            through_dialogues=True, family_name=f"{MARK}onlydraft", slug="only-in-a-draft-dialogue"
        )
        ParticipationFactory(dialogue=draft_dialogue, person=only_draft)
        self.hidden_urls.append(only_draft.get_absolute_url())
        self.person_through_dialogue = PersonFactory(through_dialogues=True, slug="through-a-public-dialogue")
        ParticipationFactory(dialogue=self.dialogue, person=self.person_through_dialogue)


@pytest.fixture
def world(db):
    return World()


def public_url_names() -> set[str]:
    """Every named URL outside the admin and the API."""
    names = set()

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = [pattern.namespace] if pattern.namespace else []
                if pattern.namespace in {"admin", "api"} or str(pattern.pattern).startswith(("api", "admin")):
                    continue
                walk(pattern.url_patterns, namespaces + namespace)
            elif pattern.name:
                names.add(":".join([*namespaces, pattern.name]))

    walk(get_resolver().url_patterns, [])
    return names


OPERATIONS = {"healthz", "readyz"}


CITE_FORMATS = ("ris", "json", "bib")


def public_pages(world) -> dict[str, list[dict]]:
    """For every public URL name, the arguments of the public pages to visit."""
    links = subscription_with_links(theme=world.theme)
    return {
        "alerts:subscribe": [{}],
        "alerts:requested": [{}],
        "alerts:confirm": [{"token": links["confirm"]}],
        "alerts:unsubscribe": [{"token": links["unsubscribe"]}],
        "alerts:manage": [{"token": links["manage"]}],
        "home": [{}],
        "search": [{}],
        "robots": [{}],
        "sitemap": [{}],
        "sitemap-section": [{"section": section} for section in sitemaps],
        "dialogue:dialogue-list": [{}],
        "dialogue:dialogue-calendar": [{}],
        "dialogue:dialogue-detail": [{"slug": world.dialogue.slug}, {"slug": world.in_hidden_series.slug}],
        "dialogue:theme-list": [{}],
        "dialogue:theme-detail": [
            {"slug": world.theme.slug},
            {"slug": world.child_theme.slug},
            {"slug": world.orphans[0].slug},
        ],
        "findings:finding-list": [{}],
        "findings:finding-detail": [{"pk": world.finding.pk}],
        "findings:recommendation-list": [{}],
        "findings:recommendation-detail": [{"pk": world.recommendation.pk}],
        # The citation files of each page: RIS, CSL-JSON and BibTeX.
        "dialogue:dialogue-cite": [
            {**kwargs, "cite": fmt}
            for kwargs in ({"slug": world.dialogue.slug}, {"slug": world.in_hidden_series.slug})
            for fmt in CITE_FORMATS
        ],
        "findings:finding-cite": [{"pk": world.finding.pk, "cite": fmt} for fmt in CITE_FORMATS],
        "findings:recommendation-cite": [
            {"pk": world.recommendation.pk, "cite": fmt} for fmt in CITE_FORMATS
        ],
        "findings:feed-findings": [{}],
        "findings:feed-theme": [{"slug": world.theme.slug}],
        "stakeholders:organization-list": [{}],
        "stakeholders:organization-detail": [{"slug": world.organization.slug}],
        "stakeholders:person-detail": [
            {"slug": world.person.slug},
            {"slug": world.person_through_dialogue.slug},
        ],
    }


# Query strings that exercise lists, facets and search on top of the plain pages.
QUERIES = {
    "alerts:subscribe": ["", "?theme=visible-theme", "?search=q%3Denergy"],
    "search": ["?q=dialogue", "?q=energy", "?q=institute", "?q=theme", "?q=align"],
    "findings:finding-list": ["", "?theme=visible-theme", "?q=energy", "?kind=key_finding"],
    "findings:recommendation-list": ["", "?theme=visible-theme", "?addressee=visible-org", "?addressee=CA"],
}


def test_every_public_url_name_is_in_the_leak_suite(world):
    missing = public_url_names() - OPERATIONS - set(public_pages(world))
    assert not missing, f"add these URL names to public_pages() in the leak suite: {sorted(missing)}"


def assert_clean(body: str, where: str):
    assert MARK not in body, f"hidden record on {where}"
    assert MARK.lower() not in body.lower(), f"hidden record on {where}"
    for marker in PRIVATE_MARKERS:
        assert marker not in body, f"private field {marker!r} on {where}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_public_page_shows_a_hidden_record_or_a_private_field(client, world, lang):
    visited = 0
    for name, kwargs_list in public_pages(world).items():
        for kwargs in kwargs_list:
            with translation.override(lang):
                path = reverse(name, kwargs=kwargs or None)
            for query in QUERIES.get(name, [""]):
                response = client.get(path + query)
                assert response.status_code == 200, (path + query, response.status_code)
                body = b"".join(response).decode() if response.streaming else html(response)
                assert_clean(body, path + query)
                visited += 1
    assert visited > 30


def test_the_visible_world_is_really_visible(client, world):
    """The leak test would pass on an empty site; make sure the public records do show."""
    page = html(client.get(world.dialogue.get_absolute_url()))
    assert world.finding.title in page and world.recommendation.title in page
    assert world.person.full_name in page
    assert world.organization.name in page
    sitemap = html(client.get("/sitemap-findings.xml"))
    assert world.finding.get_absolute_url() in sitemap
    assert world.person_through_dialogue.full_name in page
    assert world.person_through_dialogue.get_absolute_url() in html(client.get("/sitemap-people.xml"))


def test_a_hidden_organisation_of_a_participant_or_organiser_never_shows_on_the_dialogue_page(client, world):
    """Each participant is named without the unpublished organisation they came with, and an
    unpublished organiser is left out, by name and by link."""
    for lang in LANGUAGES:
        with translation.override(lang):
            page = html(client.get(world.dialogue.get_absolute_url()))
        for person in world.people_of_hidden_organizations:
            assert person.full_name in page
        for organization in world.hidden_organizations:
            with translation.override(lang):
                assert organization.get_absolute_url() not in page
            assert getattr(organization, f"name_{lang}") not in page
            assert organization.short_name not in page


def test_the_dialogue_selectors_never_load_a_hidden_organisation(world):
    """The page's and the API's bundles fetch a participant's organisation through its public
    rows only: a hidden one is not even loaded, so no template or serializer can reach it."""
    from dialogue.models import Participation
    from dialogue.selectors import dialogue_page_public, dialogue_records_public

    hidden = {organization.pk for organization in world.hidden_organizations}
    for dialogue in (
        dialogue_page_public(slug=world.dialogue.slug),
        dialogue_records_public().get(pk=world.dialogue.pk),
    ):
        participations = dialogue.public_participations
        assert {p.person_id for p in participations} >= {p.pk for p in world.people_of_hidden_organizations}
        for participation in participations:
            assert not Participation.organization.is_cached(participation)
            assert participation.organization_id not in hidden or participation.public_organization is None
        assert not {role.organization_id for role in dialogue.public_organizers} & hidden


def test_search_finds_no_hidden_record(client, world):
    for lang in LANGUAGES:
        body = html(client.get(f"/{lang}/search/?q={MARK}"))
        for url in world.hidden_urls:
            assert url.replace("/en/", f"/{lang}/", 1) not in body
    assert "0 results for" in html(client.get(f"/en/search/?q={MARK}"))
    assert 'class="result-group"' not in html(client.get(f"/en/search/?q={MARK}"))


def test_hidden_records_are_not_found_by_direct_url(client, world):
    assert world.hidden_urls
    for url in world.hidden_urls:
        for lang in LANGUAGES:
            localised = url.replace("/en/", f"/{lang}/", 1)
            assert client.get(localised).status_code == 404, localised


def test_a_scheduled_record_appears_once_its_time_comes(client, world, time_machine):
    import datetime as dt

    from django.utils import timezone

    scheduled = FindingFactory(dialogue=world.dialogue, scheduled=True, title_en="Embargoed until Monday")
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    time_machine.move_to(timezone.now() + dt.timedelta(days=8))
    assert client.get(scheduled.get_absolute_url()).status_code == 200
    assert "Embargoed until Monday" in html(client.get("/en/feeds/findings/"))


def test_unknown_sitemap_section_is_404(client, world):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_staff_preview_is_never_served_to_the_public(client, make_staff, login, world, settings):
    """With the public page cache on, a preview must not be stored and replayed to anyone."""
    from django.test import Client

    settings.PUBLIC_CACHE_ENABLED = True
    draft = FindingFactory(dialogue=world.dialogue, draft=True, title_en=f"{MARK} preview")
    url = f"/en/findings/{draft.pk}/"
    anonymous = Client()
    assert anonymous.get(url).status_code == 404
    login(make_staff("editor", "Editor"))
    preview = client.get(url)
    assert preview.status_code == 200 and MARK in html(preview)
    assert "no-store" in preview["Cache-Control"]
    response = anonymous.get(url)
    assert response.status_code == 404
    assert MARK not in html(response)
    assert_clean(html(anonymous.get("/en/findings/")), "findings list after a preview")
