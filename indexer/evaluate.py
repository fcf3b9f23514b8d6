"""Score a run against graded relevance judgments: pure functions, no engine.

Stages meet at plain data (as pyserini's run and qrels files do):

- a *run* is ``{query_id: [passage key, ...]}`` in rank order, best first;
- *qrels* are ``{query_id: {place: grade}}`` with grade 1 (mentions it)
  or 2 (answers it); a *place* is a paragraph of a report (``"<doc_id>@<offset>"``,
  the offset of its first character in the report body); unlisted places are
  not relevant;
- *holds* are ``{query_id: {passage key: places}}``: the judged places each
  passage holds (a passage key is ``"<doc_id>#<passage_id>"``, `passage_key`).

The judged queries (tests/eval/queries.yaml) name relevant places by a short
exact substring of a report rather than by passage, so that they survive a
change in how reports are cut into passages; `judged_places` turns them into
the paragraphs they lie in (a paragraph: a run of non-blank lines of the
report body, as the author wrote it) and the passages of one build that hold them.

Judged paragraph by paragraph, as a reader judges a page of hits: a hit earns
the best grade among the judged paragraphs it holds that no hit above it held,
once; so a passage that holds three relevant paragraphs earns one gain where
three passages of one paragraph each would earn three.

Metrics, at a cut-off k (10 by default):

- nDCG@k: gain = grade (linear, as trec_eval's ndcg_cut), earned as above,
  discount log2(rank + 1); the ideal ranking is every judged paragraph on its
  own, sorted by grade.
- recall@k: judged paragraphs held by the top k, divided by min(k, number
  judged), so that a perfect ranking scores 1.0 even when more than k
  paragraphs are relevant (BEIR's "capped recall").
- MRR: 1 / rank of the first hit holding a judged paragraph, 0 if none.

Without *holds*, each key is its own place (the metrics of passages judged as
wholes).

A query with no judged passage has no defined score and is left out of the
means (`evaluate` lists it under "unjudged").

`report_span` and `satisfies` restate the filter contract (a report matches
when its [period start … report date] overlaps [from … to]) so that an
engine's hits can be checked against it independently of the engine.
"""

from __future__ import annotations

import bisect
import calendar
import math
from collections.abc import Iterable, Mapping, Sequence

QUERY_KINDS = (
    "person", "partner", "organisation", "event", "number", "latin", "short",
    "phrase", "variant", "simplified", "japanese", "alias", "multi", "filtered",
)
METRICS = ("ndcg@10", "recall@10", "mrr")

Run = Mapping[str, Sequence[str]]
Qrels = Mapping[str, Mapping[str, int]]


def _dcg(gains: Iterable[int]) -> float:
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, 1))


Holds = Mapping[str, Mapping[str, frozenset[str]]]


def _held(key: str, holds: Mapping[str, frozenset[str]] | None) -> frozenset[str]:
    return frozenset((key,)) if holds is None else holds.get(key, frozenset())


def earned(ranked: Sequence[str], grades: Mapping[str, int],
           holds: Mapping[str, frozenset[str]] | None = None) -> list[int]:
    """Each hit's gain: the best grade among the places it holds that no hit above held.

    >>> earned(["a", "b", "c"], {"p": 2, "q": 1}, {"a": frozenset({"p", "q"}), "c": frozenset({"q"})})
    [2, 0, 0]
    """
    seen: set[str] = set()
    gains = []
    for key in ranked:
        new = _held(key, holds) - seen
        gains.append(max((grades.get(place, 0) for place in new), default=0))
        seen |= new
    return gains


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10,
            holds: Mapping[str, frozenset[str]] | None = None) -> float:
    """Normalised discounted cumulative gain of the first k hits.

    >>> ndcg_at(["a", "b"], {"b": 1})
    0.6309297535714575
    """
    ideal = _dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return _dcg(earned(ranked[:k], grades, holds)) / ideal


