"""The seam between a search and the data structures that run it (`protocol.py`),
and the engines behind it: `arrays` (numpy postings and columns, the default) and
`whoosh` (whoosh's matchers, the reference the contract test holds the other to)."""

from __future__ import annotations

from indexer.engine.protocol import Engine
from indexer.errors import UnknownEngine

ENGINES = ("arrays", "whoosh")


def get_engine(name: str | None = None) -> Engine:
    """The engine of that name (None: the JIAOLIU_ENGINE setting's); UnknownEngine (a
    ValueError and a JiaoliuError, so the CLI says it in one line) for an unknown one."""
    if name is None:
        from indexer import settings

        name = settings.get("JIAOLIU_ENGINE")
    if name == "whoosh":
        from indexer.engine.whoosh.engine import WhooshEngine

        return WhooshEngine()
    if name == "arrays":
        from indexer.engine.arrays.engine import ArraysEngine

        return ArraysEngine()
    raise UnknownEngine(f"unknown engine {name!r} (JIAOLIU_ENGINE); known: {', '.join(ENGINES)}")
