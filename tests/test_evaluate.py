"""Metrics over runs and judgments (hand-computed values), and the judged query set itself."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
import yaml

from indexer.evaluate import (
    QUERY_KINDS,
    earned,
    evaluate,
    judged_places,
    mrr,
    ndcg_at,
    paragraphs,
    recall_at,
    report_span,
    satisfies,
    unmatched_judgments,
)
from indexer.models import passage_key

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO / "tests" / "eval" / "queries.yaml"
LOG3 = math.log2(3)

# -- metrics -----------------------------------------------------------------


@pytest.mark.parametrize("ranked,grades,k,expected", [
    (["a", "c"], {"a": 2, "c": 1}, 10, 1.0),                          # ideal order
    (["c", "a"], {"a": 2, "c": 1}, 10, (1 + 2 / LOG3) / (2 + 1 / LOG3)),
    (["a", "b", "c"], {"a": 2, "c": 1}, 10, (2 + 1 / 2) / (2 + 1 / LOG3)),  # rank 3: log2(4) = 2
    (["a"], {"a": 1, "b": 1}, 10, 1 / (1 + 1 / LOG3)),               # ideal counts unranked judged ones
    (["a"], {"a": 1, "b": 1}, 1, 1.0),                                # ideal cut at k too
    (["x", "a"], {"a": 1}, 1, 0.0),                                   # relevant only below k
    (["x"], {"a": 2}, 10, 0.0),
    ([], {"a": 2}, 10, 0.0),
    (["a"], {}, 10, 0.0),                                             # nothing judged
    (["a"], {"a": 0}, 10, 0.0),                                       # grade 0 is not relevant
])
def test_ndcg_at(ranked, grades, k, expected):
    assert ndcg_at(ranked, grades, k) == pytest.approx(expected)


@pytest.mark.parametrize("ranked,grades,k,expected", [
    (["a", "x"], {"a": 2, "b": 1}, 10, 0.5),
    (["a", "b"], {"a": 1, "b": 1, "c": 1}, 2, 1.0),   # capped: 2 found of min(2, 3)
    (["a", "x", "b"], {"a": 1, "b": 1, "c": 1}, 2, 0.5),
    (["x", "a"], {"a": 1}, 1, 0.0),
    (["a"], {"a": 0}, 10, 0.0),
    ([], {}, 10, 0.0),
])
def test_recall_at(ranked, grades, k, expected):
    assert recall_at(ranked, grades, k) == pytest.approx(expected)


@pytest.mark.parametrize("ranked,grades,expected", [
    (["a"], {"a": 1}, 1.0),
    (["x", "y", "a"], {"a": 1}, 1 / 3),
    (["x", "a", "b"], {"a": 1, "b": 2}, 1 / 2),    # the first judged one counts, whatever its grade
    (["x", "a"], {"a": 0}, 0.0),
    ([], {"a": 1}, 0.0),
])
def test_mrr(ranked, grades, expected):
    assert mrr(ranked, grades) == pytest.approx(expected)


def test_evaluate_means_overall_and_by_kind():
    run = {"q1": ["a"], "q2": ["x", "b"], "q4": ["z"]}
    qrels = {"q1": {"a": 1}, "q2": {"b": 2}, "q3": {}, "q4": {"y": 1}, "q5": {"c": 1}}
    kinds = {"q1": "short", "q2": "short", "q3": "latin", "q4": "latin", "q5": "person"}
    result = evaluate(run, qrels, kinds)
    assert result["unjudged"] == ["q3"]
    assert result["per_query"]["q2"] == pytest.approx({"ndcg@10": 1 / LOG3, "recall@10": 1.0, "mrr": 0.5})
    assert result["per_query"]["q5"] == {"ndcg@10": 0.0, "recall@10": 0.0, "mrr": 0.0}  # not in the run
    assert result["by_kind"]["short"] == pytest.approx(
        {"ndcg@10": (1 + 1 / LOG3) / 2, "recall@10": 1.0, "mrr": 0.75, "queries": 2})
    assert result["by_kind"]["latin"]["queries"] == 1
    assert list(result["by_kind"]) == ["person", "latin", "short"]  # in QUERY_KINDS order
    assert result["overall"] == pytest.approx(
        {"ndcg@10": (1 + 1 / LOG3) / 4, "recall@10": 0.5, "mrr": 1.5 / 4, "queries": 4})


BODY = "壹、八代市\n\n八代市的八代物產展\n續行。\n\n八代市役所\n\n　\n熊本"


def test_paragraphs_are_runs_of_lines_that_are_not_blank():
    assert [BODY[s:e] for s, e in paragraphs(BODY)] == ["壹、八代市", "八代市的八代物產展\n續行。", "八代市役所", "熊本"]
    assert paragraphs(BODY) == [(0, 5), (7, 20), (22, 27), (31, 33)]
    assert paragraphs("") == [] and paragraphs("\n \n") == [] and paragraphs("a") == [(0, 1)]


def test_judged_places_are_the_paragraphs_of_the_judged_texts_and_the_passages_that_hold_them():
    queries = [
        {"id": "q", "judgments": [
            {"doc": "d", "text": "八代市", "grade": 1},       # in three paragraphs
            {"doc": "d", "text": "八代物產展", "grade": 2},   # the best grade of its paragraph
            {"doc": "e", "text": "熊本", "grade": 2},
            {"doc": "gone", "text": "熊本", "grade": 2},      # no such report
        ]},
        {"id": "empty", "judgments": []},
    ]
    bodies = {"d": BODY, "e": "熊本縣"}
    passages = [("d#1", "d", 0, 20), ("d#2", "d", 22, 27), ("d#3", "d", 31, 33), ("e#1", "e", 0, 3)]
    qrels, holds = judged_places(queries, bodies, passages)
    assert qrels == {"q": {"d@0": 1, "d@7": 2, "d@22": 1, "e@0": 2}, "empty": {}}
    assert holds == {"q": {"d#1": frozenset({"d@0", "d@7"}), "d#2": frozenset({"d@22"}), "e#1": frozenset({"e@0"})},
                     "empty": {}}


@pytest.mark.parametrize("ranked,expected_gains,ndcg", [
    (["whole"], [2], 2 / (2 + 1 / LOG3 + 1 / 2)),                # one passage of three paragraphs: one gain
    (["p2", "p1", "p3"], [2, 1, 1], 1.0),                          # the paragraphs one by one, best first
    (["p1", "whole", "p2"], [1, 2, 0], (1 + 2 / LOG3) / (2 + 1 / LOG3 + 1 / 2)),  # each paragraph earned once
    (["x", "p2"], [0, 2], (2 / LOG3) / (2 + 1 / LOG3 + 1 / 2)),
])
def test_a_hit_earns_each_judged_paragraph_once(ranked, expected_gains, ndcg):
    grades = {"P1": 1, "P2": 2, "P3": 1}
    holds = {"whole": frozenset({"P1", "P2", "P3"}), "p1": frozenset({"P1"}), "p2": frozenset({"P2"}),
             "p3": frozenset({"P3"})}
    assert earned(ranked, grades, holds) == expected_gains
    assert ndcg_at(ranked, grades, 10, holds) == pytest.approx(ndcg)
    assert recall_at(["whole"], grades, 10, holds) == 1.0  # the coarse passage finds them all
    assert mrr(ranked, grades, holds) == pytest.approx(1 / (1 + expected_gains.index(next(g for g in expected_gains if g))))


def test_unmatched_judgments_name_texts_that_cross_passages_or_reports():
    queries = [{"id": "q", "judgments": [
        {"doc": "d", "text": "AB", "grade": 1},
        {"doc": "d", "text": "BC", "grade": 1},   # split between two passages
        {"doc": "d", "text": "XY", "grade": 1},   # not in the report
        {"doc": "gone", "text": "A", "grade": 1},
    ]}]
    passages = [("d#1", "d", 0, 2), ("d#2", "d", 2, 4)]
    assert unmatched_judgments(queries, {"d": "ABCD"}, passages) == [("q", "d", "BC"), ("q", "d", "XY"),
                                                                    ("q", "gone", "A")]


def test_passage_key():
    assert passage_key("taipei-2024", "p-1") == "taipei-2024#p-1"


@pytest.mark.parametrize("isos,expected", [
    (("2022-09-02", "2022-11-03", "2022-09-07"), ("2022-09-02", "2022-11-03")),
    (("2020", "2022-08", "2021"), ("2020-01-01", "2022-08-31")),
    (("2024-02", None), ("2024-02-01", "2024-02-29")),
    ((None, None), None),
])
def test_report_span(isos, expected):
    assert report_span(*isos) == expected


@pytest.mark.parametrize("city,span,want,start,end,expected", [
    ("高雄市", ("2014-07-01", "2014-12-31"), "高雄市", "2014-01-01", "2014-12-31", True),
    ("高雄市", ("2014-07-01", "2014-12-31"), "臺中市", None, None, False),
    ("基隆市", ("2022-09-02", "2022-11-03"), None, "2022-11-03", None, True),     # touching ends overlap
    ("基隆市", ("2022-09-02", "2022-11-03"), None, "2022-11-04", None, False),
    ("基隆市", ("2022-09-02", "2022-11-03"), None, None, "2022-09-01", False),
    ("基隆市", None, None, "2022-01-01", None, False),                            # undated never matches a date
    ("基隆市", None, None, None, None, True),
])
def test_satisfies(city, span, want, start, end, expected):
    assert satisfies(city, span, want, start, end) is expected


# -- the judged query set ----------------------------------------------------


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reports(corpus_dir):
    from indexer.ingest.corpus import read_corpus

    return {report.doc_id: report for _path, report in read_corpus(corpus_dir)}


def test_query_set_size_ids_and_kinds(queries):
    assert len(queries) >= 60
    ids = Counter(q["id"] for q in queries)
    assert [i for i, n in ids.items() if n > 1] == []
    kinds = Counter(q["kind"] for q in queries)
    assert set(kinds) <= set(QUERY_KINDS), set(kinds) - set(QUERY_KINDS)
    assert {kind: kinds[kind] for kind in QUERY_KINDS if kinds[kind] < 5} == {}


def test_every_query_is_complete(queries):
    for q in queries:
        assert set(q) <= {"id", "kind", "query", "city", "from", "to", "note", "judgments"}, q["id"]
        assert isinstance(q["query"], str) and q["query"].strip(), q["id"]
        assert q.get("note"), q["id"]
        assert q["judgments"], q["id"]
        for field in ("city", "from", "to"):
            assert isinstance(q.get(field) or "", str), (q["id"], field)  # YAML would turn 2014-01-01 into a date
        if q["kind"] == "filtered":
            assert q.get("city") or q.get("from") or q.get("to"), q["id"]


def test_every_judgment_text_occurs_in_its_report(queries, corpus_dir):
    texts = {path.stem: path.read_text(encoding="utf-8") for path in corpus_dir.glob("*.txt")}
    problems = []
    for q in queries:
        for j in q["judgments"]:
            text = j["text"]
            if j["grade"] not in (1, 2):
                problems.append((q["id"], "grade", j["grade"]))
            elif j["doc"] not in texts:
                problems.append((q["id"], "no report", j["doc"]))
            elif not 4 <= len(text) <= 60 or "\t" in text or "\n" in text:
                problems.append((q["id"], "not a short one-line text", text))
            elif text not in texts[j["doc"]]:
                problems.append((q["id"], "not in the report", text))
    assert problems == []


def test_every_judgment_lies_inside_a_passage(queries, reports):
    passages = [(passage_key(doc_id, p.passage_id), doc_id, p.start, p.end)
                for doc_id, report in reports.items() for p in report.passages]
    bodies = {doc_id: report.body for doc_id, report in reports.items()}
    assert unmatched_judgments(queries, bodies, passages) == []


def test_filtered_queries_judge_only_reports_that_pass_the_filter(queries, reports):
    from indexer.query.request import parse_search_request

    for q in queries:
        request = parse_search_request({"q": q["query"], "city": q.get("city") or "",
                                        "from": q.get("from") or "", "to": q.get("to") or ""})
        for doc_id in {j["doc"] for j in q["judgments"]}:
            meta = reports[doc_id].metadata
            span = report_span(meta.period.start, meta.date, meta.period.end)
            assert satisfies(meta.city, span, request.city, request.date_from, request.date_to), (q["id"], doc_id)
