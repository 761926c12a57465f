"""Fixtures of the API tests: settings, and a world of public records with hidden ones beside them.

Imported by tests/partners/conftest.py and by each app's tests/<app>/test_api.py.
"""

import datetime as dt
import itertools

from django.core.cache import cache
from django.utils import timezone

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

SECRET = "Zzsecret"
_counter = itertools.count()


def configure(settings):
    """Every request reaches the view (no page cache), no rate limit unless a test sets one.

    No limit at all (rather than a high one), so that no request counts in the limits' table:
    the query counts of tests/partners/test_queries.py are the view's (test_access.py counts the
    limit's own statement).
    """
    settings.PUBLIC_CACHE_ENABLED = False
    settings.API_THROTTLE_ANON = None
    settings.API_THROTTLE_KEY = None
    settings.SITE_URL = ""
    cache.clear()


def hidden(field: str, label: str) -> dict:
    """Translated text of a record that must never be public, marked in every language."""
    n = next(_counter)
    return {f"{field}_{lang}": f"{SECRET}{n} {label} {lang}" for lang in ("en", "fr", "ko")}


class World:
    """Public records of every resource, each with hidden records attached in every possible way."""

    def __init__(self):
        past = timezone.now() - dt.timedelta(days=1)
        # --- public
        self.organization = OrganizationFactory(slug="visible-org", country="CA", kind="think_tank")
        self.korean_org = OrganizationFactory(slug="korean-org", country="KR", kind="government")
        self.theme = ThemeFactory(slug="visible-theme", order=1)
        self.child_theme = ThemeFactory(slug="visible-child", parent=self.theme, order=2)
        self.other_theme = ThemeFactory(slug="other-theme", order=3)
        self.series = DialogueSeriesFactory(slug="visible-series", countries=["CA", "KR"])
        self.dialogue = DialogueFactory(
            series=self.series,
            slug="visible-dialogue",
            is_chatham_house=True,
            start_date=dt.date(2025, 7, 9),
            end_date=dt.date(2025, 7, 10),
            country="KR",
        )
        self.dialogue.themes.add(self.theme)
        self.older_dialogue = DialogueFactory(
            series=self.series,
            slug="older-dialogue",
            start_date=dt.date(2023, 5, 1),
            end_date=dt.date(2023, 5, 1),
            country="CA",
        )
        DialogueOrganizerFactory(dialogue=self.dialogue, organization=self.organization)
        MilestoneFactory(series=self.series)
        self.session = SessionFactory(dialogue=self.dialogue)
        self.session.themes.add(self.child_theme)
        self.document = DialogueDocumentFactory(dialogue=self.dialogue, url="https://example.org/summary.pdf")
        self.person = PersonFactory(slug="visible-person", organization=self.organization, country="CA")
        self.participation = ParticipationFactory(dialogue=self.dialogue, person=self.person)
        self.finding = FindingFactory(
            dialogue=self.dialogue,
            themes=[self.child_theme],
            kind="key_finding",
            source_document=self.document,
            perspective="delegation",
            perspective_country="KR",
        )
        self.risk = FindingFactory(dialogue=self.older_dialogue, kind="risk", themes=[self.other_theme])
        self.recommendation = RecommendationFactory(
            dialogue=self.dialogue,
            themes=[self.theme],
            current_status="in_progress",
            priority="high",
            horizon="short",
            addressee_countries=["KR"],
        )
        self.recommendation.addressee_organizations.add(self.korean_org)
        self.recommendation.source_findings.add(self.finding)
        self.update = RecommendationUpdateFactory(recommendation=self.recommendation, status="in_progress")
        self.earlier = RecommendationFactory(dialogue=self.older_dialogue, current_status="stalled")
        self.follow_up = RecommendationFactory(
            dialogue=self.dialogue,
            follows=self.earlier,
            follow_up_kind="reiterated",
            current_status="proposed",
        )

        # --- hidden: drafts, in review, scheduled, children of hidden dialogues, no consent
        self.hidden_organization = OrganizationFactory(draft=True, slug="hidden-org", **hidden("name", "org"))
        self.hidden_theme = ThemeFactory(in_review=True, slug="hidden-theme", **hidden("name", "theme"))
        self.hidden_child_theme = ThemeFactory(parent=self.theme, scheduled=True, slug="hidden-child")
        self.hidden_series = DialogueSeriesFactory(
            draft=True, slug="hidden-series", **hidden("name", "series")
        )
        self.hidden_dialogue = DialogueFactory(
            draft=True, series=self.hidden_series, slug="hidden-dialogue", **hidden("title", "dialogue")
        )
        self.scheduled_dialogue = DialogueFactory(
            scheduled=True, slug="scheduled-dialogue", **hidden("title", "soon")
        )
        self.dialogue_of_hidden_series = DialogueFactory(series=self.hidden_series, slug="orphan-dialogue")
        self.dialogue.themes.add(self.hidden_theme)
        self.organization.parent = self.hidden_organization
        self.organization.save()
        DialogueOrganizerFactory(dialogue=self.dialogue, organization=self.hidden_organization)
        MilestoneFactory(series=self.hidden_series, **hidden("title", "milestone"))
        SessionFactory(dialogue=self.hidden_dialogue, **hidden("title", "session"))
        self.session.themes.add(self.hidden_theme)
        self.hidden_document = DialogueDocumentFactory(
            dialogue=self.hidden_dialogue, **hidden("title", "document")
        )
        self.private_person = PersonFactory(
            private=True, slug="private-person", organization=self.organization
        )
        self.person_of_hidden_org = PersonFactory(
            slug="person-hidden-org", organization=self.hidden_organization
        )
        ParticipationFactory(dialogue=self.dialogue, person=self.private_person)
        self.unlisted_participation = ParticipationFactory(
            dialogue=self.dialogue, private=True, person=PersonFactory(slug="unlisted-participant")
        )
        ParticipationFactory(
            dialogue=self.dialogue, person=self.person_of_hidden_org, organization=self.hidden_organization
        )
        ParticipationFactory(dialogue=self.hidden_dialogue, person=self.person)
        # Consent alone publishes nobody: a consenting person whose only participation (itself
        # consented) is in a draft dialogue is hidden; one with a public dialogue is public.
        self.person_of_draft_dialogue = PersonFactory(
            through_dialogues=True,
            slug="only-in-a-draft-dialogue",
            family_name=f"{SECRET}onlydraft",
            organization=self.organization,
        )
        ParticipationFactory(dialogue=self.hidden_dialogue, person=self.person_of_draft_dialogue)
        self.person_through_dialogue = PersonFactory(through_dialogues=True, slug="through-a-public-dialogue")
        ParticipationFactory(dialogue=self.older_dialogue, person=self.person_through_dialogue)
        self.hidden_findings = [
            FindingFactory(dialogue=self.dialogue, draft=True, **hidden("title", "draft finding")),
            FindingFactory(dialogue=self.dialogue, in_review=True, **hidden("title", "review finding")),
            FindingFactory(dialogue=self.dialogue, scheduled=True, **hidden("title", "scheduled finding")),
            FindingFactory(dialogue=self.hidden_dialogue, **hidden("title", "orphan finding")),
            FindingFactory(dialogue=self.scheduled_dialogue, **hidden("title", "early finding")),
        ]
        self.finding.themes.add(self.hidden_theme)
        self.risk.source_document = self.hidden_document
        self.risk.save()
        self.hidden_recommendations = [
            RecommendationFactory(dialogue=self.dialogue, draft=True, **hidden("title", "draft rec")),
            RecommendationFactory(dialogue=self.dialogue, scheduled=True, **hidden("title", "scheduled rec")),
            RecommendationFactory(dialogue=self.hidden_dialogue, **hidden("title", "orphan rec")),
        ]
        RecommendationUpdateFactory(recommendation=self.hidden_recommendations[0], **hidden("note", "update"))
        self.recommendation.addressee_organizations.add(self.hidden_organization)
        self.recommendation.source_findings.add(self.hidden_findings[0])
        self.recommendation.themes.add(self.hidden_theme)
        self.hidden_recommendations[0].follows = self.earlier
        self.hidden_recommendations[0].follow_up_kind = "revised"
        self.hidden_recommendations[0].save()
        self.after_hidden = RecommendationFactory(
            dialogue=self.dialogue, follows=self.hidden_recommendations[1], follow_up_kind="superseded"
        )
        self.past = past

    @property
    def visible_ids(self) -> dict[str, set[int]]:
        """Records that must be listed (each resource lists others too: factories add parents)."""
        return {
            "organizations": {self.organization.pk, self.korean_org.pk},
            "themes": {self.theme.pk, self.child_theme.pk, self.other_theme.pk},
            "series": {self.series.pk},
            "dialogues": {self.dialogue.pk, self.older_dialogue.pk, self.dialogue_of_hidden_series.pk},
            "findings": {self.finding.pk, self.risk.pk},
            "recommendations": {
                self.recommendation.pk,
                self.earlier.pk,
                self.follow_up.pk,
                self.after_hidden.pk,
            },
            "people": {
                self.person.pk,
                self.person_of_hidden_org.pk,
                self.unlisted_participation.person_id,
                self.person_through_dialogue.pk,
            },
        }

    @property
    def hidden_ids(self) -> dict[str, set[int]]:
        return {
            "organizations": {self.hidden_organization.pk},
            "themes": {self.hidden_theme.pk, self.hidden_child_theme.pk},
            "series": {self.hidden_series.pk},
            "dialogues": {self.hidden_dialogue.pk, self.scheduled_dialogue.pk},
            "findings": {finding.pk for finding in self.hidden_findings},
            "recommendations": {rec.pk for rec in self.hidden_recommendations},
            "people": {self.private_person.pk, self.person_of_draft_dialogue.pk},
        }
