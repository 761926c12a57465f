"""API of organisations and people: every filter, in every language and with lang=all."""

import pytest

from tests.partners.fixtures import World, configure
from tests.partners.helpers import api, every_page
from tests.stakeholders.factories import OrganizationFactory, PersonFactory

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
def test_organization_filters(client, world, lang):
    w = world
    assert ids(client, "/api/v1/organizations/", lang=lang, kind="government") == [w.korean_org.pk]
    assert w.korean_org.pk in ids(client, "/api/v1/organizations/", lang=lang, country="KR")
    assert w.korean_org.pk not in ids(client, "/api/v1/organizations/", lang=lang, country="CA")
    acronym = OrganizationFactory(slug="apf", acronym_en="APF Canada", acronym_fr="FAP Canada")
    assert ids(client, "/api/v1/organizations/", lang=lang, q="FAP") == [acronym.pk]
    record = api(client, f"/api/v1/organizations/apf/?lang={lang}")
    expected = {"en": "APF Canada", "fr": "FAP Canada", "ko": "APF Canada"}
    if lang == "all":
        assert record["acronym"] == {"en": "APF Canada", "fr": "FAP Canada", "ko": None}
    else:
        assert record["acronym"] == expected[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_people_filters(client, world, lang):
    w = world
    assert ids(client, "/api/v1/people/", lang=lang, organization="visible-org") == [w.person.pk]
    assert w.person.pk in ids(client, "/api/v1/people/", lang=lang, country="CA")
    hangul = PersonFactory(slug="kim", given_name="Jiwoo", family_name="Kim", name_original="김지우")
    assert ids(client, "/api/v1/people/", lang=lang, q="김지우") == [hangul.pk]
    assert ids(client, "/api/v1/people/", lang=lang, q="jiwoo kim") == [hangul.pk]
    assert w.person.pk in ids(client, "/api/v1/people/", lang=lang, q="Directrice")
    api(client, "/api/v1/people/?organization=hidden-org", expected=404)
    names = [p["family_name"] for p in every_page(client, "/api/v1/people/", ordering="-name", lang=lang)]
    assert names == sorted(names, reverse=True)


def test_people_never_show_private_fields(client, world):
    record = api(client, f"/api/v1/people/{world.person.slug}/?lang=all")
    assert set(record) == {
        "id",
        "url",
        "web_url",
        "slug",
        "honorific",
        "given_name",
        "family_name",
        "name_original",
        "position",
        "organization",
        "country",
        "biography",
        "created",
        "updated",
    }
