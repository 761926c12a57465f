"""Shared pieces of the corpus generator: the run's state and bulk-insert helpers."""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from core.models import PublicationStatus
from demo.corpus import text

PREFIX = "syn-"
LANGS = ("en", "fr", "ko")
BATCH_SIZE = 1000


@dataclass(frozen=True)
class CorpusSize:
    """How many rows of each kind a corpus of `findings` findings has."""

    findings: int
    sessions_per_dialogue: int = 5
    participations_per_dialogue: int = 20

    @property
    def dialogues(self) -> int:
        return max(1, self.findings // 40)

    @property
    def series(self) -> int:
        return max(1, self.dialogues // 5)

    @property
    def recommendations(self) -> int:
        return self.findings // 2

    @property
    def people(self) -> int:
        return max(self.participations_per_dialogue, self.findings // 4)

    @property
    def organizations(self) -> int:
        return max(8, self.findings // 100)


@dataclass
class Run:
    """One generation: the random source, the clock, what exists so far and the counts."""

    size: CorpusSize
    rng: random.Random
    now: dt.datetime
    say: Callable[[str], None]
    slots: text.Slots = field(init=False)
    counts: dict[str, int] = field(default_factory=dict)
    themes: list = field(default_factory=list)  # index i: the theme of text.TOPICS[i]
    organizations: list = field(default_factory=list)
    people: list = field(default_factory=list)
    series: list = field(default_factory=list)
    pairs: list = field(default_factory=list)  # the two countries of each series
    first_year: dict[int, int] = field(default_factory=dict)  # series index -> year of edition 1
    # (series index, edition) -> ids of that edition's recommendations, for follow-ups.
    recommendations_by_edition: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    def __post_init__(self):
        self.slots = text.Slots(self.rng)

    def insert(self, model, rows: list, name: str | None = None) -> list:
        """bulk_create in batches (primary keys come back); counts the rows under `name`."""
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        name = name or str(model._meta.verbose_name_plural)
        self.counts[name] = self.counts.get(name, 0) + len(rows)
        return created

    def status(self, published_at: dt.datetime, shares=(0.85, 0.06, 0.04)) -> dict:
        """Mostly published (at `published_at`), some drafts, some in review, some scheduled."""
        roll = self.rng.random()
        published, draft, in_review = shares
        if roll < published:
            return {"status": PublicationStatus.PUBLISHED, "published_at": min(published_at, self.now)}
        if roll < published + draft:
            return {"status": PublicationStatus.DRAFT, "published_at": None}
        if roll < published + draft + in_review:
            return {"status": PublicationStatus.IN_REVIEW, "published_at": None}
        later = dt.timedelta(days=self.rng.randint(1, 60), hours=self.rng.randint(0, 23))
        return {"status": PublicationStatus.PUBLISHED, "published_at": self.now + later}


def tr(name: str, values: tuple[str, str, str]) -> dict:
    """Per-language column values: {"title_en": ..., "title_fr": ..., "title_ko": ...}."""
    return {f"{name}_{lang}": value for lang, value in zip(LANGS, values, strict=True)}


def through(model, field_name: str):
    """The automatic through model of a many-to-many field."""
    return getattr(model, field_name).through
