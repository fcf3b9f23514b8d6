"""Report ids: made from file names, distinct, and stable from one build to the next.

    2024/taipei.txt -> 2024--taipei
    x.pdf beside x.docx -> x and x--pdf

Links to passages use the id, so once a file has an id it keeps it.
"""

from __future__ import annotations

import hashlib
import itertools
import unicodedata
from collections.abc import Iterator
from pathlib import PurePath

# Control and format characters (a newline, U+202E that turns text around) and
# line separators break URLs, headers and terminals; each becomes "-" in an id.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def safe_text(text: str, replacement: str = "-") -> str:
    """`text` with every control or format character replaced.

    >>> safe_text("a\\nb\\u202ec")
    'a-b-c'
    """
    return "".join(replacement if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text)


def plain_id(path: str) -> str:
    """The id a file would have alone: its corpus path without suffix, `/`
    written `--`; Chinese and other letters kept as they are.

    >>> plain_id("2024/臺北市 報告.pdf")
    '2024--臺北市 報告'
    """
    return safe_text("--".join(PurePath(path).with_suffix("").parts))


def _preferred_ids(path: str) -> list[str]:
    """The ids `path` may have, best first: x, x--pdf, x--<hash of the path>."""
    plain = plain_id(path)
    suffix = safe_text(PurePath(path).suffix.lower().lstrip("."))
    digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return [plain, f"{plain}--{suffix}", f"{plain}--{digest}"]


def _own_ids(path: str) -> Iterator[str]:
    """Every id `path` may have, best first; endless, so one is always free."""
    preferred = _preferred_ids(path)
    yield from preferred
    for n in itertools.count(2):
        yield f"{preferred[-1]}-{n}"


def _is_own(doc_id: str, path: str) -> bool:
    preferred = _preferred_ids(path)
    head, _, n = doc_id.rpartition("-")
    return doc_id in preferred or (head == preferred[-1] and n.isdigit())


def assign_ids(paths: list[str], previous: dict[str, str] | None = None) -> dict[str, str]:
    """A distinct id for each corpus path (relative, as in the manifest).

    A path keeps the id it had in the `previous` build (path -> id) when that
    is still one of its own, so adding a file never moves another's links.
    Otherwise a path gets its plain id when no other path holds it (the first
    in sorted order wins), else its plain id with its suffix (`x--docx`), else
    with a hash of its path.

    >>> assign_ids(["x.pdf", "x.docx", "a/b.txt", "a--b.txt"])
    {'a--b.txt': 'a--b', 'a/b.txt': 'a--b--txt', 'x.docx': 'x', 'x.pdf': 'x--pdf'}
    """
    previous = previous or {}
    ordered = sorted(paths)
    ids: dict[str, str] = {}
    taken: set[str] = set()

    def give(path: str, doc_id: str) -> None:
        ids[path] = doc_id
        taken.add(doc_id)

    for path in ordered:
        old = previous.get(path)
        if old is not None and old not in taken and _is_own(old, path):
            give(path, old)
    for path in ordered:  # plain ids before any suffixed one, so that x--pdf.txt keeps x--pdf
        if path not in ids and plain_id(path) not in taken:
            give(path, plain_id(path))
    for path in ordered:
        if path not in ids:
            give(path, next(doc_id for doc_id in _own_ids(path) if doc_id not in taken))
    return {path: ids[path] for path in ordered}
