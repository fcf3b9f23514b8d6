"""What to offer when a search finds nothing: a spelling the index has, or fewer filters.

A spelling is one edit away from a term (a character replaced, added or
dropped, or two neighbours swapped) and comes from the index itself, asked
through the engine's protocol only (`indexer.engine.protocol`), so that every
engine offers the same:

- a CJK term (八伐市): for each of its characters, the passages that hold what
  is left around it (八 and 市) are searched and the best few read; what stands
  there in their text (八代市, 八市, 八王子市 …) is a candidate when it is one
  edit away, and is kept when it is a word (`_a_word`: the dictionary's, or
  one jieba cuts the text around it into; not 港正 of 港/正式). Names no
  dictionary has are found this way, since they are in the text;
- a Latin or digit term (iclie): the index's Latin and digit words (`Lexicon`).

Only a term that finds nothing by itself is respelled: a word the index has
is spelled right (八代 港口 締結 finds nothing because no passage holds all
three words, not because 港口 is misspelled). The candidates are offered by
how many passages the changed search finds. The look-up is bounded: at most
`MAX_PROBES` engine runs and counts per search, `MAX_PASSAGES` passages read
per run, and the search's deadline.

>>> within_one_edit("八伐市", "八代市"), within_one_edit("iclie", "iclei"), within_one_edit("八代", "熊本")
(True, True, False)
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace

from indexer.engine.deadline import Deadline, SearchTimeout
from indexer.engine.protocol import EngineSearcher
from indexer.models import SearchRequest, Suggestion
from indexer.query import syntax
from indexer.query.plan import ParsedQuery, parse_query
from indexer.query.request import query_string
from indexer.text.fold import fold
from indexer.text.grams import CJK_CHAR, is_cjk, latin_words
from indexer.text.spellings import spellings
from indexer.text.words import get_tokenizer, segment

MAX_SPELLINGS = 3
# Engine calls (runs and counts) that looking for spellings may make for one search …
MAX_PROBES = 16
# … passages read per run (the best ones), runs per term (one per character at most),
MAX_PASSAGES = 20
MAX_RUNS_PER_TERM = 6
# … and candidates per term whose searches are counted (those most passages read hold).
MAX_COUNTED = 4
# Candidates per term checked for being words, occurrences checked per candidate, and
# the characters either side of an occurrence that jieba cuts to check it.
MAX_CHECKED = 8
MAX_OCCURRENCES = 4
AROUND = 8


def within_one_edit(a: str, b: str) -> bool:
    """One substitution, insertion, deletion or swap of neighbours apart (and not equal)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1:]


_LATIN = re.compile(r"[^\W\d_]+|\d+")  # one Latin or digit word (CJK is handled before)


class Lexicon:
    """The index's Latin and digit words by length (those inside longer words too:
    2014iclei holds iclei), read once per opened index when first needed."""

    def __init__(self, words: Callable[[], Iterable[str]]):
        self._words = words
        self._by_length: dict[int, list[str]] | None = None
        self._lock = threading.Lock()

    def near(self, word: str) -> list[str]:
        with self._lock:
            if self._by_length is None:
                by_length: dict[int, list[str]] = {}
                for latin in sorted({w for text in self._words() for w in latin_words(text)}):
                    by_length.setdefault(len(latin), []).append(latin)
                self._by_length = by_length
        if len(word) < 2:
            return []
        candidates = (w for n in (len(word) - 1, len(word), len(word) + 1)
                      for w in self._by_length.get(n, ()))
        return [w for w in candidates if len(w) >= 2 and within_one_edit(word, w)]


