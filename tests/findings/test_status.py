"""A recommendation's status is the status of its latest update: badge, tracker and API agree."""

import datetime as dt

import pytest

from findings.models import Recommendation
from tests.findings.factories import RecommendationFactory, RecommendationUpdateFactory
from tests.web.helpers import html

pytestmark = pytest.mark.django_db


def test_the_badge_shows_the_latest_update(client):
    recommendation = RecommendationFactory(current_status="under_consideration")
    RecommendationUpdateFactory(
        recommendation=recommendation, update_date=dt.date(2026, 3, 1), status="in_progress"
    )
    RecommendationUpdateFactory(
        recommendation=recommendation, update_date=dt.date(2025, 1, 1), status="stalled"
    )
    assert Recommendation.objects.get().current_status == "in_progress"  # the older update changes nothing
    page = html(client.get(recommendation.get_absolute_url()))
    kicker = page[page.index('class="kicker"') : page.index("</p>", page.index('class="kicker"'))]
    assert "In progress" in kicker and "Under consideration" not in kicker
    tracker = html(client.get("/en/recommendations/", {"status": "in_progress"}))
    assert recommendation.title_en in tracker


def test_a_held_edit_is_not_published_by_an_update(client, make_staff, login):
    """An update saved beside an Analyst's held edit changes the status only, not the held text."""
    recommendation = RecommendationFactory(title_en="Published title")
    recommendation.title_en = "Held title (in memory only)"
    update = RecommendationUpdateFactory.build(recommendation=recommendation, status="implemented")
    update.save()
    stored = Recommendation.objects.get()
    assert (stored.title_en, stored.current_status) == ("Published title", "implemented")
