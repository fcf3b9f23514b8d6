"""A query plan over the arrays: which passages match, how many, and how well.

Every step is one numpy operation over a posting list or a column:

- a gram's passages are its postings in every segment, offset to the build's
  numbering; a run of grams at consecutive positions (a term longer than a
  bigram, a phrase) is found by intersecting (passage, position − i) keys of
  its i-th gram, restricted first to the passages that hold every gram;
- terms, spellings, other names, OR, AND and exclusions are boolean masks over
  the passages, which is what makes totals and facets bincounts;
- the score is BM25 (whoosh's formula and parameters) summed over the grams of
  the positive terms in the text, the heading path and the report's title
  (boosted as the weights say), plus COORD per top-level term for partial matches.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from indexer.engine.arrays.batch import term_key
from indexer.engine.arrays.segment import FIELDS, Segment, ranges
from indexer.engine.deadline import Deadline
from indexer.query import syntax
from indexer.query.plan import ParsedQuery, Runs, Unit
from indexer.weights import (
    ALIAS_BOOST,
    COORD,
    DENSITY_BONUS,
    DENSITY_SCALE,
    HEADING_BONUS,
    HEADING_FIELD_BOOST,
    MATCH_ALIAS,
    PARTIAL_BOOST,
    TIER_WEIGHT,
    TITLE_FIELD_BOOST,
)

# whoosh's BM25F defaults (whoosh.scoring.BM25F), so both engines rank alike.
B, K1 = 0.75, 1.2
# A term in the passage's heading path or its report's title adds its BM25 there, so boosted.
FIELD_BOOSTS = {"text": 1.0, "heading": HEADING_FIELD_BOOST, "title": TITLE_FIELD_BOOST}
# Wanted passages are looked up one by one in a posting list this many times longer
# than them (a binary search each), else picked by one gather over the whole list:
# the two cost the same at about 1:25 (40k postings, 200k passages).
SEARCH_RATIO = 32
# A term whose runs of grams read this many postings is kept in the MaskCache (a bigram
# alone is one scatter, never worth it); CACHE_BYTES of them (640 at 200k passages, 128 at 1M).
CACHE_FROM_POSTINGS = 20_000
CACHE_BYTES = 16 * 1024 * 1024


@dataclass
class Part:
    """A gram's postings in one segment."""

    segment: Segment
    offset: int  # the segment's first passage in the build's numbering
    start: int
    end: int


