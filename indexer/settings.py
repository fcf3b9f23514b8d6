"""Settings, declared once with their help text; read from the environment.

The README's settings table is checked against this list by a test.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from indexer.errors import JiaoliuError


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.name) or self.default


SETTINGS = (
    Setting("JIAOLIU_CORPUS", "corpus", "Folder of report files (PDF, DOCX, ODT, DOC, HTML, text) to index."),
    Setting("JIAOLIU_INDEX", "var/index", "Folder where the index is built and served from."),
    Setting("JIAOLIU_HOST", "127.0.0.1", "Address `jiaoliu serve` listens on."),
    Setting("JIAOLIU_PORT", "8000", "Port `jiaoliu serve` listens on."),
    Setting("JIAOLIU_PUBLIC_URL", "",
            "The site's public address, e.g. https://jiaoliu.example.org; the CSV export's and `jiaoliu search`'s "
            "passage links start with it. Empty: the CSV's links are relative (/reports/…), never built from the "
            "request's Host header, and the command's start with http://JIAOLIU_HOST:JIAOLIU_PORT."),
    Setting("JIAOLIU_THREADS", "4", "Threads of each web server worker process."),
    Setting("JIAOLIU_WORKERS", "", "Web server worker processes (empty: one per CPU core; 1: no extra process)."),
    Setting("JIAOLIU_CACHE", os.path.join(tempfile.gettempdir(), "jiaoliu-cache"),
            "Folder for the prepared segmentation dictionary (safe to delete)."),
    Setting("JIAOLIU_ENGINE", "arrays",
            "What runs searches: `arrays` (numpy arrays beside the whoosh store, fast at an archive's size) or "
            "`whoosh` (whoosh's own matchers, the reference). Changing it means `jiaoliu index` rebuilds."),
    Setting("JIAOLIU_SEARCH_SECONDS", "1",
            "Seconds a search may run; past them it answers with the matches found so far, marked "
            "incomplete (0: no limit)."),
    Setting("JIAOLIU_MAX_TEXT_CHARS", "2000000",
            "Most characters of text one report may have; a file with more is skipped, with the reason."),
    Setting("JIAOLIU_MAX_FILE_BYTES", "200000000",
            "Largest corpus file, in bytes, that is read (200 MB); a larger file is skipped, with the reason."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: the environment's, else its default."""
    return _BY_NAME[name].value()


def whole_number(name: str, when_empty: int | None = None) -> int:
    """A setting that is a count of at least 1 (`when_empty` if it is empty and one
    is given, e.g. the number of cores); JiaoliuError names a bad value."""
    raw = get(name) or (str(when_empty) if when_empty is not None else "")
    if not raw.strip().isdigit() or int(raw) < 1:
        raise JiaoliuError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def seconds(name: str) -> float | None:
    """A setting in seconds, None for 0 (no limit); JiaoliuError names a bad value."""
    raw = get(name)
    try:
        value = float(raw)
    except ValueError:
        raise JiaoliuError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value < 0 or value != value or value == float("inf"):
        raise JiaoliuError(f"{name} must be 0 or a positive number of seconds, not {raw!r}")
    return value or None
