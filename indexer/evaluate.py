"""Score a run against graded relevance judgments: pure functions, no engine.

Stages meet at plain data (as pyserini's run and qrels files do):

- a *run* is ``{query_id: [passage key, ...]}`` in rank order, best first;
- *qrels* are ``{query_id: {passage key: grade}}`` with grade 1 (mentions it)
  or 2 (answers it); unlisted passages are not relevant;
- a passage key is ``"<doc_id>#<passage_id>"`` (`passage_key`).

The judged queries (tests/eval/queries.yaml) name relevant places by a short
exact substring of a report rather than by passage, so that they survive a
change in how reports are cut into passages; `qrels_for` turns them into
qrels for the passages of one build.

Metrics, at a cut-off k (10 by default):

- nDCG@k: gain = grade (linear, as trec_eval's ndcg_cut), discount
  log2(rank + 1); the ideal ranking is all judged passages sorted by grade.
- recall@k: judged passages (grade >= 1) in the top k, divided by
  min(k, number judged), so that a perfect ranking scores 1.0 even when more
  than k passages are relevant (BEIR's "capped recall").
- MRR: 1 / rank of the first judged passage, 0 if none is ranked.

A query with no judged passage has no defined score and is left out of the
means (`evaluate` lists it under "unjudged").

`report_span` and `satisfies` restate the filter contract (a report matches
when its [period start … report date] overlaps [from … to]) so that an
engine's hits can be checked against it independently of the engine.
"""

from __future__ import annotations

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


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the first k passages.

    >>> ndcg_at(["a", "b"], {"b": 1})
    0.6309297535714575
    """
    ideal = _dcg(sorted((g for g in grades.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return _dcg(grades.get(key, 0) for key in ranked[:k]) / ideal


def recall_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Share of the judged passages found in the top k, capped at k.

    >>> recall_at(["a", "x"], {"a": 2, "b": 1})
    0.5
    """
    relevant = {key for key, g in grades.items() if g > 0}
    if not relevant:
        return 0.0
    found = len(relevant.intersection(ranked[:k]))
    return found / min(k, len(relevant))


def mrr(ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """Reciprocal rank of the first judged passage (0.0 if none is ranked).

    >>> mrr(["x", "y", "a"], {"a": 1})
    0.3333333333333333
    """
    for rank, key in enumerate(ranked, 1):
        if grades.get(key, 0) > 0:
            return 1.0 / rank
    return 0.0


def score_query(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> dict[str, float]:
    return {
        f"ndcg@{k}": ndcg_at(ranked, grades, k),
        f"recall@{k}": recall_at(ranked, grades, k),
        "mrr": mrr(ranked, grades),
    }


def _means(scores: Sequence[Mapping[str, float]]) -> dict[str, float]:
    if not scores:
        return {**{m: 0.0 for m in METRICS}, "queries": 0}
    return {**{m: sum(s[m] for s in scores) / len(scores) for m in METRICS}, "queries": len(scores)}


def evaluate(run: Run, qrels: Qrels, kinds: Mapping[str, str]) -> dict:
    """Mean nDCG@10, recall@10 and MRR overall and per query kind.

    `kinds` maps each query id to its kind; every query of `kinds` is scored
    (a query missing from the run ranked nothing).  Returns
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
        per_query[qid] = score_query(list(run.get(qid, ())), grades)
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


def qrels_for(queries: Iterable[Mapping], passages: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, int]]:
    """Qrels for one set of passages from text-located judgments.

    `queries` are the judged queries (each with ``id`` and ``judgments``, a
    list of ``{doc, text, grade}``); `passages` are ``(key, doc_id, text)``.
    A passage gets the highest grade among the judgments of its report whose
    text it contains.

    >>> qrels_for([{"id": "q", "judgments": [{"doc": "d", "text": "八代", "grade": 2}]}],
    ...           [("d#1", "d", "八代市"), ("d#2", "d", "基隆"), ("e#1", "e", "八代")])
    {'q': {'d#1': 2}}
    """
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for key, doc_id, text in passages:
        by_doc.setdefault(doc_id, []).append((key, text))
    qrels: dict[str, dict[str, int]] = {}
    for query in queries:
        grades: dict[str, int] = {}
        for judgment in query.get("judgments") or ():
            for key, text in by_doc.get(judgment["doc"], ()):
                if judgment["text"] in text:
                    grades[key] = max(grades.get(key, 0), int(judgment["grade"]))
        qrels[query["id"]] = grades
    return qrels


def unmatched_judgments(queries: Iterable[Mapping],
                        passages: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(query id, doc, text) of judgments that fall inside no passage.

    A judgment whose text crosses a passage boundary, or names a report that
    is not indexed, would otherwise silently drop out of the qrels.
    """
    by_doc: dict[str, list[str]] = {}
    for _key, doc_id, text in passages:
        by_doc.setdefault(doc_id, []).append(text)
    return [
        (query["id"], j["doc"], j["text"])
        for query in queries
        for j in query.get("judgments") or ()
        if not any(j["text"] in text for text in by_doc.get(j["doc"], ()))
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


def satisfies(city: str | None, span: tuple[str, str] | None, want_city: str | None,
              date_from: str | None, date_to: str | None) -> bool:
    """Whether a report (its city and `report_span`) passes a search's filters.

    >>> satisfies("高雄市", ("2014-07-01", "2014-12-31"), "高雄市", "2014-01-01", "2014-12-31")
    True
    >>> satisfies("基隆市", ("2022-09-02", "2022-11-03"), None, "2023-01-01", None)
    False
    """
    if want_city and city != want_city:
        return False
    if date_from or date_to:
        if span is None:
            return False
        if date_to and span[0] > date_to:
            return False
        if date_from and span[1] < date_from:
            return False
    return True
