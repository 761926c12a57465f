"""Korean morphological analysis for search, with Kiwi (kiwipiepy).

PostgreSQL has no Korean parser, so the Korean text of each record with stored search vectors is
analysed in Python when the record is saved: content morphemes (nouns, verb and adjective stems,
roots, foreign words, numbers) are kept, particles and endings dropped (캐나다와 -> 캐나다), and the
result is written to the record's `search_ko` column, one line per searched field, from which the
trigger builds the `fts_ko` vector with the `simple` configuration. A query is analysed the same
way (core/search.py). Compounds of the user dictionary (core/data/korean_words.txt and the
analysts' `KoreanWord` rows) stay whole and are indexed with their parts as well, so 센터 finds
데이터센터 and 데이터센터 ranks a record that has the compound above one with the two words apart.

The analyser is loaded once per process (~1.7 s, ~300 MiB), lazily, and only on PostgreSQL: SQLite
keeps its substring search. gunicorn's `--preload` loads it in the master, so workers share it.
"""

import threading
import uuid
import warnings
from pathlib import Path

from django.core.cache import cache
from django.db import connection

# Content morphemes: common/proper nouns, numerals, verb and adjective stems, roots, foreign
# words, numbers, Chinese characters. Bound nouns (것, 년), pronouns, particles, endings and
# affixes carry no meaning a reader searches for.
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SN", "SH"})
DICTIONARY_FILE = Path(__file__).resolve().parent / "data" / "korean_words.txt"

WORDS_VERSION_KEY = "atlas:korean-words"

_lock = threading.Lock()
_analyser = None


class Analyser:
    """One Kiwi instance with the user dictionary, and each compound's parts."""

    def __init__(self):
        from kiwipiepy import Kiwi

        # num_workers=0: one thread and no pool, which is safe to fork (gunicorn --preload). Kiwi
        # warns that 0 meant "every core" before 0.21; one thread is what is meant here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.kiwi = Kiwi(num_workers=0)
        self.compounds: dict[str, tuple[str, ...]] = {}
        self.words_version = None
        self.has_analyst_words = False
        self.add_words(dictionary_file_words())

    def add_words(self, words: list[tuple[str, str]]) -> None:
        """Keep `words` whole; their parts, as Kiwi split them before, are indexed with them."""
        new = [(word, tag) for word, tag in dict(words).items() if word not in self.compounds]
        # Split them all first, then add them all: Kiwi rebuilds its model (seconds) on the first
        # analysis after a change of its dictionary, so once per batch rather than once per word.
        splits = {
            word: tuple(t.form for t in self.kiwi.tokenize(word) if t.tag in CONTENT_TAGS) for word, _ in new
        }
        for word, tag in new:
            self.kiwi.add_user_word(word, tag)
            self.compounds[word] = splits[word] if len(splits[word]) > 1 else ()
        if new:
            self.kiwi.tokenize(new[0][0])  # rebuild now, not in the middle of a request

    def morphemes(self, text: str) -> list[list[str]]:
        """Per content morpheme of `text`, the forms it is indexed under: [[compound, *parts]]."""
        found = []
        for token in self.kiwi.tokenize(text):
            if token.tag not in CONTENT_TAGS:
                continue
            form = token.form.lower()
            found.append([form, *self.compounds.get(token.form, ())])
        return found


def dictionary_file_words() -> list[tuple[str, str]]:
    """(word, tag) of the dictionary kept in the repository."""
    words = []
    for line in DICTIONARY_FILE.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            words.append((fields[0], fields[1] if len(fields) > 1 else "NNG"))
    return words


def is_enabled() -> bool:
    """Whether Korean text is analysed: on PostgreSQL, where the vectors are stored."""
    return connection.vendor == "postgresql"


def preload() -> None:
    """Load the analyser now (gunicorn's master, before it forks: workers share its memory).
    Touches neither the database nor the cache, whose connections must not cross a fork."""
    global _analyser
    if _analyser is None and is_enabled():
        _analyser = Analyser()
        # Kiwi builds some of its tables on first use: build them before the fork, or each worker
        # would build its own private copy (~270 MiB).
        _analyser.morphemes("캐나다와 한국의 에너지 협력")


def analyser() -> Analyser:
    """The process's analyser, loaded on first use, with the repository's and analysts' words;
    a word an analyst added in another process is picked up on the next use (one cache read)."""
    global _analyser
    if _analyser is None:
        with _lock:
            if _analyser is None:
                _analyser = Analyser()
    version = cache.get(WORDS_VERSION_KEY)
    if not _analyser.has_analyst_words or version != _analyser.words_version:
        with _lock:
            _analyser.add_words(_analyst_words())
            _analyser.words_version = version
            _analyser.has_analyst_words = True
    return _analyser


def korean_word_add(*, word: str, tag: str = "NNG") -> int:
    """Keep `word` whole from now on: every process's analyser learns it, and the records whose
    Korean text contains it are analysed again. Returns how many were. (A removed word stays
    known to running processes until they restart; `reindex_korean` then forgets it.)"""
    from core import search
    from core.models import KoreanWord

    KoreanWord.objects.update_or_create(word=word, defaults={"tag": tag})
    cache.set(WORDS_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    if not is_enabled():
        return 0
    analyser()
    return search.korean_reindex_containing(word)


def _analyst_words() -> list[tuple[str, str]]:
    from core.models import KoreanWord

    # Migrations analyse text too, possibly before this table exists.
    if KoreanWord._meta.db_table not in connection.introspection.table_names():
        return []
    return list(KoreanWord.objects.values_list("word", "tag"))


def index_text(*texts: str | None) -> str:
    """The value of `search_ko` for a record: one line per field, its indexed forms."""
    if not any(texts):
        return "\n".join("" for _text in texts)
    analysed = analyser()
    lines = []
    for text in texts:
        forms = [form for morpheme in analysed.morphemes(text or "") for form in morpheme]
        lines.append(" ".join(forms))
    return "\n".join(lines)


def query_morphemes(terms: list[str]) -> list[list[str]]:
    """Per content morpheme of the query's words, its forms (a compound and its parts)."""
    analysed = analyser()
    found = []
    for term in terms:
        for morpheme in analysed.morphemes(term):
            if morpheme not in found:
                found.append(morpheme)
    return found
