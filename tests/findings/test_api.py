"""API of findings and recommendations: every filter, in every language and with lang=all."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.findings.factories import FindingFactory, RecommendationFactory
from tests.partners.fixtures import World, configure
from tests.partners.helpers import api, every_page

pytestmark = pytest.mark.django_db
LANGS = ["en", "fr", "ko", "all"]


@pytest.fixture(autouse=True)
def api_settings(settings):
    configure(settings)


@pytest.fixture
def world(db):
    return World()


def ids(client, path, **params):
    return [item["id"] for item in every_page(client, path, **params)]


@pytest.mark.parametrize("lang", LANGS)
def test_finding_filters(client, world, lang):
    w = world
    found = lambda **params: set(ids(client, "/api/v1/findings/", lang=lang, **params))  # noqa: E731
    assert found() == {w.finding.pk, w.risk.pk}
    assert found(kind="risk") == {w.risk.pk}
    assert found(kind="key_finding") == {w.finding.pk}
    assert found(perspective="delegation") == {w.finding.pk}
    assert found(country="KR") == {w.finding.pk}
    assert found(country="CA") == set()
    assert found(dialogue="visible-dialogue") == {w.finding.pk}
    assert found(dialogue="older-dialogue") == {w.risk.pk}
    assert found(theme="visible-child") == {w.finding.pk}
    assert found(theme="visible-theme") == {w.finding.pk}, "a theme includes its sub-themes"
    assert found(theme="other-theme") == {w.risk.pk}
    assert found(date_from="2024-01-01") == {w.finding.pk}
    assert found(date_to="2024-01-01") == {w.risk.pk}
    assert found(date_from="2025-07-10", date_to="2025-07-10") == {w.finding.pk}, "dialogues overlapping"
    assert found(date_from="2025-07-11", date_to="2023-01-01") == set()


@pytest.mark.parametrize("lang", LANGS)
def test_recommendation_filters(client, world, lang):
    w = world
    found = lambda **params: set(ids(client, "/api/v1/recommendations/", lang=lang, **params))  # noqa: E731
    everything = {w.recommendation.pk, w.earlier.pk, w.follow_up.pk, w.after_hidden.pk}
    assert found() == everything
    assert found(status="in_progress") == {w.recommendation.pk}
    assert found(status="stalled") == {w.earlier.pk}
    assert found(priority="high") == {w.recommendation.pk}
    assert found(horizon="short") == {w.recommendation.pk}
    assert found(addressee="korean-org") == {w.recommendation.pk}
    assert found(addressee="KR") == everything, "factories address CA and KR by default"
    assert found(addressee="JP") == set()
    assert found(theme="visible-theme") == {w.recommendation.pk}
    assert found(dialogue="older-dialogue") == {w.earlier.pk}
    assert found(date_to="2024-01-01") == {w.earlier.pk}
    api(client, "/api/v1/recommendations/?addressee=hidden-org", expected=404)


def test_addressee_countries_match_each_code_of_the_list(client, world):
    canada = RecommendationFactory(dialogue=world.dialogue, addressee_countries=["CA"])
    three = RecommendationFactory(dialogue=world.dialogue, addressee_countries=["CA", "JP", "KR"])
    assert {canada.pk, three.pk} <= set(ids(client, "/api/v1/recommendations/", addressee="CA"))
    assert set(ids(client, "/api/v1/recommendations/", addressee="JP")) == {three.pk}
    assert canada.pk not in set(ids(client, "/api/v1/recommendations/", addressee="KR"))


def test_updated_since_is_inclusive(client, world, time_machine):
    moment = timezone.now() + dt.timedelta(days=3)
    time_machine.move_to(moment)
    world.risk.title_en = "Edited"
    world.risk.save()
    stamp = world.risk.updated_at.isoformat().replace("+00:00", "Z")
    assert ids(client, "/api/v1/findings/", updated_since=stamp) == [world.risk.pk]
    later = (world.risk.updated_at + dt.timedelta(microseconds=1)).isoformat().replace("+00:00", "Z")
    assert ids(client, "/api/v1/findings/", updated_since=later) == []
    offset = world.risk.updated_at.astimezone(dt.timezone(dt.timedelta(hours=9))).isoformat()
    assert ids(client, "/api/v1/findings/", updated_since=offset.replace("+", "%2B")) == [world.risk.pk]


def test_ordering(client, world):
    default = ids(client, "/api/v1/findings/")
    assert default == [world.finding.pk, world.risk.pk], "newest dialogue first"
    assert ids(client, "/api/v1/findings/", ordering="date") == [world.risk.pk, world.finding.pk]
    assert ids(client, "/api/v1/findings/", ordering="-date") == default
    by_title = [
        item["title"] for item in every_page(client, "/api/v1/findings/", ordering="title", lang="fr")
    ]
    assert by_title == sorted(by_title)
    assert ids(client, "/api/v1/recommendations/", ordering="-created")[0] == world.after_hidden.pk
    statuses = [
        item["current_status"] for item in every_page(client, "/api/v1/recommendations/", ordering="status")
    ]
    assert statuses == sorted(statuses)


@pytest.mark.parametrize("lang", ["en", "fr", "ko"])
def test_search_finds_text_in_any_language_reader_first(client, world, lang):
    english = FindingFactory(
        dialogue=world.dialogue, title_en="Semiconductor supply chains", title_fr="Puces", title_ko="반도체"
    )
    found = ids(client, "/api/v1/findings/", q="semiconductor", lang=lang)
    assert found == [english.pk]
    assert ids(client, "/api/v1/findings/", q="반도체", lang=lang) == [english.pk]
    assert ids(client, "/api/v1/findings/", q="zzzznothing", lang=lang) == []
    assert ids(client, "/api/v1/findings/", q="", lang=lang) == ids(client, "/api/v1/findings/", lang=lang)


def test_search_and_filters_combine(client, world):
    FindingFactory(dialogue=world.older_dialogue, title_en="Semiconductor risk", kind="risk")
    match = FindingFactory(dialogue=world.dialogue, title_en="Semiconductor opportunity", kind="opportunity")
    assert ids(client, "/api/v1/findings/", q="semiconductor", kind="opportunity") == [match.pk]
    assert ids(client, "/api/v1/findings/", q="semiconductor", dialogue="visible-dialogue") == [match.pk]


@pytest.mark.postgres
def test_postgres_search_stems_and_matches_korean_particles(client, world):
    finding = FindingFactory(
        dialogue=world.dialogue,
        title_en="Strengthening energy partnerships",
        title_fr="Renforcer les partenariats énergétiques",
        title_ko="캐나다와 한국의 에너지 협력",
    )
    assert finding.pk in ids(client, "/api/v1/findings/", q="partnership", lang="en")
    assert finding.pk in ids(client, "/api/v1/findings/", q="partenariat", lang="fr")
    assert finding.pk in ids(client, "/api/v1/findings/", q="캐나다", lang="ko")
    ranked = ids(client, "/api/v1/findings/", q="partenariat énergétique", lang="fr")
    assert ranked[0] == finding.pk
