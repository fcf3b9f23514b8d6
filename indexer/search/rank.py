"""The second ranking stage: order whoosh's best candidates as a reader would.

Whoosh's BM25F (over character grams, jieba words, headings and titles)
picks the candidates; this module reorders the top of them with what BM25
cannot see, all measured by scripts/eval.py (docs/EVALUATION.md):

1. passages with every top-level term first, then those with most of them
   (a term matched only through an alias counts a little less);
2. within a tier: BM25, scaled by how much the passage is prose (a table
   of contents, photo captions or a list of names that merely contains the
   term is worth less than a paragraph that discusses it), plus bonuses for
   the term in the passage's own heading, for the whole query occurring as
   written, and for the terms standing close together.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.query.plan import ParsedQuery, make_unit
from indexer.search.spans import TextMatcher
from indexer.text.fold import fold, fold_cached
from indexer.weights import (
    COORD,
    DENSITY_BONUS,
    DENSITY_SCALE,
    EXACT_BONUS,
    HEADING_BONUS,
    PROXIMITY_BONUS,
    PROXIMITY_SCALE,
    TIER_WEIGHT,
)


@dataclass
class Candidate:
    fields: dict
    score: float  # the engine's
    final: float = 0.0
    matcher: TextMatcher | None = None  # where the query matches its text, once looked at
    folded: int = 0  # with copies folded: the copies of it this candidate stands for on its page


def _proximity(spans_per_term: list[list[tuple[int, int]]]) -> float:
    """1 when the terms stand next to each other, towards 0 as they spread out."""
    if len(spans_per_term) < 2 or not all(spans_per_term):
        return 0.0
    events = sorted((s, i) for i, spans in enumerate(spans_per_term) for s, _e in spans)
    best, last_seen = None, {}
    for start, i in events:
        last_seen[i] = start
        if len(last_seen) == len(spans_per_term):
            width = start - min(last_seen.values())
            best = width if best is None else min(best, width)
    return 0.0 if best is None else 1.0 / (1.0 + best / PROXIMITY_SCALE)


def rerank(candidates: list[Candidate], parsed: ParsedQuery) -> list[Candidate]:
    """Reorder candidates in place of whoosh's order; returns them sorted by `final`."""
    if not candidates:
        return candidates
    conjuncts = parsed.conjuncts()
    best_bm25 = max(c.score % COORD for c in candidates) or 1.0
    whole = "".join(parsed.terms)
    whole_unit = make_unit(whole) if len(parsed.terms) > 1 else None
    folded_terms = [fold(t) for t in parsed.terms]
    for cand in candidates:
        text, doc_id = cand.fields["text"], cand.fields["doc_id"]
        matcher = cand.matcher = TextMatcher(text)
        tier = sum(matcher.satisfies(node, parsed, doc_id) for node in conjuncts)
        spans = []
        for term in parsed.terms:
            literal, via_alias = matcher.unit_spans(parsed.units[term], doc_id)
            spans.append(literal + via_alias)
        heading = fold_cached(cand.fields.get("heading", ""))
        in_heading = any(t in heading for t in folded_terms)
        exact = bool(whole_unit and whole_unit.forms and matcher.form_spans(whole_unit.forms[0]))
        matched_chars = sum(e - s for term_spans in spans for s, e in term_spans)
        density = min(1.0, DENSITY_SCALE * matched_chars / max(len(text), 1))
        prior = cand.fields.get("prior", 1.0)
        relevance = prior * (cand.score % COORD) / best_bm25
        relevance += HEADING_BONUS * in_heading + EXACT_BONUS * exact
        relevance += PROXIMITY_BONUS * _proximity(spans) + DENSITY_BONUS * density * prior
        cand.final = tier * TIER_WEIGHT + relevance
    candidates.sort(key=lambda c: -c.final)
    return candidates
