from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    """Findings, recommendations and their follow-up."""

    name = "findings"
    verbose_name = _("Findings and recommendations")

    def ready(self):
        # What this app contributes to the kernel: curated content, stored search vectors, and the
        # change feed's part of the graph (what findings and recommendations embed).
        from core import changes, search, translations
        from core.curation import register_curated_app
        from dialogue.models import DialogueDocument
        from findings import selectors
        from findings.models import (
            FINDING_SEARCH_FIELDS,
            RECOMMENDATION_SEARCH_FIELDS,
            Finding,
            Recommendation,
            RecommendationUpdate,
        )

        register_curated_app(self)
        search.register_stored_vectors(Finding, FINDING_SEARCH_FIELDS)
        search.register_stored_vectors(Recommendation, RECOMMENDATION_SEARCH_FIELDS)
        for model, fields in ((Finding, ("title", "summary", "body")), (Recommendation, ("title", "body"))):
            translations.register(model, fields=fields, dialogue="dialogue__slug", themes="themes")

        changes.register_resource("findings", model=Finding, public=selectors.finding_list_public_bare)
        changes.register_resource(
            "recommendations", model=Recommendation, public=selectors.recommendation_list_public_bare
        )
        changes.register_parent_link(
            RecommendationUpdate, attname="recommendation_id", resource="recommendations"
        )
        # A follow-up is listed in the `follow_ups` of the recommendation it follows.
        changes.register_parent_link(Recommendation, attname="follows_id", resource="recommendations")
        # A finding's payload carries its source document.
        changes.register_embedded_row(
            DialogueDocument, by=Finding, lookup="source_document_id", resource="findings"
        )

        sources = Recommendation.source_findings.through
        embeddings = [
            (
                "organizations",
                Recommendation.addressee_organizations.through,
                "organization_id",
                "recommendation_id",
                "recommendations",
            ),
            ("themes", Finding.themes.through, "theme_id", "finding_id", "findings"),
            ("themes", Recommendation.themes.through, "theme_id", "recommendation_id", "recommendations"),
            ("dialogues", Finding, "dialogue_id", "pk", "findings"),
            ("dialogues", Recommendation, "dialogue_id", "pk", "recommendations"),
            ("findings", sources, "finding_id", "recommendation_id", "recommendations"),
            ("recommendations", Recommendation, "follows_id", "pk", "recommendations"),
            ("recommendations", Recommendation, "pk", "follows_id", "recommendations"),
            ("recommendations", sources, "recommendation_id", "finding_id", "findings"),
        ]
        for resource, model, lookup, value, dependant in embeddings:
            changes.register_dependant(resource, model=model, lookup=lookup, value=value, dependant=dependant)

        changes.register_m2m(Finding, "themes", resource="findings")
        changes.register_m2m(Recommendation, "themes", resource="recommendations")
        changes.register_m2m(
            Recommendation, "source_findings", resource="recommendations", target_resource="findings"
        )
        changes.register_m2m(Recommendation, "addressee_organizations", resource="recommendations")
