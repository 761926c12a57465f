"""The synthetic corpus for performance work: `generate_corpus --findings N`."""

from findings.corpus.generate import corpus_delete, corpus_exists, corpus_generate
from findings.corpus.rows import CorpusSize

__all__ = ["CorpusSize", "corpus_delete", "corpus_exists", "corpus_generate"]
