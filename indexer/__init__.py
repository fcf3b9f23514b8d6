"""The jiaoliu library (no web code), one package per stage of the pipeline:

    corpus files → ingest (Report, passages) → index (a build) → engine → search → results

- `indexer.text`: the rules shared by index and query (fold, grams, jieba words, dates, cities);
- `indexer.ingest`: reading report files into Reports (extract, metadata, passages, aliases);
- `indexer.index`: builds on disk (build, store);
- `indexer.query`: a search request and the plan it runs (syntax, expansion);
- `indexer.engine`: the seam between the plan and the data structures that run it;
- `indexer.search`: the Searcher, ranking, facets, suggestions, match spans.

>>> from indexer import build_index, Searcher, parse_search_request   # doctest: +SKIP
"""

from indexer.query.request import parse_search_request
from indexer.search import Searcher

__all__ = ["Searcher", "build_index", "parse_search_request"]


def __getattr__(name: str):
    # The build and its file readers are imported when asked for: a server whose index
    # exists starts without them (0.1 s of its start).
    if name == "build_index":
        from indexer.index.build import build_index

        return build_index
    raise AttributeError(f"module 'indexer' has no attribute {name!r}")
