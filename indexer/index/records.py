"""The engine-neutral records of a build: one per passage, with its report's metadata."""

from __future__ import annotations


def passage_key(doc_id: str, passage_id: str) -> str:
    return f"{doc_id}\x1f{passage_id}"
