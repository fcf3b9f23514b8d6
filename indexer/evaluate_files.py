"""Checks of what jiaoliu reads from real files against what is true of them.

A truth file (tests/real/truth.json) says per file: its city (a list of acceptable
values; null: central government), the range its date must fall in (a leading null:
no date is stated, so none or one in that range), its kind (or the kinds it is not),
words its title must hold, and parts of its authoring body's name. `scripts/real_files.py`
prints the checks for a folder of files; tests/ingest/test_real_files.py asserts them.

>>> in_range("2025-02-14", ["2025-02", "2025-02"]), in_range(None, [None])
(True, True)
"""

from __future__ import annotations

from indexer.models import Metadata
from indexer.text.fold import fold_tai

ASPECTS = ("city", "date", "kind", "title", "agency")


def in_range(value: str | None, bounds: list) -> bool:
    """Whether `value` (an ISO date, month or year) falls within a truth's date bounds."""
    if bounds and bounds[0] is None and (value is None or len(bounds) == 1):
        return value is None
    low, high = bounds[-2], bounds[-1]
    return value is not None and low[:len(value)] <= value[:len(low)] and value[:len(high)] <= high


def aspects(truth: dict) -> tuple[str, ...]:
    """The aspects a truth entry says something about (an unknown agency is not checked)."""
    return tuple(a for a in ASPECTS if a != "agency" or truth.get("agency_any"))


def right(metadata: Metadata, aspect: str, truth: dict) -> bool:
    """Whether `metadata` is right about `aspect` of the file `truth` describes."""
    if aspect == "city":
        return metadata.city in truth["city"]
    if aspect == "date":
        return in_range(metadata.date, truth["date"])
    if aspect == "kind":
        return metadata.kind in truth["kind"] if "kind" in truth else metadata.kind not in truth["kind_not"]
    if aspect == "title":  # 台 and 臺 are one character to a reader
        return any(fold_tai(word) in fold_tai(metadata.title) for word in truth["title_any"])
    if aspect == "agency":
        return any(fold_tai(word) in fold_tai(metadata.agency or "") for word in truth["agency_any"])
    raise ValueError(f"no such aspect: {aspect}")
