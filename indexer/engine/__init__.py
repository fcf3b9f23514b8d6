"""The seam between a search and the data structures that run it (`protocol.py`),
and the engines behind it: `whoosh` (the reference)."""

from __future__ import annotations

from indexer.engine.protocol import Engine

ENGINES = ("whoosh",)


def get_engine(name: str = "whoosh") -> Engine:
    """The engine of that name; ValueError for an unknown one."""
    if name == "whoosh":
        from indexer.engine.whoosh.engine import WhooshEngine

        return WhooshEngine()
    raise ValueError(f"unknown engine {name!r}; known: {', '.join(ENGINES)}")
