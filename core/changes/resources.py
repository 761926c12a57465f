"""What the change feed follows: the API resources, and which records embed which.

Each app registers its own part of this graph from its `AppConfig.ready()`, with its model classes
and its selectors; the kernel names no app. Registering a model connects the feed's signal
receivers to it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet

from core.models import PublicChangeAction

UPSERT = PublicChangeAction.UPSERT
REMOVE = PublicChangeAction.REMOVE
SCHEDULE_CHECKPOINT = "scheduled-publication"
NEW_ROWS_CHECKPOINT = "new-rows:"
WRITER_LOCK_KEY = 0x61746C61  # the advisory lock of the change log's writer
CHUNK = 500
MAX_ROUNDS = 50


@dataclass(frozen=True)
class Resource:
    """An API resource the feed follows: its model and the selector of its public rows.

    The feed reads ids only, so `public` is the app's selector without related rows (the same
    public rule as the records its API endpoint serves, none of their prefetches).
    """

    name: str
    model: type[Model]
    public: Callable[[], QuerySet]
    schedulable: bool


@dataclass(frozen=True)
class Embedding:
    """Rows of `model` whose `lookup` is a changed record's id name, through `value`, the
    records of `resource` that embed it."""

    model: type[Model]
    lookup: str
    value: str
    resource: str


@dataclass(frozen=True)
class ManyToManyLink:
    """A many-to-many field whose change alters its owner's payload (and the target's, when
    `target_resource` is set). `owner` maps the field's model to the record of `resource`."""

    model: type[Model]
    field: str
    resource: str
    target_resource: str | None
    owner: str

    @property
    def through(self) -> type[Model]:
        return self.model._meta.get_field(self.field).remote_field.through


# API resource name -> Resource, in registration order (lower apps first).
RESOURCES: dict[str, Resource] = {}
RESOURCE_OF_MODEL: dict[type[Model], str] = {}
# Foreign keys whose target's payload embeds the row: model -> [(attname, resource of the target)].
# Parts of a resource (sessions of a dialogue, updates of a recommendation, ...) and links such as
# the one a recommendation keeps to the one it follows up (listed in that one's `follow_ups`).
PARENT_LINKS: dict[type[Model], list[tuple[str, str]]] = {}
# Who embeds a resource: resource -> embeddings. A record that gets an entry touches these.
DEPENDANTS: dict[str, list[Embedding]] = {}
# Rows that are no resource but that resources embed (a document cited by findings).
EMBEDDED_ROWS: dict[type[Model], list[Embedding]] = {}
M2M_LINKS: dict[type[Model], ManyToManyLink] = {}  # keyed by the through model


def _follow(model: type[Model]) -> None:
    from core.changes import signals

    signals.follow(model, with_parents=model in PARENT_LINKS)


def register_resource(name: str, *, model: type[Model], public: Callable[[], QuerySet], schedulable=True):
    """The feed follows `model` as the API resource `name`, public as `public()` lists it."""
    RESOURCES[name] = Resource(name, model, public, schedulable)
    RESOURCE_OF_MODEL[model] = name
    _follow(model)


def register_parent_link(model: type[Model], *, attname: str, resource: str) -> None:
    """A change to a row of `model` changes the record of `resource` its `attname` points to."""
    PARENT_LINKS.setdefault(model, []).append((attname, resource))
    _follow(model)


def register_dependant(resource: str, *, model: type[Model], lookup: str, value: str, dependant: str):
    """Records of `dependant` embed `resource`: rows of `model` with `lookup` in the changed ids
    give them through `value`."""
    DEPENDANTS.setdefault(resource, []).append(Embedding(model, lookup, value, dependant))


def register_embedded_row(model: type[Model], *, by: type[Model], lookup: str, resource: str) -> None:
    """Records of `resource` (rows of `by`) embed rows of `model` through their `lookup`."""
    EMBEDDED_ROWS.setdefault(model, []).append(Embedding(by, lookup, "pk", resource))
    _follow(model)


def register_m2m(model, field: str, *, resource: str, target_resource: str | None = None, owner="pk"):
    """A change to `model.field`'s links changes `resource` (and `target_resource`)."""
    link = ManyToManyLink(model, field, resource, target_resource, owner)
    M2M_LINKS[link.through] = link


def chunks(values: Iterable, size: int = CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]
