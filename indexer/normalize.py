"""One fold, applied to indexed text and to queries alike.

The fold works character by character and never changes the length of a
string, so a character offset in the folded text is the same offset in the
original: snippets and highlights are cut from the original text at the
positions where the folded text matched.

>>> fold("台中市ＭＯＵ２０２５")
'臺中市mou2025'
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Variant pairs that are the same character to a Taiwanese reader.  Only
# one-to-one pairs that are safe everywhere belong here; 台 is the everyday
# form of 臺 in every place and agency name these reports use.
VARIANTS = {
    "台": "臺",
}


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """Fold one character: full-width to half-width, case, variant pairs.

    NFKC is used only where it gives a single character (Ａ→a, ２→2, 　→ space);
    characters it would expand (㈱ → (株)) are kept, to keep offsets aligned.
    """
    char = VARIANTS.get(char, char)
    compat = unicodedata.normalize("NFKC", char)
    if len(compat) == 1:
        char = compat
    lower = char.lower()
    return lower if len(lower) == 1 else char


def fold(text: str) -> str:
    """Fold a whole string; `len(fold(s)) == len(s)` always."""
    return "".join(map(fold_char, text))