class Postings:
    """The build's segments seen as one: passages numbered across segments, deleted ones masked out."""

    def __init__(self, segments: list[Segment], live: np.ndarray, docs: np.ndarray, doc_ids: list[str],
                 lengths: dict[str, np.ndarray], prior: np.ndarray, chars: np.ndarray):
        self.segments = segments
        self.offsets = np.cumsum([0] + [s.passages for s in segments])[:-1].tolist()
        self.live = live  # bool per passage: not deleted
        self.passages = len(live)
        self.docs = docs  # each passage's report, as its place in `doc_ids`
        self._doc_code = {d: i for i, d in enumerate(doc_ids)}
        self.prior = prior  # how much of each passage is prose (indexer.ingest.prior)
        self.chars = chars  # each passage's length in characters
        count = int(live.sum())
        self.doc_count = count
        # BM25's length normalisation per field: K1 * (1 - B + B * length / average length)
        self.norms = {field: K1 * ((1 - B) + B * length / (float(length[live].mean() or 1.0) if count else 1.0))
                      for field, length in lengths.items()}
        self._parts: dict[str, list[Part]] = {}
        self.masks = MaskCache(self.passages)

    def doc_codes(self, doc_ids) -> np.ndarray:
        return np.array([self._doc_code[d] for d in doc_ids if d in self._doc_code], dtype=np.int64)

    def parts(self, gram: str) -> list[Part]:
        found = self._parts.get(gram)
        if found is None:
            key = term_key(gram)
            found = []
            for segment, offset in zip(self.segments, self.offsets, strict=True):
                term = segment.term(key)
                if term is not None:
                    start, end = segment.postings(term)
                    found.append(Part(segment, offset, start, end))
            if len(self._parts) > 4096:
                self._parts.clear()
            self._parts[gram] = found
        return found

    def frequency(self, gram: str) -> int:
        return sum(p.end - p.start for p in self.parts(gram))

    def passages_of(self, gram: str) -> np.ndarray:
        """The passages holding `gram`, ascending (deleted ones included)."""
        chunks = [p.segment.post_doc[p.start:p.end].astype(np.int64) + p.offset for p in self.parts(gram)]
        return np.concatenate(chunks) if chunks else np.zeros(0, np.int64)

    def _chosen(self, p: Part, wanted: np.ndarray, docs: np.ndarray | None) -> np.ndarray:
        """The places in the part's postings (from p.start) of the passages in the mask
        `wanted` (whose passages, ascending, are `docs` if given)."""
        holding = p.segment.post_doc[p.start:p.end]
        if docs is None or len(docs) * SEARCH_RATIO >= len(holding):
            # one gather over the postings, indexed in the segment's own numbering
            return np.flatnonzero(np.take(wanted[p.offset:p.offset + p.segment.passages], holding))
        # few passages wanted from a long list: look each up
        lo, hi = np.searchsorted(docs, (p.offset, p.offset + p.segment.passages))
        local = (docs[lo:hi] - p.offset).astype(holding.dtype)
        at = np.searchsorted(holding, local)
        found = at < len(holding)
        at, local = at[found], local[found]
        return at[holding[at] == local]

    def within(self, gram: str, wanted: np.ndarray, docs: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """(the passages of the mask `wanted` that hold `gram`, how often it occurs in each)."""
        found, counts = [], []
        for p in self.parts(gram):
            chosen = self._chosen(p, wanted, docs)
            if len(chosen):
                bounds = p.segment.post_pos[p.start:p.end + 1]
                found.append(p.segment.post_doc[p.start:p.end][chosen].astype(np.int64) + p.offset)
                counts.append(bounds[chosen + 1].astype(np.int64) - bounds[chosen])
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found), np.concatenate(counts)

    def keys(self, gram: str, shift: int, within: np.ndarray) -> np.ndarray:
        """(passage << 32) + position + shift for every occurrence of `gram` in a passage
        of the mask `within`, ascending."""
        out = []
        for p in self.parts(gram):
            chosen = self._chosen(p, within, None)
            if not len(chosen):
                continue
            bounds = p.segment.post_pos[p.start:p.end + 1]
            starts = bounds[chosen].astype(np.int64)
            counts = bounds[chosen + 1].astype(np.int64) - starts
            positions = p.segment.positions[ranges(starts, counts)].astype(np.int64)
            docs = p.segment.post_doc[p.start:p.end][chosen].astype(np.int64) + p.offset
            out.append((np.repeat(docs, counts) << 32) + positions + shift)
        return np.concatenate(out) if out else np.zeros(0, np.int64)


