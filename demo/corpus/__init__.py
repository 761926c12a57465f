"""The synthetic corpus for performance work: `generate_corpus --findings N`."""

from demo.corpus.generate import corpus_delete, corpus_exists, corpus_generate
from demo.corpus.rows import CorpusSize

__all__ = ["CorpusSize", "corpus_delete", "corpus_exists", "corpus_generate"]
