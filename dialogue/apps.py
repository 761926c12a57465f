from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    """Dialogue series, dialogues, sessions, participations, themes and milestones."""

    name = "dialogue"
    verbose_name = _("Dialogues")

    def ready(self):
        # What this app contributes to the kernel: curated content, stored search vectors, and the
        # change feed's part of the graph (dialogues embed their parts, organisers, participants
        # and themes; series embed their dialogues and milestones).
        from core import changes, search, translations
        from core.curation import register_curated_app
        from dialogue import selectors
        from dialogue.models import (
            DIALOGUE_SEARCH_FIELDS,
            Dialogue,
            DialogueDocument,
            DialogueOrganizer,
            DialogueSeries,
            Milestone,
            Participation,
            Session,
            Theme,
        )
        from stakeholders.models import register_person_shown_by

        register_curated_app(self)
        # A consenting person is public through a public participation of a public dialogue.
        register_person_shown_by(
            lambda: Participation.objects.counted().filter(is_public=True).values("person_id")
        )
        search.register_stored_vectors(Dialogue, DIALOGUE_SEARCH_FIELDS)
        translations.register(
            Dialogue, fields=("title", "summary", "context"), dialogue="slug", themes="themes"
        )
        translations.register(Theme, fields=("name", "description"), themes="pk")

        changes.register_resource("themes", model=Theme, public=selectors.theme_list_public)
        changes.register_resource("series", model=DialogueSeries, public=selectors.series_list_public)
        changes.register_resource("dialogues", model=Dialogue, public=selectors.dialogue_list_public_bare)

        changes.register_parent_link(Milestone, attname="series_id", resource="series")
        for part in (DialogueOrganizer, Session, DialogueDocument, Participation):
            changes.register_parent_link(part, attname="dialogue_id", resource="dialogues")
        changes.register_parent_link(Dialogue, attname="series_id", resource="series")
        # A person enters or leaves the public set with their participations and dialogues.
        changes.register_parent_link(Participation, attname="person_id", resource="people")

        embeddings = [
            ("organizations", DialogueOrganizer, "organization_id", "dialogue_id", "dialogues"),
            ("organizations", Participation, "organization_id", "dialogue_id", "dialogues"),
            ("people", Participation, "person_id", "dialogue_id", "dialogues"),
            ("themes", Theme, "parent_id", "pk", "themes"),
            ("themes", Dialogue.themes.through, "theme_id", "dialogue_id", "dialogues"),
            ("themes", Session.themes.through, "theme_id", "session__dialogue_id", "dialogues"),
            ("series", Dialogue, "series_id", "pk", "dialogues"),
            ("dialogues", Dialogue, "pk", "series_id", "series"),
            ("dialogues", Participation, "dialogue_id", "person_id", "people"),
        ]
        for resource, model, lookup, value, dependant in embeddings:
            changes.register_dependant(resource, model=model, lookup=lookup, value=value, dependant=dependant)

        changes.register_m2m(Dialogue, "themes", resource="dialogues")
        # add()/remove() through DialogueOrganizer bulk-create and delete rows without save signals.
        changes.register_m2m(Dialogue, "organizers", resource="dialogues")
        changes.register_m2m(Session, "themes", resource="dialogues", owner="dialogue_id")