class MaskCache:
    """The matches of terms that were dear to find (a long run over common grams: 姊妹市
    reads 80k postings), kept a bit per passage for the searches that ask again; the most
    recently used first, within CACHE_BYTES. A build never changes, so neither do they."""

    def __init__(self, passages: int):
        self.passages = passages
        self._masks: OrderedDict[object, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._room = max(1, CACHE_BYTES // max(1, (passages + 7) // 8))

    def get(self, key) -> np.ndarray | None:
        with self._lock:
            packed = self._masks.get(key)
            if packed is None:
                return None
            self._masks.move_to_end(key)
        return np.unpackbits(packed, count=self.passages).view(bool)

    def put(self, key, mask: np.ndarray) -> None:
        packed = np.packbits(mask)
        with self._lock:
            self._masks[key] = packed
            self._masks.move_to_end(key)
            while len(self._masks) > self._room:
                self._masks.popitem(last=False)


class Evaluator:
    """One plan's masks and scores over a Postings; each unit is evaluated once."""

    def __init__(self, postings: Postings, parsed: ParsedQuery, deadline: Deadline | None = None):
        self.p = postings
        self.parsed = parsed
        self.deadline = deadline
        self._units: dict[str, np.ndarray] = {}
        self._tf: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _check(self) -> None:
        if self.deadline is not None:
            self.deadline.check()

    # -- matching ----------------------------------------------------------

    def _mask(self, docs: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.p.passages, dtype=bool)
        mask[docs] = True
        return mask

    def run_mask(self, run: tuple[str, ...], field: str = "text", within: np.ndarray | None = None) -> np.ndarray:
        """Passages where the grams of `run` stand at consecutive positions (in the text,
        or in another field), of those in `within` if given."""
        self._check()
        run = tuple(FIELDS[field] + gram for gram in run)
        if len(run) == 1:
            mask = self._mask(self.p.passages_of(run[0]))
            return mask if within is None else mask & within
        within = np.ones(self.p.passages, dtype=bool) if within is None else within.copy()
        for gram in sorted(set(run), key=self.p.frequency):  # rarest first: the mask shrinks fastest
            within &= self._mask(self.p.passages_of(gram))
            if not within.any():
                return within
        self._check()
        keys = None
        for i, gram in enumerate(run):
            mine = self.p.keys(gram, len(run) - i, within)
            keys = mine if keys is None else _common(keys, mine)
            if not len(keys):
                return np.zeros(self.p.passages, dtype=bool)
        return self._mask(keys >> 32)  # a passage once per place it matches: the mask takes them all

    def runs_mask(self, runs: Runs, field: str = "text", within: np.ndarray | None = None) -> np.ndarray:
        mask = self.run_mask(runs[0], field, within)
        for run in runs[1:]:
            mask &= self.run_mask(run, field, mask)
        return mask

    def literal_mask(self, unit: Unit) -> np.ndarray:
        """Passages holding the unit as written (in a spelling), not only by another name."""
        return self._kept(("literal", unit.forms), [run for runs in unit.forms for run in runs],
                          lambda: self._forms_mask(unit.forms))

    def heading_mask(self, runs: Runs) -> np.ndarray:
        """Passages whose heading path holds the form."""
        return self._kept(("heading", runs), list(runs), lambda: self.runs_mask(runs, "heading"), "heading")

    def unit_mask(self, unit: Unit, field: str = "text") -> np.ndarray:
        """Passages holding the unit in one of its spellings, or one of its other names where
        it holds (in the text, or in another field)."""
        found = self._units.get((unit.text, field))
        if found is None:
            runs = [run for runs in (*unit.forms, *(r for _a, r, _d in unit.alias_forms)) for run in runs]
            found = self._units[unit.text, field] = self._kept((unit.forms, unit.alias_forms, field), runs,
                                                               lambda: self._find_unit(unit, field), field)
        return found

    def _find_unit(self, unit: Unit, field: str) -> np.ndarray:
        mask = self._forms_mask(unit.forms, field)
        for _alias, runs, docs in unit.alias_forms:
            found = self.runs_mask(runs, field)
            if docs is not None:
                found &= np.isin(self.p.docs, self.p.doc_codes(docs))
            mask |= found
        return mask & self.p.live

    def _forms_mask(self, forms: tuple[Runs, ...], field: str = "text") -> np.ndarray:
        mask = np.zeros(self.p.passages, dtype=bool)
        for runs in forms:
            mask |= self.runs_mask(runs, field)
        return mask

    def _kept(self, key, runs: list[tuple[str, ...]], find, field: str = "text") -> np.ndarray:
        """`find()`, or what it found before: kept in the build's MaskCache when finding
        the runs reads CACHE_FROM_POSTINGS postings (a bigram alone is one scatter)."""
        mask = self.p.masks.get(key)
        if mask is None:
            mask = find()
            if sum(self.p.frequency(FIELDS[field] + g) for run in runs if len(run) > 1 for g in run) \
                    >= CACHE_FROM_POSTINGS:
                self.p.masks.put(key, mask)
        return mask

    def node_mask(self, node, field: str = "text") -> np.ndarray:
        """The strict boolean meaning of a node of the query tree (in the text, or in another field)."""
        if isinstance(node, syntax.Term | syntax.Phrase):
            return self.unit_mask(self.parsed.units[node.text], field)
        if isinstance(node, syntax.Or):
            mask = self.node_mask(node.nodes[0], field).copy()
            for child in node.nodes[1:]:
                mask |= self.node_mask(child, field)
            return mask
        if isinstance(node, syntax.And):
            positive = [n for n in node.nodes if not isinstance(n, syntax.Not)]
            mask = self.node_mask(positive[0], field).copy()
            for child in positive[1:]:
                mask &= self.node_mask(child, field)
            for child in node.nodes:
                if isinstance(child, syntax.Not):
                    mask &= ~self.node_mask(child.node, field)
            return mask
        raise TypeError(f"unexpected node {node!r}")

    def full(self) -> np.ndarray:
        """Passages that match the whole plan."""
        return self.node_mask(self.parsed.tree)

    def partial(self, full: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(passages matching some but not all of the plan, how many top-level terms each
        holds, how many of the plan's pieces — terms and the words of long ones — each holds).
        A term counts as held in the passage's heading path too: the paragraphs of a section
        headed 九、南日本乳業協同株式会社 are about the company without naming it again."""
        held = np.zeros(self.p.passages, dtype=np.int16)
        pieces = np.zeros(self.p.passages, dtype=np.int16)
        some = np.zeros(self.p.passages, dtype=bool)
        for node in self.parsed.conjuncts():
            mask = self.node_mask(node) | self.node_mask(node, "heading")
            held += mask
            some |= mask
            if isinstance(node, syntax.Term | syntax.Phrase):
                for runs in self.parsed.units[node.text].parts:
                    words = self._kept(("part", runs), list(runs), lambda runs=runs: self.runs_mask(runs))
                    pieces += words
                    some |= words
        for node in self.parsed.exclusions():
            some &= ~self.node_mask(node)
        return some & ~full & self.p.live, held, pieces + held

    # -- scoring -----------------------------------------------------------

    def relevance(self, docs: np.ndarray, held: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The second stage's relevance (`indexer.search.rank`) as far as arrays can tell it,
        so that the second stage need only reorder the best few: BM25 scaled to [0, 1]
        and by the prior, a term in the heading, and the share of the text the terms
        cover (proximity and the whole query as written are left to the second stage).
        With `held`, COORD per top-level term held comes first (partial matches).
        Returns (relevance, BM25): the order, and the score the second stage scales."""
        if not len(docs):
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.float32)
        wanted = self._mask(docs)
        self._tf = {}  # term → within(term, wanted): scores and _occurrences read the same
        bm25 = self.scores(docs, wanted, parts=held is not None)
        prior = self.p.prior[docs]
        score = prior * bm25 / (float(bm25.max()) or 1.0)
        heading = np.zeros(len(docs), dtype=bool)
        matched = np.zeros(len(docs), dtype=np.float32)
        for text in self.parsed.terms:
            unit = self.parsed.units[text]
            if not unit.forms:
                continue
            heading |= self.heading_mask(unit.forms[0])[docs]
            matched += len(text) * self._occurrences(unit.forms[0], docs, wanted)
        score += HEADING_BONUS * heading
        # a term found only through another name ranks below it as written, as the second
        # stage's tiers do (rank.py), so that the order past its reach agrees with it
        for text in self.parsed.terms:
            unit = self.parsed.units[text]
            if unit.alias_forms and unit.forms:
                score -= (1 - MATCH_ALIAS) * TIER_WEIGHT * ~self.literal_mask(unit)[docs]
        score += DENSITY_BONUS * prior * np.minimum(1.0, DENSITY_SCALE * matched / np.maximum(self.p.chars[docs], 1))
        if held is not None:
            score += COORD * held[docs]
            bm25 = bm25 + COORD * held[docs]
        return score, bm25

    def _within(self, term: str, wanted: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        found = self._tf.get(term)
        if found is None:
            found = self._tf[term] = self.p.within(term, wanted, docs)
        return found

    def _occurrences(self, runs: Runs, docs: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """About how often a form occurs in each of `docs`: its rarest gram's count."""
        counts = np.zeros(self.p.passages, dtype=np.float32)
        holding, tf = self._within(min((g for run in runs for g in run), key=self.p.frequency), wanted, docs)
        counts[holding] = tf
        return counts[docs]

    def scores(self, docs: np.ndarray, wanted: np.ndarray, parts: bool = False) -> np.ndarray:
        """BM25 of the passages `docs` (ascending; `wanted` their mask) for the positive
        terms' grams (an alias's at ALIAS_BOOST, with `parts` a long term's words at
        PARTIAL_BOOST); only the postings of `docs` are scored."""
        weights: dict[str, float] = {}
        for text in self.parsed.terms:
            unit = self.parsed.units[text]
            for weight, forms in ((1.0, unit.forms), (ALIAS_BOOST, [r for _a, r, _d in unit.alias_forms]),
                                  (PARTIAL_BOOST if parts else 0.0, unit.parts)):
                for runs in forms:
                    for run in runs:
                        for gram in run:
                            weights[gram] = max(weights.get(gram, 0.0), weight)
        score = np.zeros(self.p.passages, dtype=np.float32)  # dense: adding is then one scatter per term
        for gram, weight in weights.items():
            if not weight:
                continue
            self._check()
            for field, boost in FIELD_BOOSTS.items():
                term = FIELDS[field] + gram
                frequency = self.p.frequency(term)
                if not frequency:
                    continue
                idf = math.log(self.p.doc_count / (frequency + 1)) + 1.0
                at, tf = self._within(term, wanted, docs)
                tf = tf.astype(np.float32)
                score[at] += boost * weight * idf * tf * (K1 + 1) / (tf + self.p.norms[field][at])
        return score[docs]


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values both sorted arrays of distinct values hold, ascending: a binary search of
    the shorter in the longer (np.intersect1d sorts both again, 3× slower here)."""
    if len(a) > len(b):
        a, b = b, a
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return a[b[at] == a]
