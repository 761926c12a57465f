"""Security headers on every response; HSTS and secure cookies in production."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.findings.factories import FindingFactory

ROOT = Path(__file__).resolve().parents[2]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def urls(db, make_staff):
    finding = FindingFactory()
    return [
        "/en/",
        f"/en/findings/{finding.pk}/",
        f"/ko/dialogues/{finding.dialogue.slug}/",
        "/fr/findings/?q=%3Cscript%3E",
        "/en/feeds/findings/",
        "/en/no-such-page/",
        "/api/v1/",
        f"/api/v1/findings/{finding.pk}/",
        "/api/v1/docs/",
        "/api/v1/schema/",
        "/healthz",
        "/readyz",
        f"/{settings.ADMIN_URL}login/",
        "/sitemap.xml",
    ]


def test_every_response_carries_the_security_headers(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert "geolocation=()" in response["Permissions-Policy"], url
        csp = csp_directives(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'self'"], url
        assert csp["frame-ancestors"] == ["'none'"], url
        assert csp["object-src"] == ["'none'"], url
        assert csp["base-uri"] == ["'none'"], url
        # Strict everywhere: scripts and styles from this site or with this response's nonce.
        for directive in ("script-src", "style-src"):
            sources = csp[directive]
            assert sources[0] == "'self'", (url, directive, sources)
            assert all(s == "'self'" or s.startswith("'nonce-") for s in sources), (url, directive, sources)


def test_the_nonce_changes_per_response_and_matches_the_page(client, urls):
    first = client.get(f"/{settings.ADMIN_URL}login/")
    second = client.get(f"/{settings.ADMIN_URL}login/")
    nonce = [s for s in csp_directives(first["Content-Security-Policy"])["script-src"] if "nonce" in s]
    other = [s for s in csp_directives(second["Content-Security-Policy"])["script-src"] if "nonce" in s]
    assert nonce and other and nonce != other
    assert f'nonce="{nonce[0][7:-1]}"' in first.content.decode()


def test_admin_pages_too(client, make_staff, login):
    finding = FindingFactory()
    login(make_staff("ed", "Editor"))
    for url in (
        f"/{settings.ADMIN_URL}",
        f"/{settings.ADMIN_URL}findings/finding/{finding.pk}/change/",
        f"/{settings.ADMIN_URL}deleted/",
        f"/{settings.ADMIN_URL}two-step/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = csp_directives(response["Content-Security-Policy"])
        assert "'unsafe-inline'" not in csp["script-src"] + csp["style-src"], url
        assert response["Permissions-Policy"], url


def _production(script: str, **env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ENV")}
    environment.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="atlas.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_redirects_to_https_and_marks_cookies_secure():
    values = _production(
        "import json\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "plain = c.get('/en/', HTTP_HOST='atlas.example.org')\n"
        "health = c.get('/healthz', HTTP_HOST='atlas.example.org')\n"
        "tls = c.get('/healthz', HTTP_HOST='atlas.example.org', secure=True)\n"
        "print(json.dumps({\n"
        "  'redirect': [plain.status_code, plain.get('Location')],\n"
        "  'health': health.status_code,\n"
        "  'hsts': tls.get('Strict-Transport-Security'),\n"
        "  'session_secure': settings.SESSION_COOKIE_SECURE,\n"
        "  'csrf_secure': settings.CSRF_COOKIE_SECURE,\n"
        "  'session_httponly': settings.SESSION_COOKIE_HTTPONLY,\n"
        "  'debug': settings.DEBUG,\n"
        "}))\n"
    )
    assert values["redirect"] == [301, "https://atlas.example.org/en/"]
    assert values["health"] == 200  # load balancer probes stay on plain HTTP
    assert values["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert values["session_secure"] and values["csrf_secure"] and values["session_httponly"]
    assert values["debug"] is False


def test_development_does_not_send_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz", secure=True)
