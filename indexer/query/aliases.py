"""The aliases learned from the reports, as a lookup for queries.

`aliases.find_aliases` learns pairs from one report's text (經團連 ↔
日本經濟團體連合會, 蔣市長 ↔ 蔣萬安市長); the build keeps them with the report
they came from, and a query term expands to its aliases only within those
reports: 蔣市長 means 蔣萬安 in the Taipei report and nobody in another.

>>> table = AliasTable([{"short": "蔣市長", "full": "蔣萬安市長", "kind": "reference", "doc_id": "t"}])
>>> table.expand("蔣萬安")
[('蔣市長', frozenset({'t'}))]
"""

from __future__ import annotations

import os
from collections import defaultdict

from indexer.text.fold import fold


def _common_suffix(a: str, b: str) -> str:
    n = len(os.path.commonprefix([a[::-1], b[::-1]]))
    return a[len(a) - n:] if n else ""


class AliasTable:
    def __init__(self, records: list[dict]):
        # The same pairs recur across reports (a ministry's abbreviation in every
        # report that names it): work out each distinct pair's links once.
        docs_of: dict[tuple[str, str, bool], set[str]] = defaultdict(set)
        for record in records:
            docs_of[record["short"], record["full"], record.get("kind") == "reference"].add(record["doc_id"])
        links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        folds: dict[str, str] = {}  # the same names recur in several pairs: fold each once

        def folded(text: str) -> str:
            found = folds.get(text)
            if found is None:
                found = folds[text] = fold(text)
            return found

        for (short, full, reference), docs in docs_of.items():
            pairs = [(short, full)]
            if reference:
                # 蔣市長 ↔ 蔣萬安市長 also means 蔣市長 ↔ 蔣萬安: people search the name.
                title = _common_suffix(short, full)
                name = full[: len(full) - len(title)]
                if title and len(name) >= 2:
                    pairs.append((short, name))
            for a, b in pairs:
                fa, fb = folded(a), folded(b)
                if fa != fb:
                    links[fa][b] |= docs
                    links[fb][a] |= docs
        self._links = {key: {alias: frozenset(docs) for alias, docs in targets.items()}
                       for key, targets in links.items()}

    def expand(self, folded: str) -> list[tuple[str, frozenset[str]]]:
        """The aliases of a folded term, each with the reports where it holds."""
        return sorted(self._links.get(folded, {}).items())

    def __len__(self) -> int:
        return len(self._links)
