"""Other spellings of a query: simplified Chinese and Japanese, through OpenCC.

Only queries are converted, never the reports (see indexer/text/fold.py for why).
A query is searched in its original and converted forms together, so that a
conversion that goes wrong (了解 → 瞭解) cannot lose what the user typed.

>>> spellings("熊本县 姐妹市")
['熊本县 姊妹市', '熊本縣 姊妹市']
"""

from __future__ import annotations

import threading
from functools import lru_cache

import opencc

from indexer.text.fold import fold

# s2t: simplified → traditional (熊本县 → 熊本縣, 经济 → 經濟);
# jp2t: Japanese shinjitai → traditional, beyond the characters fold() knows.
CONVERSIONS = ("s2t", "jp2t")

_local = threading.local()


def _converter(config: str) -> opencc.OpenCC:
    # One converter per thread: the binding does not promise thread safety.
    converters = getattr(_local, "converters", None)
    if converters is None:
        converters = _local.converters = {}
    if config not in converters:
        converters[config] = opencc.OpenCC(config)
    return converters[config]


@lru_cache(maxsize=4096)
def spellings(text: str) -> list[str]:
    """The folded forms of `text` to search: its own first, then the converted
    ones that differ, each once."""
    forms = [fold(text)]
    for config in CONVERSIONS:
        converted = _converter(config).convert(text)
        # OpenCC works phrase by phrase but keeps lengths for these tables;
        # a form of another length could not be highlighted, so it is dropped.
        if len(converted) == len(text):
            folded = fold(converted)
            if folded not in forms:
                forms.append(folded)
    return forms
