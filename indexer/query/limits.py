"""How large a query may be: more terms, or more clauses once spellings, aliases,
headings, titles and jieba words are added, than a person types is refused,
saying what to shorten (a query built to be slow: docs/PERFORMANCE.md,
"Hostile queries")."""

from __future__ import annotations

from indexer.errors import BadRequest

MAX_TERMS = 32  # terms and phrases of one query, as typed
MAX_CLAUSES = 512  # an engine's clauses once the query is expanded


def check_size(terms: int, clauses: int) -> None:
    """BadRequest when a query is larger than any a person types."""
    if terms > MAX_TERMS:
        raise BadRequest(
            f"查詢的詞太多（{terms} 個，最多 {MAX_TERMS} 個）。Too many terms in the query "
            f"({terms}; at most {MAX_TERMS}): remove some words, or put a phrase in quotes.")
    if clauses > MAX_CLAUSES:
        raise BadRequest(
            f"查詢展開後太大，請減少詞或 OR。The query expands to {clauses} clauses (at most "
            f"{MAX_CLAUSES}) once spellings and other names are added: use fewer terms or fewer OR.")
