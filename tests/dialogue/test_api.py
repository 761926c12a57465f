"""API of themes, series and dialogues: every filter, in every language and with lang=all."""

import pytest

from tests.dialogue.factories import DialogueFactory
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
def test_dialogue_filters(client, world, lang):
    w = world
    found = lambda **params: set(ids(client, "/api/v1/dialogues/", lang=lang, **params))  # noqa: E731
    assert {w.dialogue.pk, w.older_dialogue.pk, w.dialogue_of_hidden_series.pk} <= found()
    assert found(series="visible-series") == {w.dialogue.pk, w.older_dialogue.pk}
    assert found(theme="visible-theme") == {w.dialogue.pk}
    assert found(organization="visible-org") == {w.dialogue.pk}
    assert found(country="CA") == {w.older_dialogue.pk}
    assert w.dialogue.pk in found(country="KR")
    assert found(track="2") == set()
    assert w.dialogue.pk in found(track="1.5")
    assert found(date_to="2024-01-01") == {w.older_dialogue.pk}
    assert w.older_dialogue.pk not in found(date_from="2024-01-01")
    assert found(q="artificial") >= {w.dialogue.pk, w.older_dialogue.pk}
    api(client, "/api/v1/dialogues/?series=hidden-series", expected=404)
    api(client, "/api/v1/dialogues/?organization=hidden-org", expected=404)


@pytest.mark.parametrize("lang", LANGS)
def test_theme_and_series_filters(client, world, lang):
    w = world
    assert ids(client, "/api/v1/themes/", lang=lang, parent="visible-theme") == [w.child_theme.pk]
    assert ids(client, "/api/v1/themes/", lang=lang) == [w.theme.pk, w.child_theme.pk, w.other_theme.pk]
    assert ids(client, "/api/v1/themes/", lang=lang, ordering="-order") == [
        w.other_theme.pk,
        w.child_theme.pk,
        w.theme.pk,
    ]
    name = {"en": "Energy", "fr": "énergétique", "ko": "에너지", "all": "Energy"}[lang]
    assert w.theme.pk in ids(client, "/api/v1/themes/", lang=lang, q=name)
    assert w.series.pk in ids(client, "/api/v1/series/", lang=lang, country="KR")
    assert ids(client, "/api/v1/series/", lang=lang, country="JP") == []
    assert w.series.pk in ids(client, "/api/v1/series/", lang=lang, q="Canada")


def test_dialogue_ordering(client, world):
    newest = DialogueFactory(slug="future-edition", start_date="2030-01-01", end_date="2030-01-02")
    assert ids(client, "/api/v1/dialogues/")[0] == newest.pk
    assert ids(client, "/api/v1/dialogues/", ordering="start_date")[-1] == newest.pk
    titles = [d["title"] for d in every_page(client, "/api/v1/dialogues/", ordering="-title", lang="ko")]
    assert titles == sorted(titles, reverse=True)
