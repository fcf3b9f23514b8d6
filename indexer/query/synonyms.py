"""Vocabulary that means the same in every report: a small thesaurus, the
English and romanised names of places and bodies the reports write in Chinese
(a gazetteer), and years written in the ROC calendar or the Gregorian one.

>>> other_forms("日南驛")
['日南車站']
>>> other_forms("2018")
['107年']
>>> other_forms("民國107年")
['2018']
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from indexer.text.dates import ROC_OFFSET
from indexer.text.fold import fold
from indexer.text.places import romanised_places

THESAURUS = Path(__file__).with_name("data") / "thesaurus.txt"
_GREGORIAN_YEAR = re.compile(r"^(19[2-9]\d|20\d\d)年?$")
_ROC_YEAR = re.compile(r"^(?:民國)?(\d{2,3})年$")


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[str, ...], ...]:
    groups = []
    for line in THESAURUS.read_text(encoding="utf-8").splitlines():
        words = tuple(dict.fromkeys(fold(w) for w in line.split()))
        if words and not line.startswith("#") and len(words) > 1:
            groups.append(words)
    return tuple(groups)


def place_names(folded: str) -> tuple[str, ...]:
    """How the reports write a place or body the gazetteer knows by exactly this name.

    >>> place_names(fold("Kumamoto")), place_names(fold("熊本")), place_names("kumamoto-shi")
    (('熊本',), (), ())
    """
    return romanised_places().get(folded, ())


def other_forms(folded: str) -> list[str]:
    """Other ways of writing a folded query term, as folded strings."""
    forms: list[str] = list(place_names(folded))
    year = _GREGORIAN_YEAR.match(folded)
    if year:
        forms.append(f"{int(year.group(1)) - ROC_OFFSET}年")
    roc = _ROC_YEAR.match(folded)
    if roc and 1 <= int(roc.group(1)) <= 200:
        forms.append(str(int(roc.group(1)) + ROC_OFFSET))
    for group in _groups():
        for word in group:
            if word in folded:
                forms.extend(folded.replace(word, other) for other in group if other != word)
    return [f for f in dict.fromkeys(forms) if f != folded]