class Probe:
    """The index as spellings are looked up in it: runs of the engine (the best passages
    holding some pieces, their folded text) and counts of changed searches, at most
    `probes` of them all told, none past the search's deadline."""

    def __init__(self, engine: EngineSearcher, count: Callable[[SearchRequest], int],
                 deadline: Deadline | None = None, probes: int = MAX_PROBES, passages: int = MAX_PASSAGES):
        self._engine = engine
        self._count = count
        self._deadline = deadline
        self.left = probes
        self.passages = passages

    def _spend(self) -> bool:
        if self.left <= 0:
            return False
        if self._deadline is not None:
            try:
                self._deadline.check()
            except SearchTimeout:
                self.left = 0
                return False
        self.left -= 1
        return True

    def texts(self, pieces: list[str]) -> dict[int, str]:
        """Passage number → folded text of the best passages that hold every piece."""
        if not self._spend():
            return {}
        run = self._engine.run(parse_query(" ".join(pieces)), SearchRequest(query=" ".join(pieces)),
                               self.passages, self._deadline)
        if not run.complete:
            self.left = 0
        return {n: fold(self._engine.stored(n)["text"]) for _score, n in run.best}

    def count(self, request: SearchRequest) -> int:
        """How many passages a changed request finds (0 once the budget is spent)."""
        return self._count(request) if self._spend() else 0


def _in_text(word: str, probe: Probe) -> list[str]:
    """CJK words one edit away from `word` that the index's text holds, those most
    passages read hold first, at most MAX_COUNTED of them."""
    found: dict[str, dict[int, list[int]]] = {}  # candidate → passage → where it starts
    texts: dict[int, str] = {}

    def note(candidate: str, number: int, start: int) -> None:
        if len(candidate) >= 2 and within_one_edit(word, candidate):
            found.setdefault(candidate, {}).setdefault(number, []).append(start)

    # Each character left out in turn, the middle ones first (two pieces find fewer passages).
    for i in sorted(range(len(word)), key=lambda i: (i in (0, len(word) - 1), i))[:MAX_RUNS_PER_TERM]:
        before, after = word[:i], word[i + 1:]
        read = probe.texts([p for p in (before, after) if p])
        texts.update(read)
        # what stands where the character was: nothing (dropped), one (replaced) or two (one added)
        patterns = [re.compile(f"(?=({re.escape(before)}{CJK_CHAR}{{{k}}}{re.escape(after)}))") for k in (0, 1, 2)]
        for number, text in read.items():
            for pattern in patterns:
                for match in pattern.finditer(text):
                    note(match.group(1), number, match.start())
    swaps = [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)]
    for swapped in swaps:
        for number, text in texts.items():
            start = text.find(swapped)
            while start >= 0:
                note(swapped, number, start)
                start = text.find(swapped, start + 1)
    ranked = sorted(found, key=lambda c: -len(found[c]))  # stable: ties in the order found
    words = []
    for candidate in ranked[:MAX_CHECKED]:
        if _a_word(candidate, [(texts[n], s) for n, starts in found[candidate].items() for s in starts]):
            words.append(candidate)
            if len(words) >= MAX_COUNTED:
                break
    return words


def _a_word(candidate: str, where: list[tuple[str, int]]) -> bool:
    """Whether `candidate`, found in these texts at these offsets, is a word: one the
    dictionary has, or one that jieba cuts the text around it into (八代市 in
    本市與八代市締結), or into whole words of two or more characters (國際交流:
    國際/交流), or that begins several of its words (八代 in 八代市 and 八代港).
    Not one that straddles words (港正 in 港/正式) or is cut into single characters
    (與木 in 與/木/結構), nor the beginning of one word only (友好城 in 友好城市)."""
    if _dictionary_has(candidate):
        return True
    # Different neighbours first: the words it begins differ there, if anywhere.
    by_next: dict[str, list[tuple[str, int]]] = {}
    for text, start in where:
        by_next.setdefault(text[start + len(candidate):start + len(candidate) + 1], []).append((text, start))
    spread = [at for group in itertools.zip_longest(*by_next.values()) for at in group if at is not None]
    begun = set()
    for text, start in spread[:MAX_OCCURRENCES]:
        end = start + len(candidate)
        low, high = max(0, start - AROUND), min(len(text), end + AROUND)
        cut = [(low + a, low + b) for _word, a, b in segment(text[low:high])]
        inside = [(a, b) for a, b in cut if start <= a and b <= end]
        if inside and inside[0][0] == start and inside[-1][1] == end and all(b - a >= 2 for a, b in inside):
            return True
        begun.update(text[a:b] for a, b in cut if a == start and b > end)
        if len(begun) >= 2:
            return True
    return False


