from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    """Organisations and people."""

    name = "stakeholders"
    verbose_name = _("Stakeholders")

    def ready(self):
        # What this app contributes to the kernel: curated content, and the change feed's part of
        # the graph whose records are organisations and people.
        from core import changes
        from core.curation import register_curated_app
        from stakeholders import selectors
        from stakeholders.models import Organization, Person

        register_curated_app(self)
        changes.register_resource(
            "organizations", model=Organization, public=selectors.organization_list_public
        )
        changes.register_resource(
            "people", model=Person, public=selectors.person_list_public, schedulable=False
        )
        # An organisation's payload names its parent; a person's names their organisation.
        changes.register_dependant(
            "organizations", model=Organization, lookup="parent_id", value="pk", dependant="organizations"
        )
        changes.register_dependant(
            "organizations", model=Person, lookup="organization_id", value="pk", dependant="people"
        )