def recall_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10,
              holds: Mapping[str, frozenset[str]] | None = None) -> float:
    """Share of the judged places the top k hold, capped at k.

    >>> recall_at(["a", "x"], {"a": 2, "b": 1})
    0.5
    """
    relevant = {key for key, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    found = {place for key in ranked[:k] for place in _held(key, holds)} & relevant
    return min(len(found), k) / min(k, len(relevant))  # (k passages may hold more than k places)


def mrr(ranked: Sequence[str], grades: Mapping[str, int],
        holds: Mapping[str, frozenset[str]] | None = None) -> float:
    """Reciprocal rank of the first hit holding a judged place (0.0 if none is ranked).

    >>> mrr(["x", "y", "a"], {"a": 1})
    0.3333333333333333
    """
    for rank, key in enumerate(ranked, 1):
        if any(grades.get(place, 0) > 0 for place in _held(key, holds)):
            return 1.0 / rank
    return 0.0


def score_query(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10,
                holds: Mapping[str, frozenset[str]] | None = None) -> dict[str, float]:
    return {
        f"ndcg@{k}": ndcg_at(ranked, grades, k, holds),
        f"recall@{k}": recall_at(ranked, grades, k, holds),
        "mrr": mrr(ranked, grades, holds),
    }


def _means(scores: Sequence[Mapping[str, float]]) -> dict[str, float]:
    if not scores:
        return {**{m: 0.0 for m in METRICS}, "queries": 0}
    return {**{m: sum(s[m] for s in scores) / len(scores) for m in METRICS}, "queries": len(scores)}


def evaluate(run: Run, qrels: Qrels, kinds: Mapping[str, str], holds: Holds | None = None) -> dict:
    """Mean nDCG@10, recall@10 and MRR overall and per query kind.

    `kinds` maps each query id to its kind; every query of `kinds` is scored
    (a query missing from the run ranked nothing); `holds` says which places each
    passage holds (see the module's docstring; without it, keys are places).  Returns
    ``{"overall": {...}, "by_kind": {kind: {...}}, "per_query": {qid: {...}},
    "unjudged": [qid, ...]}``, each mean with its number of queries.
    """
    per_query: dict[str, dict[str, float]] = {}
    unjudged: list[str] = []
    for qid in kinds:
        grades = qrels.get(qid, {})
        if not any(g > 0 for g in grades.values()):
            unjudged.append(qid)
            continue
        per_query[qid] = score_query(list(run.get(qid, ())), grades,
                                     holds=None if holds is None else holds.get(qid, {}))
    by_kind: dict[str, list[dict[str, float]]] = {}
    for qid, scores in per_query.items():
        by_kind.setdefault(kinds[qid], []).append(scores)
    order = {kind: i for i, kind in enumerate(QUERY_KINDS)}
    return {
        "overall": _means(list(per_query.values())),
        "by_kind": {kind: _means(by_kind[kind])
                    for kind in sorted(by_kind, key=lambda k: (order.get(k, len(order)), k))},
        "per_query": per_query,
        "unjudged": unjudged,
    }


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a body: each run of lines that are not blank.

    >>> paragraphs("一\\n二\\n\\n　\\n三")
    [(0, 3), (7, 8)]
    """
    found, start, pos = [], None, 0
    for line in body.split("\n"):
        if line.strip():
            start = pos if start is None else start
            end = pos + len(line)
        elif start is not None:
            found.append((start, end))
            start = None
        pos += len(line) + 1
    if start is not None:
        found.append((start, end))
    return found


Passages = Iterable[tuple[str, str, int, int]]  # (key, doc_id, start, end in the report body)


def _places(judgment: Mapping, bodies: Mapping[str, str], cuts: Mapping[str, list[tuple[int, int]]]
            ) -> list[tuple[str, int, int]]:
    """(place, start, end) of every occurrence of a judgment's text in its report."""
    body = bodies.get(judgment["doc"])
    if body is None or not judgment["text"]:
        return []
    found, at = [], body.find(judgment["text"])
    while at >= 0:
        starts = [s for s, _e in cuts[judgment["doc"]]]
        paragraph = cuts[judgment["doc"]][bisect.bisect_right(starts, at) - 1][0]
        found.append((f"{judgment['doc']}@{paragraph}", at, at + len(judgment["text"])))
        at = body.find(judgment["text"], at + 1)
    return found


def judged_places(queries: Iterable[Mapping], bodies: Mapping[str, str], passages: Passages
                  ) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, frozenset[str]]]]:
    """(qrels, holds) for one build's passages, from text-located judgments.

    `queries` are the judged queries (each with ``id`` and ``judgments``, a list of
    ``{doc, text, grade}``); `bodies` the reports' bodies by doc id; `passages`
    ``(key, doc_id, start, end)``. Every paragraph where a judgment's text occurs is
    judged with the judgment's grade (the highest, when several fall in one); a passage
    holds the places whose judged text lies inside it.

    >>> qrels, holds = judged_places([{"id": "q", "judgments": [{"doc": "d", "text": "八代", "grade": 2}]}],
    ...     {"d": "八代市\\n\\n基隆與八代"}, [("d#1", "d", 0, 3), ("d#2", "d", 5, 10)])
    >>> qrels, {k: sorted(v) for k, v in holds["q"].items()}
    ({'q': {'d@0': 2, 'd@5': 2}}, {'d#1': ['d@0'], 'd#2': ['d@5']})
    """
    cuts = {doc: paragraphs(body) for doc, body in bodies.items()}
    by_doc: dict[str, list[tuple[str, int, int]]] = {}
    for key, doc_id, start, end in passages:
        by_doc.setdefault(doc_id, []).append((key, start, end))
    qrels: dict[str, dict[str, int]] = {}
    holds: dict[str, dict[str, frozenset[str]]] = {}
    for query in queries:
        grades: dict[str, int] = {}
        held: dict[str, set[str]] = {}
        for judgment in query.get("judgments") or ():
            for place, start, end in _places(judgment, bodies, cuts):
                grades[place] = max(grades.get(place, 0), int(judgment["grade"]))
                for key, p_start, p_end in by_doc.get(judgment["doc"], ()):
                    if p_start <= start and end <= p_end:
                        held.setdefault(key, set()).add(place)
        qrels[query["id"]] = grades
        holds[query["id"]] = {key: frozenset(places) for key, places in held.items()}
    return qrels, holds