def _dictionary_has(word: str) -> bool:
    return get_tokenizer().FREQ.get(word, 0) > 0  # (jieba lists every prefix of a word too, at 0)


def _respellable(term: str) -> bool:
    word = fold(term)
    return len(word) >= 2 and (is_cjk(word) or bool(_LATIN.fullmatch(word)))


def _spellings(request: SearchRequest, unfiltered: SearchRequest, parsed: ParsedQuery, lexicon: Lexicon,
               probe: Probe) -> list[Suggestion]:
    """Other spellings of the terms that find nothing, best first."""
    tree = parsed.tree
    # A query that is one term, or terms joined by OR, and finds nothing without the
    # filters: none of its terms finds anything. Otherwise each term is counted alone.
    alone = isinstance(tree, syntax.Term | syntax.Phrase) or (
        isinstance(tree, syntax.Or) and all(isinstance(n, syntax.Term | syntax.Phrase) for n in tree.nodes))
    offers: list[tuple[int, Suggestion]] = []
    for term in filter(_respellable, syntax.positive_terms(tree)):
        if not alone and probe.count(replace(unfiltered, query=term)):
            continue  # the index has it: spelled right
        word = spellings(term)[-1]  # its Traditional form, as reports write it (八带 → 八帶)
        near = _in_text(word, probe) if is_cjk(word) else lexicon.near(word)[:MAX_COUNTED]
        for candidate in near:
            changed = replace(request, query=request.query.replace(term, candidate, 1), page=1)
            n = probe.count(changed)
            if n and all(s.url != query_string(changed) for _n, s in offers):
                offers.append((n, Suggestion("spelling", changed.query, query_string(changed), n)))
    offers.sort(key=lambda offer: -offer[0])  # stable: ties in the order found
    return [s for _n, s in offers[:MAX_SPELLINGS]]


# Each filter a request can have: the suggestion that searches without it, and the fields that hold it.
FILTERS = (
    ("不限縣市", ("city",)),
    ("不限日期", ("date_from", "date_to")),
    ("不限類型", ("kind",)),
    ("不限層級", ("level",)),
    ("不限機關", ("agency",)),
    ("不限國家", ("country",)),
    ("不限交流對象", ("partner",)),
)
NO_FILTERS = "不限任何條件"


def suggestions(request: SearchRequest, parsed: ParsedQuery, lexicon: Lexicon,
                count: Callable[[SearchRequest], int], probe: Probe) -> tuple[Suggestion, ...]:
    """Suggestions for a search with no hits, each with how many passages it would find.

    A suggestion changes one thing and keeps the rest of the request (filters,
    sort, page size), back on page 1: a spelling one edit away (only when the
    words find nothing even without the filters), or the search without one
    filter, or without all of them when more than one is set.
    `count(request)` counts the hits of a changed request; `probe` looks spellings
    up in the index, within its budget.
    """
    found: list[Suggestion] = []

    def offer(kind: str, text: str, changed: SearchRequest) -> None:
        n = count(changed)
        if n:
            found.append(Suggestion(kind, text, query_string(changed), n))

    chosen = [(label, names) for label, names in FILTERS if any(getattr(request, n) for n in names)]
    unfiltered = replace(request, page=1, **{n: _unset(n) for _label, names in chosen for n in names})
    # Words the index has are spelled right: when only the filters exclude everything,
    # another spelling (熊本 → 山本) would only mislead.
    if not chosen or count(unfiltered) == 0:
        found.extend(_spellings(request, unfiltered, parsed, lexicon, probe))
    if len(chosen) > 1:
        chosen.append((NO_FILTERS, tuple(n for _label, names in chosen for n in names)))
    for label, names in chosen:
        offer("drop_filter", label, replace(request, page=1, **{n: _unset(n) for n in names}))
    return tuple(found)


def _unset(field: str):
    """A request field's value when it is not set: no dates (None), no values of a filter (())."""
    return None if field in ("date_from", "date_to") else ()
