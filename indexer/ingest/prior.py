"""How much of a passage is prose: a prior the ranking scales a passage's score by,
computed once at index time (a table of contents, photo captions or a list of
names that merely contains a term is worth less than a paragraph about it)."""

from __future__ import annotations

import re

from indexer.ingest.passages import is_toc_entry
from indexer.weights import MIN_PRIOR, TOC_PRIOR

_SENTENCE = re.compile(r"[。，；！？,;]")


def passage_prior(text: str, heading_path: tuple[str, ...] = ()) -> float:
    """How much of a passage is prose, in [TOC_PRIOR, 1].

    >>> passage_prior("本市與八代市締結友好城市，雙方往來密切，每年互訪交流，並共同推動觀光。")
    1.0
    >>> passage_prior("目錄\\n一、前言\\t1\\n二、過程\\t3", ("目錄",))
    0.15
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return MIN_PRIOR
    toc_lines = sum(is_toc_entry(line) for line in lines)  # the passage splitter's own rule
    if heading_path[:1] in (("目錄",), ("目次",)) or toc_lines >= max(3, len(lines) // 2):
        return TOC_PRIOR
    total = sum(map(len, lines))
    # Prose: lines of some length with sentence punctuation and no table cells.
    prose = sum(len(line) for line in lines
                if len(line) >= 25 and "\t" not in line and len(_SENTENCE.findall(line)) >= 1)
    return round(MIN_PRIOR + (1 - MIN_PRIOR) * prose / total, 4)
