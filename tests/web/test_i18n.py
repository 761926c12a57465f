"""Languages: prefixed URLs, Accept-Language redirect, switcher, fallbacks, translated chrome."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation.template import templatize

from tests.findings.factories import FindingFactory
from tests.web.helpers import html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("fr-CA,fr;q=0.9,en;q=0.5", "/fr/"), ("ko-KR,ko;q=0.9", "/ko/"), ("de-DE,de", "/en/"), ("", "/en/")],
)
def test_root_redirects_by_accept_language(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


def test_unprefixed_page_redirects_to_the_readers_language(client, demo):
    response = client.get("/dialogues/canada-korea-ai-2025/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 302
    assert response["Location"] == "/ko/dialogues/canada-korea-ai-2025/"


@pytest.mark.parametrize("lang", ["en", "fr", "ko"])
def test_language_switcher_links_to_the_same_page_in_each_language(client, demo, lang):
    page = html(client.get(f"/{lang}/findings/?kind=key_finding"))
    switcher = page[
        page.index('class="lang-switcher"') : page.index("</nav>", page.index('class="lang-switcher"'))
    ]
    for other, name in (("en", "English"), ("fr", "Français"), ("ko", "한국어")):
        # Plain links (no JavaScript), the query string kept, each marked with its language.
        assert f'<a href="/{other}/findings/?kind=key_finding" hreflang="{other}" lang="{other}"' in switcher
        assert name in switcher
    assert re.search(rf'hreflang="{lang}" lang="{lang}" aria-current="true"', switcher)


def test_switcher_on_a_missing_page_links_to_each_home(client, db):
    page = html(client.get("/fr/nothing-here/"))
    assert '<a href="/ko/" hreflang="ko"' in page


def test_untranslated_text_falls_back_to_english_with_a_visible_note(client, db):
    finding = FindingFactory(title_en="Critical minerals supply", title_fr="", title_ko="", summary_ko="")
    page = html(client.get(f"/ko/findings/{finding.pk}/"))
    assert '<span lang="en">Critical minerals supply</span>' in page
    assert "아직 번역되지 않음" in page  # "not yet translated", in the Korean chrome
    assert re.search(r'<div lang="en" class="fallback"><p>Canadian exports', page)
    # A translated field carries no note.
    french = html(client.get(f"/fr/findings/{finding.pk}/"))
    assert "Les exportations canadiennes" in french
    assert '<div lang="en" class="fallback">' not in french
    assert '<span lang="en">Critical minerals supply</span>' in french


@pytest.mark.parametrize(
    ("lang", "english", "expected"),
    [
        ("fr", "Findings", "Constats"),
        ("ko", "Findings", "논의 결과"),
        ("fr", "Skip to main content", "Aller au contenu principal"),
        ("ko", "Recommendations tracker", "권고 이행 현황"),
        ("fr", "Key finding", "Constat clé"),
        ("ko", "Organisations", "기관"),
    ],
)
def test_each_locale_really_translates(lang, english, expected):
    with translation.override(lang):
        assert translation.gettext(english) == expected


@pytest.mark.parametrize("lang", ["fr", "ko"])
def test_no_english_left_in_the_chrome(client, demo, lang):
    page = html(client.get(f"/{lang}/findings/"))
    for english in ("Skip to main content", "Recommendations", "Search", "Refine", "Key finding", "Themes"):
        assert f">{english}<" not in page, english


@pytest.mark.parametrize("lang", ["en", "fr", "ko"])
def test_404_is_branded_and_translated(client, db, lang):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    page = html(response)
    assert f'<html lang="{lang}">' in page
    assert "Dialogue Atlas" in page
    with translation.override(lang):
        assert translation.gettext("Page not found") in page


@pytest.mark.parametrize("lang", ["en", "fr", "ko"])
def test_500_renders_without_request_or_database(lang, django_assert_num_queries):
    with translation.override(lang), django_assert_num_queries(0):
        page = get_template("500.html").render()  # how Django's server_error renders it
        assert translation.gettext("Something went wrong") in page
    assert f'<html lang="{lang}">' in page
    assert "css/site.css" in page


def test_503_is_branded(rf):
    page = get_template("503.html").render()
    assert "Dialogue Atlas" in page and "css/site.css" in page


# --- Catalogue completeness -----------------------------------------------------------------------

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LOCALE = Path(__file__).resolve().parents[2] / "locale"
QUOTED = r"u?'((?:[^'\\]|\\.)*)'"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def _unquote(text: str) -> str:
    return ast.literal_eval(f"'{text}'")


def public_template_msgids() -> set[tuple[str, str]]:
    """(context, msgid) of every string the public site's templates translate."""
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        relative = path.relative_to(TEMPLATES).parts
        if relative[0] in {"admin", "drf_spectacular", "rest_framework"}:
            continue
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        found |= {("", _unquote(m)) for m in re.findall(rf"(?<![np])gettext\({QUOTED}\)", source)}
        found |= {("", _unquote(m)) for m in re.findall(rf"ngettext\({QUOTED}, ", source)}
        found |= {
            (_unquote(c), _unquote(m)) for c, m in re.findall(rf"pgettext\({QUOTED}, {QUOTED}\)", source)
        }
    return found


@pytest.mark.parametrize("lang", ["fr", "ko"])
def test_every_template_string_has_a_translation(lang):
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    translated = {(entry.msgctxt or "", entry.msgid) for entry in catalogue.translated_entries()}
    wanted = public_template_msgids()
    assert len(wanted) > 130
    missing = sorted(wanted - translated)
    assert not missing, f"run makemessages and translate: {missing}"


@pytest.mark.parametrize("lang", ["fr", "ko"])
def test_catalogue_is_complete_and_placeholders_match(lang):
    catalogue = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()
    for entry in catalogue.translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            # A plural form may leave the count implicit ("Le constat…"), never invent a name.
            assert set(PLACEHOLDER.findall(text)) <= expected | set(PLACEHOLDER.findall(entry.msgid_plural))
            if not entry.msgid_plural:
                assert set(PLACEHOLDER.findall(text)) == expected, entry.msgid
