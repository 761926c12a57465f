from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: publication bases, the change feed's log, search, the page cache, locking."""

    name = "core"
    label = "core"
    verbose_name = _("Dialogue Atlas")

    def ready(self):
        # Every receiver of the kernel is connected here. The apps register what they contribute
        # (curated models, feed resources, stored search vectors) from their own ready().
        from django.core.signals import got_request_exception
        from django.db.models.signals import pre_save
        from simple_history.signals import pre_create_historical_record

        from core import cache, changes, locking, middleware, restore, security
        from core.periodic import register_periodic

        changes.connect_signals()  # the partners' change feed follows every curated model
        cache.connect_signals()  # cached public pages are invalidated on every change
        pre_save.connect(locking.version_bump, dispatch_uid="atlas-version-bump")
        pre_save.connect(security.refuse_unsafe_links, dispatch_uid="atlas-unsafe-links")
        pre_create_historical_record.connect(restore.tag_deletion, dispatch_uid="atlas-deletion-batch")
        got_request_exception.connect(middleware.note_outage, dispatch_uid="atlas-database-outage")
        register_periodic("publish_due", changes.publish_due)  # scheduled publications enter the feed
