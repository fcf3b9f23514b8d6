"""BM25F as whoosh computes it, with each segment's field lengths read once.

Whoosh's BM25F looks up a document's field length for every score: a seek and
a read in the segment's lengths column, about a sixth of a search's time
(docs/PERFORMANCE.md). The lengths are one byte per document and field, so
they are read in one piece per segment reader and field, and the scorer looks
them up in memory. Scores are identical (tests/engine/test_whoosh_engine.py).
"""

from __future__ import annotations

import threading
import weakref

from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import byte_to_length

# length byte → length; 0 means "no length stored", which whoosh never scores.
_LENGTH = [1] + [byte_to_length(b) for b in range(1, 256)]

_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # segment reader → {field: bytes}
_lock = threading.Lock()


def _length_bytes(reader, fieldname: str) -> bytes | None:
    """The segment's length byte of every document for `fieldname`, or None
    when the reader is not a whoosh-3 segment reader (then nothing is cached)."""
    with _lock:
        per_field = _cache.get(reader)
        if per_field is None:
            per_field = _cache[reader] = {}
        if fieldname in per_field:
            return per_field[fieldname]
    perdoc = getattr(reader, "_perdoc", None)
    lenfield = f"_{fieldname}_len"
    raw = None
    if perdoc is not None and hasattr(perdoc, "has_column") and perdoc.has_column(lenfield):
        column = perdoc.column_reader(lenfield, LENGTHS_COLUMN)
        if all(hasattr(column, a) for a in ("_dbfile", "_basepos", "_count", "_fixedlen")) and column._fixedlen == 1:
            raw = bytes(column._dbfile.get(column._basepos, column._count))
            raw += bytes(max(0, reader.doc_count_all() - len(raw)))  # documents past the column: 0
    with _lock:
        per_field[fieldname] = raw
    return raw


class BM25F(scoring.BM25F):
    """whoosh's BM25F (same parameters, same scores), faster field lengths."""

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            raw = _length_bytes(searcher.reader(), fieldname)
            if raw is not None:
                scorer.dfl = lambda docnum, raw=raw: _LENGTH[raw[docnum]]
        return scorer
