"""An in-memory inverted index over PostgreSQL's own search vectors, for searches that must rank
and count every match of a broad query (the findings list: two common words can match a third
of 100,000 findings, and the page shows their facet counts).

PostgreSQL still analyses everything: the index is built from the stored `fts_<lang>` vectors and
each query is parsed by PostgreSQL (`plainto_tsquery`, ...); only the posting lists live here,
as numpy arrays, one per lexeme and language. A query then costs array intersections, not a
visit of every matching heap row. The answers are PostgreSQL's:

- `match()` evaluates the tsquery tree (`&`, `|`, prefixes `:*`) over the postings, which is
  what `vector @@ query` does; trees with `!` or phrase operators are refused (`Unsupported`).
- `rank()` is `ts_rank(vector, query)` with every `&` read as `|` (core.search ranks that way
  too): PostgreSQL's `calc_rank_or`, whose value is a sum over the query's distinct operands of a
  per-entry value that depends on that entry's positions only. The index keeps that value per
  posting, computed here with PostgreSQL's single-precision steps, and adds them in the same
  order, so the two agree to the bit.

`LiveIndex` keeps one such index per process current: built once (in a background thread, the
result shared with the other processes through the cache), then brought up to date at each new
public data state from the change log (the records whose entry is newer than the index's) and from
the scheduled publications that came due since. Until it is ready, and whenever it cannot answer
exactly (inside a transaction that wrote public changes, an unknown public state), callers search
with PostgreSQL, which gives the same results.
"""

from core.textindex.index import FORMAT, TextIndex, best_first
from core.textindex.live import LIVE_INDEXES, LiveIndex, forget_all
from core.textindex.query import Unsupported, entry_rank, operands, parse_tsquery

__all__ = [
    "FORMAT",
    "LIVE_INDEXES",
    "LiveIndex",
    "TextIndex",
    "Unsupported",
    "best_first",
    "entry_rank",
    "forget_all",
    "operands",
    "parse_tsquery",
]