def unmatched_judgments(queries: Iterable[Mapping], bodies: Mapping[str, str],
                        passages: Passages) -> list[tuple[str, str, str]]:
    """(query id, doc, text) of judgments no passage holds an occurrence of.

    A judgment whose text is not in its report, crosses a passage boundary, or names
    a report that is not indexed would otherwise silently drop out of the qrels.
    """
    cuts = {doc: paragraphs(body) for doc, body in bodies.items()}
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for _key, doc_id, start, end in passages:
        by_doc.setdefault(doc_id, []).append((start, end))
    return [
        (query["id"], j["doc"], j["text"])
        for query in queries
        for j in query.get("judgments") or ()
        if not any(s <= start and end <= e for _place, start, end in _places(j, bodies, cuts)
                   for s, e in by_doc.get(j["doc"], ()))
    ]


def report_span(*isos: str | None) -> tuple[str, str] | None:
    """First and last ISO day covered by dates of year, month or day precision.

    >>> report_span("2020", "2022-08", None)
    ('2020-01-01', '2022-08-31')
    """
    firsts, lasts = [], []
    for iso in filter(None, isos):
        parts = [int(p) for p in iso.split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else None
        if len(parts) == 3:
            first = last = iso
        elif month:
            first = f"{year:04d}-{month:02d}-01"
            last = f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
        else:
            first, last = f"{year:04d}-01-01", f"{year:04d}-12-31"
        firsts.append(first)
        lasts.append(last)
    return (min(firsts), max(lasts)) if firsts else None


def satisfies(city: str | None, span: tuple[str, str] | None, want_city: tuple[str, ...],
              date_from: str | None, date_to: str | None) -> bool:
    """Whether a report (its city and `report_span`) passes a search's filters.

    >>> satisfies("高雄市", ("2014-07-01", "2014-12-31"), ("高雄市",), "2014-01-01", "2014-12-31")
    True
    >>> satisfies("基隆市", ("2022-09-02", "2022-11-03"), (), "2023-01-01", None)
    False
    """
    if want_city and city not in want_city:
        return False
    if date_from or date_to:
        if span is None:
            return False
        if date_to and span[0] > date_to:
            return False
        if date_from and span[1] < date_from:
            return False
    return True
