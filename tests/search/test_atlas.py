"""The atlas summed up: partners, their cities, years and agreements, from atlas.json entries."""

from __future__ import annotations

from indexer.search.atlas import Atlas


def entry(doc_id, city, date, passages, agreements=(), partners=None):
    names = {n for _p, ns in passages for n in ns} | {n for a in agreements for n in a["partners"]}
    return {"doc_id": doc_id, "title": f"報告 {doc_id}", "city": city, "date": date, "passages": passages,
            "partners": partners or {n: ["日本", "city"] for n in names}, "agreements": list(agreements)}


def agreement(passage_id, kind, state, date, *partners, sentence="…"):
    return {"passage_id": passage_id, "kind": kind, "state": state, "date": date, "partners": list(partners),
            "sentence": sentence}


ENTRIES = [
    entry("keelung-2022", "基隆市", "2022-11-03", [["p1", ["八代市"]], ["p2", ["八代市", "熊本縣"]]], [
        agreement("p1", "友好城市", "signed", "2018", "八代市"),
        agreement("p2", "友好城市", "signed", "2018-04-19", "八代市"),
        agreement("p2", "友好城市", "signed", None, "八代市"),
        agreement("p1", "姊妹港", "signed", "2015-08", "八代市"),
    ]),
    entry("kaohsiung-2014", "高雄市", "2015-01-20", [["q1", ["熊本縣"]]]),
    entry("central", "", None, [["r1", ["熊本縣"]]]),
    {**entry("cabinet", "", "2025-02-01", [["s1", ["熊本縣"]]]), "level": "中央"},
]


def test_partners_with_their_cities_passages_and_years():
    atlas = Atlas(ENTRIES)
    kumamoto = atlas.partners["熊本縣"]
    assert (kumamoto.passages, kumamoto.reports) == (4, 4)
    assert dict(kumamoto.cities) == {"基隆市": 1, "高雄市": 1, "不明": 1, "中央": 1}  # a cabinet report: 中央
    assert kumamoto.years == ("2015", "2025")
    assert [p.name for p in atlas.summaries()] == ["熊本縣", "八代市"]
    assert [p.name for p in atlas.summaries("name")] == sorted(["熊本縣", "八代市"])
    assert atlas.summaries(country="韓國") == []


def test_an_agreement_is_listed_once_at_its_most_precise_date():
    yatsushiro = Atlas(ENTRIES).partners["八代市"]
    assert [(a.kind, a.date, a.passage_id, a.also) for a in yatsushiro.agreements] == [
        ("姊妹港", "2015-08", "p1", 0), ("友好城市", "2018-04-19", "p2", 1)]


def test_the_timeline_is_newest_first():
    assert [m.doc_id for m in Atlas(ENTRIES).partners["熊本縣"].mentions] == ["cabinet", "keelung-2022",
                                                                            "kaohsiung-2014", "central"]


def test_the_matrix_counts_each_city_and_partner():
    matrix = Atlas(ENTRIES).matrix()
    assert matrix["partners"] == ["熊本縣", "八代市"]
    keelung = matrix["cities"].index("基隆市")
    assert matrix["counts"][keelung] == [1, 2] and matrix["agreed"][keelung] == [False, True]


def test_an_empty_build_has_no_partner():
    atlas = Atlas([])
    assert atlas.summaries() == [] and atlas.matrix()["partners"] == []
