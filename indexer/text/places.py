"""Places and bodies by the English or romanised names a reader may type or a report
may write (`data/gazetteer.txt`), shared by the query (Kumamoto is also searched as
熊本) and the partner finder (Yatsushiro is 八代市)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from indexer.text.fold import fold

GAZETTEER = Path(__file__).with_name("data") / "gazetteer.txt"


@lru_cache(maxsize=1)
def romanised_places() -> dict[str, tuple[str, ...]]:
    """Folded English or romanised name → how the reports write it, folded.

    >>> romanised_places()["kumamoto"]
    ('熊本',)
    """
    names: dict[str, tuple[str, ...]] = {}
    for line in GAZETTEER.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        latin, _, written = line.partition("\t")
        names[fold(" ".join(latin.split()))] = tuple(dict.fromkeys(fold(w) for w in written.split()))
    return names
