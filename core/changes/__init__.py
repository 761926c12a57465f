"""The partners' change feed: a record of what entered, changed in or left the public set.

Partners replay `/api/v1/changes/` (oldest first) to keep a copy of the public data: `upsert`
means "fetch this record again", `remove` means "delete your copy". The feed is fed by:

- signals on every curated model (save, delete, many-to-many changes). They only note which API
  records may be affected; once the transaction commits, `log.record()` asks the very selectors the
  API uses whether each record is public now, compares with its latest feed entry, and writes an
  `upsert` (public, and changed or newly public) or a `remove` (was public, is not any more).
  Every record that got an entry then touches its dependants, the records whose payload embeds
  it (a dialogue's findings and recommendations, a person's dialogues, a theme's findings, ...);
- `changes_reconcile()`, run by the first read of the feed in each public data state and by
  `manage.py changes_reconcile`: rows whose scheduled `published_at` has come since the last run
  (found through the `published_at` index) and rows added in bulk are recorded, with their
  dependants;
- `changes_rebuild()` (`manage.py changes_rebuild`): compares every record with the log, for
  data written around the signals (bulk updates, raw SQL, restores).

Each app registers its resources and what embeds what from its `AppConfig.ready()`
(`register_resource`, ...), so the kernel names no app. `resources` holds that registry, `log`
decides and writes the entries, `signals` collects what each transaction touched.
"""

from core.changes.log import change_list_public, changes_rebuild, changes_reconcile, public_queryset
from core.changes.resources import (
    RESOURCES,
    register_dependant,
    register_embedded_row,
    register_m2m,
    register_parent_link,
    register_resource,
)
from core.changes.signals import changes_record, connect_signals

__all__ = [
    "RESOURCES",
    "change_list_public",
    "changes_rebuild",
    "changes_reconcile",
    "changes_record",
    "connect_signals",
    "public_queryset",
    "register_dependant",
    "register_embedded_row",
    "register_m2m",
    "register_parent_link",
    "register_resource",
]
