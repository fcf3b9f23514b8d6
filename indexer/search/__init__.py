"""Searching a build: the Searcher (open, refresh, search), ranking, facets, suggestions, match spans."""

from indexer.search.searcher import Searcher

__all__ = ["Searcher"]
