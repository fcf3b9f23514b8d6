"""Links into a report that outlive a change in how it is cut into passages.

A passage's id is its anchor (/reports/<doc>#<id>). When a report is cut anew (its
text changed, or the cut did: sections became paragraphs), an id of the earlier
build lands on the passage that now holds the first character of what it named;
ids moved before move on with it.

>>> from indexer.models import Passage
>>> old = [Passage("p-sect", (), "", 0, 40)]
>>> new = [Passage("p-a", (), "", 0, 18), Passage("p-b", (), "", 20, 40)]
>>> moved_anchors(new, old, {"p-older": "p-sect"})
{'p-sect': 'p-a', 'p-older': 'p-a'}
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

from indexer.models import Passage


def moved_anchors(passages: Sequence[Passage], before: Sequence[Passage],
                  moved_before: Mapping[str, str]) -> dict[str, str]:
    """{id of `before` (or moved there earlier) not among `passages`: the id that holds its place}."""
    if not passages:
        return {}
    ids = {p.passage_id for p in passages}
    starts = [p.start for p in passages]

    def holding(offset: int) -> str:
        return passages[max(0, bisect.bisect_right(starts, offset) - 1)].passage_id

    moved = {p.passage_id: holding(p.start) for p in before if p.passage_id not in ids}
    for old, target in moved_before.items():
        if old not in ids:
            landing = target if target in ids else moved.get(target)
            if landing:
                moved[old] = landing
    return moved
