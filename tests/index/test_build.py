"""Building the index: integration with the real corpus, bad files, the atomic swap."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer.errors import IndexNotFound, JiaoliuError, ReportNotFound, UnreadableReport
from indexer.index import store
from indexer.index.build import build_index
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

REPO = Path(__file__).resolve().parents[2]
KEELUNG = REPO / "corpus" / "keelung-2022-yatsushiro-visit.txt"
TAIPEI = REPO / "corpus" / "taipei-2024-sushi-tech-tokyo.txt"


def _search(index: Path, q: str, **params) -> set[str]:
    result = Searcher(index).search(parse_search_request({"q": q, "per_page": "100", **params}))
    return {h.doc_id for h in result.hits}


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(KEELUNG, folder / "keelung.txt")
    return folder


def test_the_bundled_corpus_indexes_and_searches(index_dir):
    manifest = store.read_json(store.current_build(index_dir) / "manifest.json")
    assert len(manifest["reports"]) == 5
    assert manifest["skipped"] == []
    assert manifest["passages"] == sum(r["passages"] for r in manifest["reports"])
    assert set(manifest["settings"]) >= {"engine", "dictionary", "jieba", "whoosh"}
    assert "keelung-2022-yatsushiro-visit" in _search(index_dir, "八代")


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("empty.txt", b"", "empty"),
        ("gbk.txt", "基隆市政府出国报告，两市交流".encode("gbk"), "neither UTF-8"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        ("control.txt", b"\x00\x01\x02\x03text", "binary"),
        ("badyaml.md", "---\ntitle: [unclosed\n---\n本文".encode(), "YAML"),
        ("unknownkey.md", "---\nmayor: 某人\n---\n本文".encode(), "unknown front matter"),
        ("onlyfront.md", "---\ntitle: 標題\n---\n\n".encode(), "no text"),
    ],
)
def test_an_unreadable_file_is_skipped_with_its_reason_and_the_rest_indexed(corpus, tmp_path, name,
                                                                            content, reason):
    (corpus / name).write_bytes(content)
    summary = build_index(corpus, tmp_path / "index")
    assert summary.indexed == ["keelung"]
    assert [(path, reason in why) for path, why in summary.skipped] == [(name, True)]
    assert "keelung" in _search(tmp_path / "index", "八代")


def test_readme_and_hidden_files_are_not_reports(corpus, tmp_path):
    (corpus / "README.md").write_text("# 說明\n這不是報告", encoding="utf-8")
    (corpus / ".draft.txt").write_text("草稿", encoding="utf-8")
    summary = build_index(corpus, tmp_path / "index")
    assert summary.indexed == ["keelung"] and summary.skipped == []


def test_front_matter_overrides_extraction(corpus, tmp_path):
    (corpus / "with-front.md").write_text(
        "---\ntitle: 測試報告\ncity: 台南\ndate: 2023-05-01\nkind: 出國報告\n---\n壹、目的\n\n與日本交流。\n",
        encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    report = Searcher(tmp_path / "index").report("with-front")
    assert (report.metadata.title, report.metadata.city, report.metadata.date) == ("測試報告", "臺南市",
                                                                                 "2023-05-01")


def test_utf8_bom_and_utf16_are_read(corpus, tmp_path):
    text = TAIPEI.read_text(encoding="utf-8")
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (corpus / "utf16.txt").write_bytes(text.encode("utf-16"))
    summary = build_index(corpus, tmp_path / "index")
    assert sorted(summary.indexed) == ["bom", "keelung", "utf16"]
    assert {"bom", "utf16"} <= _search(tmp_path / "index", "市長峰會")


def test_non_ascii_file_names_and_subfolders_give_ids(corpus, tmp_path):
    (corpus / "2024").mkdir()
    shutil.copy(TAIPEI, corpus / "2024" / "臺北市訪日報告.txt")
    build_index(corpus, tmp_path / "index")
    searcher = Searcher(tmp_path / "index")
    assert "2024--臺北市訪日報告" in {r["doc_id"] for r in searcher.reports()}
    hit = searcher.search(parse_search_request({"q": "市長峰會", "city": "臺北市"})).hits[0]
    assert hit.url.startswith("/reports/2024--%E8%87%BA")


def test_an_unchanged_corpus_is_not_rebuilt_and_a_changed_one_is(corpus, tmp_path):
    index = tmp_path / "index"
    first = build_index(corpus, index)
    again = build_index(corpus, index)
    assert again.up_to_date and again.build == first.build
    shutil.copy(TAIPEI, corpus / "taipei.txt")
    third = build_index(corpus, index)
    assert not third.up_to_date and third.build != first.build
    assert (third.indexed, third.unchanged) == (["taipei"], ["keelung"])
    forced = build_index(corpus, index, force=True)
    assert sorted(forced.indexed) == ["keelung", "taipei"] and forced.unchanged == []


def test_only_added_changed_or_removed_reports_are_reindexed(corpus, tmp_path):
    index = tmp_path / "index"
    shutil.copy(TAIPEI, corpus / "taipei.txt")
    build_index(corpus, index)
    served = store.current_build(index)
    before = {p.name: p.read_bytes() for p in (served / "reports").iterdir()}
    ids_before = [p.passage_id for p in Searcher(index).report("keelung").passages]

    text = (corpus / "taipei.txt").read_text(encoding="utf-8")
    (corpus / "taipei.txt").write_text(text.replace("市長峰會", "首長論壇"), encoding="utf-8")
    shutil.copy(KEELUNG, corpus / "keelung-copy.txt")
    summary = build_index(corpus, index)
    assert sorted(summary.indexed) == ["keelung-copy", "taipei"]
    assert summary.unchanged == ["keelung"] and summary.removed == []
    assert _search(index, '"首長論壇"') == {"taipei"}
    assert _search(index, '"市長峰會"') == set()  # the old passages are gone
    assert _search(index, "八代") == {"keelung", "keelung-copy"}
    assert [p.passage_id for p in Searcher(index).report("keelung").passages] == ids_before
    # the build that was being served is untouched (its files were shared as hard links)
    assert {p.name: p.read_bytes() for p in (served / "reports").iterdir()} == before

    (corpus / "keelung-copy.txt").unlink()
    summary = build_index(corpus, index)
    assert (summary.indexed, summary.removed) == ([], ["keelung-copy"])
    assert _search(index, "八代") == {"keelung"}
    assert {r["doc_id"] for r in Searcher(index).reports()} == {"keelung", "taipei"}
    manifest = store.read_json(store.current_build(index) / "manifest.json")
    assert [r["doc_id"] for r in manifest["reports"]] == ["keelung", "taipei"]


def test_a_report_that_becomes_unreadable_is_skipped_and_removed(corpus, tmp_path):
    index = tmp_path / "index"
    shutil.copy(TAIPEI, corpus / "taipei.txt")
    build_index(corpus, index)
    (corpus / "taipei.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    summary = build_index(corpus, index)
    assert summary.removed == ["taipei"] and summary.skipped[0][0] == "taipei.txt"
    assert _search(index, '"市長峰會"') == set()


def test_passage_ids_are_stable_across_rebuilds(corpus, tmp_path):
    build_index(corpus, tmp_path / "a")
    build_index(corpus, tmp_path / "b", force=True)
    ids = [[p.passage_id for p in Searcher(tmp_path / x).report("keelung").passages] for x in "ab"]
    assert ids[0] == ids[1]


def test_a_crash_half_way_leaves_the_previous_index_serving(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index"
    build_index(corpus, index)
    served = store.current_build(index)
    shutil.copy(TAIPEI, corpus / "taipei.txt")

    import indexer.index.build as build_module

    real = build_module.passage_records
    calls = []

    def crash_on_the_new_report(report, partners=None):
        calls.append(report.doc_id)
        if report.doc_id == "taipei":
            raise KeyboardInterrupt  # Ctrl-C half-way through writing
        return real(report, partners)

    monkeypatch.setattr(build_module, "passage_records", crash_on_the_new_report)
    for force in (False, True):  # an update and a full rebuild alike
        with pytest.raises(KeyboardInterrupt):
            build_index(corpus, index, force=force)
    assert store.current_build(index) == served
    assert [p.name for p in index.glob("build-*")] == [served.name]  # the half build is gone
    assert _search(index, "八代") == {"keelung"}
    assert _search(index, '"市長峰會"') == set()


def test_a_running_searcher_picks_up_a_new_build(corpus, tmp_path):
    index = tmp_path / "index"
    build_index(corpus, index)
    searcher = Searcher(index)
    shutil.copy(TAIPEI, corpus / "taipei.txt")
    build_index(corpus, index)
    assert searcher.search(parse_search_request({"q": "市"})).total  # counts made on the old build
    assert searcher.refresh()
    after = searcher.search(parse_search_request({"q": "市"}))
    fresh = Searcher(index).search(parse_search_request({"q": "市"}))
    assert after.total == fresh.total == sum(v.count for v in fresh.facets["city"])
    assert [v.to_dict() for v in after.facets["city"]] == [v.to_dict() for v in fresh.facets["city"]]
    assert searcher.search(parse_search_request({"q": "市長峰會"})).total > 0


@pytest.mark.parametrize("setup", ["missing", "no_reports"])
def test_building_from_nothing_is_a_clear_error(tmp_path, setup):
    corpus = tmp_path / "corpus"
    if setup == "no_reports":
        corpus.mkdir()
        (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(JiaoliuError, match="corpus|no readable report"):
        build_index(corpus, tmp_path / "index")
    with pytest.raises(IndexNotFound):
        Searcher(tmp_path / "index")


def test_a_parallel_build_searches_like_a_single_one(corpus, tmp_path, monkeypatch):
    """Large whoosh builds analyse in several processes, one segment each; updates go on top."""
    import indexer.engine.whoosh.engine as whoosh_engine

    shutil.copy(TAIPEI, corpus / "taipei.txt")
    build_index(corpus, tmp_path / "single", engine="whoosh")
    monkeypatch.setattr(whoosh_engine, "PARALLEL_FROM", 1)
    build_index(corpus, tmp_path / "parallel", engine="whoosh")
    for query in ("八代", "市長峰會", "熊本 -八代", '"SusHi Tech"'):
        single = Searcher(tmp_path / "single", engine="whoosh").search(
            parse_search_request({"q": query, "per_page": "100"}))
        parallel = Searcher(tmp_path / "parallel", engine="whoosh").search(
            parse_search_request({"q": query, "per_page": "100"}))
        assert {(h.doc_id, h.passage_id) for h in parallel.hits} == {(h.doc_id, h.passage_id) for h in single.hits}
        assert parallel.total == single.total
        assert [f.to_dict() for f in parallel.facets["city"]] == [f.to_dict() for f in single.facets["city"]]
    (corpus / "taipei.txt").unlink()
    build_index(corpus, tmp_path / "parallel", engine="whoosh")
    assert not Searcher(tmp_path / "parallel", engine="whoosh").search(parse_search_request({"q": '"市長峰會"'})).hits


def _fork_always(monkeypatch) -> None:
    """Read files and write segments in forked processes however small the build and
    however many cores the machine has."""
    import indexer.engine.arrays.parallel as arrays_parallel
    import indexer.index.reading as reading

    for module in (reading, arrays_parallel):
        monkeypatch.setattr(module, "PARALLEL_FROM", 1)
        monkeypatch.setattr(module.os, "cpu_count", lambda: 2)


def test_files_read_and_segments_written_in_several_processes_search_like_one(corpus, tmp_path, monkeypatch):
    """Many new files are read by forked processes, many new passages written as one
    arrays segment per core: the same reports, aliases, hits, totals and facets."""

    shutil.copy(TAIPEI, corpus / "taipei.txt")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    single = build_index(corpus, tmp_path / "single", engine="arrays")
    _fork_always(monkeypatch)
    parallel = build_index(corpus, tmp_path / "parallel", engine="arrays")
    assert parallel.skipped == single.skipped and len(parallel.skipped) == 1
    built = store.current_build(tmp_path / "parallel")
    assert len(store.read_json(built / "arrays" / "segments.json")) == 2  # one per report here
    for name in ("aliases.json", "catalog.json", "atlas.json"):
        assert store.read_json(built / name) == store.read_json(store.current_build(tmp_path / "single") / name)
    for query in ("八代", "市長峰會", "熊本 -八代", '"SusHi Tech"', "經團連", "八代 東京"):
        one, two = (Searcher(tmp_path / name).search(parse_search_request({"q": query, "per_page": "100"}))
                    for name in ("single", "parallel"))
        assert [(h.doc_id, h.passage_id) for h in two.hits] == [(h.doc_id, h.passage_id) for h in one.hits]
        assert (two.total, two.partial_total) == (one.total, one.partial_total)
        assert two.facets == one.facets


def test_a_mixed_folder_indexes_every_good_file_and_skips_each_bad_one_with_its_reason(tmp_path):
    from conftest import make_docx, make_html, make_odt, make_pdf

    text = KEELUNG.read_text(encoding="utf-8")
    folder = tmp_path / "corpus"
    (folder / "2022").mkdir(parents=True)
    good = {"2022/a.pdf": make_pdf(text), "2022/b.docx": make_docx(text), "c.odt": make_odt(text),
            "d.html": make_html(text), "e.txt": text.encode("cp950", "replace"), "f.md": text.encode("utf-8")}
    bad = {"g.pdf": make_pdf(text)[:5000], "h.docx": b"PK\x03\x04garbage", "i.txt": b"\x00\x01binary",
           "j.txt": b"", "k.txt": b"\xff\xfe" + text.encode("utf-8") + b"\n"}
    for name, data in {**good, **bad}.items():
        (folder / name).write_bytes(data)
    summary = build_index(folder, tmp_path / "index")
    assert sorted(summary.paths[d] for d in summary.indexed) == sorted(good)
    assert sorted(path for path, _ in summary.skipped) == sorted(bad)
    assert all(why.startswith(path + ": ") for path, why in summary.skipped)
    assert len(_search(tmp_path / "index", "八代")) == len(good)


def test_originals_are_kept_in_the_build_and_follow_incremental_builds(corpus, tmp_path):
    from conftest import make_docx

    (corpus / "taipei.docx").write_bytes(make_docx(TAIPEI.read_text(encoding="utf-8")))
    build_index(corpus, tmp_path / "index")
    build = store.current_build(tmp_path / "index")
    report = store.read_report(build, "taipei")
    assert store.original_file(build, report).read_bytes() == (corpus / "taipei.docx").read_bytes()
    # Unchanged reports keep their originals; a removed one loses it; a changed one is replaced.
    (corpus / "taipei.docx").unlink()
    (corpus / "keelung.txt").write_text(KEELUNG.read_text(encoding="utf-8") + "\n附記。\n", encoding="utf-8")
    (corpus / "other.txt").write_text(TAIPEI.read_text(encoding="utf-8"), encoding="utf-8")
    summary = build_index(corpus, tmp_path / "index")
    assert summary.removed == ["taipei"] and sorted(summary.indexed) == ["keelung", "other"]
    build = store.current_build(tmp_path / "index")
    kept = sorted(p.name for p in (build / "originals").iterdir())
    assert kept == sorted(store.original_name(store.read_report(build, d).sha256, f"{d}.txt")
                          for d in ("keelung", "other"))
    (corpus / "new.txt").write_text("壹、目的\n\n基隆與八代的交流。" * 3, encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    newest = store.current_build(tmp_path / "index")
    assert (newest / "originals" / kept[0]).samefile(build / "originals" / kept[0])  # hard-linked



@pytest.mark.parametrize("doc_id", ["no-such-report", "../keelung", "originals/keelung"])
def test_the_searcher_hands_over_no_original_for_an_unknown_id(corpus, tmp_path, doc_id):
    build_index(corpus, tmp_path / "index")
    with pytest.raises(ReportNotFound, match="no report with id"):
        Searcher(tmp_path / "index").original(doc_id)


def test_the_searcher_hands_over_a_report_and_its_original_file(corpus, tmp_path):
    build_index(corpus, tmp_path / "index")
    searcher = Searcher(tmp_path / "index")
    report, path = searcher.original("keelung")
    assert report == searcher.report("keelung")
    assert path.read_bytes() == (corpus / "keelung.txt").read_bytes()
    path.unlink()  # a build made before originals were kept has none
    with pytest.raises(ReportNotFound, match="jiaoliu index --force"):
        searcher.original("keelung")

# --- hostile and careless corpora (issue 10) ----------------------------------------


@pytest.mark.parametrize("target", ["outside", "/etc/passwd", "/proc/self/environ"])
def test_a_link_to_a_file_outside_the_corpus_is_skipped_and_never_read(corpus, tmp_path, target):
    if target == "outside":
        target = tmp_path / "secret.txt"
        target.write_text("壹、機密\n\n不該被索引的祕密八代文字。\n", encoding="utf-8")
    elif not Path(target).is_file():
        pytest.skip(f"no {target} here")
    (corpus / "passwd.txt").symlink_to(target)
    summary = build_index(corpus, tmp_path / "index")
    assert summary.indexed == ["keelung"]
    assert summary.skipped == [("passwd.txt", "passwd.txt: a link to a file outside the corpus; not read")]
    build = store.current_build(tmp_path / "index")
    assert store.read_json(build / "manifest.json")["skipped"] == [
        {"path": "passwd.txt", "reason": "passwd.txt: a link to a file outside the corpus; not read"}]
    assert len(list((build / "originals").iterdir())) == 1  # keelung's only
    assert _search(tmp_path / "index", "祕密") == set() and _search(tmp_path / "index", "root") == set()


def test_fifos_devices_and_linked_folders_are_ignored(corpus, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(TAIPEI, outside / "taipei.txt")
    (corpus / "linked-folder").symlink_to(outside, target_is_directory=True)
    os.mkfifo(corpus / "fifo.txt")  # reading it would wait forever
    (corpus / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    summary = build_index(corpus, tmp_path / "index")
    assert summary.indexed == ["keelung"] and summary.skipped == []


def test_a_link_to_a_corpus_file_is_indexed_once_as_that_file(corpus, tmp_path):
    (corpus / "2022").mkdir()
    (corpus / "2022" / "copy.txt").symlink_to(corpus / "keelung.txt")
    (corpus / "z-relative.txt").symlink_to("keelung.txt")
    # A link to a file that is not itself a report file (hidden here) stands for it.
    (corpus / ".store").mkdir()
    shutil.copy(TAIPEI, corpus / ".store" / "taipei.dat")
    (corpus / "taipei.txt").symlink_to(corpus / ".store" / "taipei.dat")
    summary = build_index(corpus, tmp_path / "index")
    assert sorted(summary.indexed) == ["keelung", "taipei"]
    assert summary.skipped == [
        ("2022/copy.txt", "2022/copy.txt: a link to the same file as keelung.txt; indexed once, as keelung.txt"),
        ("z-relative.txt", "z-relative.txt: a link to the same file as keelung.txt; indexed once, as keelung.txt"),
    ]


@pytest.mark.parametrize("swap", ["file", "folder"])
def test_a_link_swapped_in_after_the_check_is_not_followed(corpus, tmp_path, monkeypatch, swap):
    """As if the file (or a folder on its path) became a link to /etc between resolve() and open()."""
    from indexer.ingest.corpus import read_bytes

    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "x.txt").write_text("祕密", encoding="utf-8")
    if swap == "file":
        (corpus / "x.txt").symlink_to(secret / "x.txt")
    else:
        (corpus / "sub").symlink_to(secret, target_is_directory=True)
    path = corpus / ("x.txt" if swap == "file" else "sub/x.txt")
    monkeypatch.setattr(Path, "resolve", lambda self, strict=False: Path(os.path.abspath(self)))
    with pytest.raises(UnreadableReport, match="not read|cannot be read"):
        read_bytes(path, corpus)


def test_bad_front_matter_skips_its_file_and_the_rest_is_indexed(corpus, tmp_path):
    laughs = "countries: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"c{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 10)}]\n" for i in range(9))
    bad = {
        "baddate.md": ("date: 2023-13-45", "不是存在的日期"),  # ValueError from YAML's date before
        "recursive.md": ("title: &a [*a]", "anchors and aliases"),  # RecursionError before
        "laughs.md": (laughs, "anchors and aliases"),  # gigabytes before
        "mapping.md": ("title: {a: 1}", "title must be text"),
        "reversed.md": ("period: {start: 2023-06-05, end: 2023-06-01}", "after it ends"),
        "ancient.md": ("date: 1900-01-01", "before 民國1年"),
        "number.md": ("countries: 5", "countries must be a list"),
        "script.md": ("source: javascript:alert(1)", "source must be an http"),
        "kind.md": ("kind: memo", "kind 'memo'"),
    }
    for name, (front, _) in bad.items():
        (corpus / name).write_text(f"---\n{front}\n---\n壹、目的\n\n與八代市交流。\n", encoding="utf-8")
    (corpus / "good.md").write_text("---\ndate: 2023-05-01\ncountries: [日本]\n---\n壹、目的\n\n與八代市交流。\n",
                                    encoding="utf-8")
    summary = build_index(corpus, tmp_path / "index")
    assert sorted(summary.indexed) == ["good", "keelung"]
    reasons = dict(summary.skipped)
    assert sorted(reasons) == sorted(bad)
    for name, (_, reason) in bad.items():
        assert reasons[name].startswith(name + ": ") and reason in reasons[name], reasons[name]
    assert Searcher(tmp_path / "index").report("good").metadata.date == "2023-05-01"


def _ids(index: Path) -> dict[str, str]:
    """path -> doc_id of the build being served."""
    manifest = store.read_json(store.current_build(index) / "manifest.json")
    return {e["path"]: e["doc_id"] for e in manifest["reports"]}


@pytest.mark.parametrize("names,expected", [
    (("a/b.txt", "a--b.txt"), {"a--b.txt": "a--b", "a/b.txt": "a--b--txt"}),
    (("x.txt", "x.TXT"), {"x.TXT": "x", "x.txt": "x--txt"}),
    (("x.pdf", "x.docx"), {"x.docx": "x", "x.pdf": "x--pdf"}),
])
def test_files_that_would_share_an_id_get_distinct_stable_ids(tmp_path, names, expected):
    from conftest import make_docx, make_pdf

    text = KEELUNG.read_text(encoding="utf-8")
    makers = {".pdf": make_pdf, ".docx": make_docx}
    folder = tmp_path / "corpus"
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        maker = makers.get(Path(name).suffix)
        (folder / name).write_bytes(maker(text) if maker else text.encode("utf-8"))
    index = tmp_path / "index"
    summary = build_index(folder, index)
    assert sorted(summary.indexed) == sorted(expected.values()) and summary.skipped == []
    assert _ids(index) == expected
    assert _search(index, "八代") == set(expected.values())
    assert build_index(folder, index).up_to_date and _ids(index) == expected
    build_index(folder, index, force=True)
    assert _ids(index) == expected


def test_a_file_added_beside_an_indexed_one_never_takes_its_id(corpus, tmp_path):
    index = tmp_path / "index"
    build_index(corpus, index)
    # keelung.md sorts first, so alone it would get the plain id; keelung.txt held it.
    (corpus / "keelung.md").write_text(KEELUNG.read_text(encoding="utf-8"), encoding="utf-8")
    summary = build_index(corpus, index)
    assert summary.indexed == ["keelung--md"] and summary.unchanged == ["keelung"]
    assert _ids(index) == {"keelung.md": "keelung--md", "keelung.txt": "keelung"}
    build_index(corpus, index, force=True)
    assert _ids(index) == {"keelung.md": "keelung--md", "keelung.txt": "keelung"}
    # The holder goes: the other keeps its id, and the old one is gone from the index.
    (corpus / "keelung.txt").unlink()
    summary = build_index(corpus, index)
    assert summary.removed == ["keelung"] and _ids(index) == {"keelung.md": "keelung--md"}
    assert _search(index, "八代") == {"keelung--md"}


def test_a_file_name_with_a_newline_gets_a_safe_id(corpus, tmp_path):
    shutil.copy(TAIPEI, corpus / "taipei\n2024\u202e.txt")
    summary = build_index(corpus, tmp_path / "index")
    assert sorted(summary.indexed) == ["keelung", "taipei-2024-"]
    assert summary.paths["taipei-2024-"] == "taipei\n2024\u202e.txt"
    assert "taipei-2024-" in _search(tmp_path / "index", "市長峰會")


def test_a_file_name_that_is_not_utf8_is_skipped_with_its_reason(corpus, tmp_path):
    with open(os.path.join(os.fsencode(corpus), b"big5-\xa5\x78.txt"), "wb") as handle:
        handle.write(TAIPEI.read_bytes())
    summary = build_index(corpus, tmp_path / "index")
    assert summary.indexed == ["keelung"]
    assert summary.skipped == [("big5-\\xa5x.txt", "big5-\\xa5x.txt: the file name is not valid UTF-8; "
                                                   "rename the file")]


def test_a_file_over_the_size_limit_is_skipped_unread_and_the_rest_indexed(corpus, tmp_path, monkeypatch):
    limit = (corpus / "keelung.txt").stat().st_size + 1000
    monkeypatch.setenv("JIAOLIU_MAX_FILE_BYTES", str(limit))
    with open(corpus / "huge.pdf", "wb") as huge:  # sparse: one byte over the limit
        huge.truncate(limit + 1)
    (corpus / "long.txt").write_text(KEELUNG.read_text(encoding="utf-8") * 2, encoding="utf-8")
    summary = build_index(corpus, tmp_path / "index")
    assert summary.indexed == ["keelung"]
    big = (corpus / "long.txt").stat().st_size
    assert dict(summary.skipped) == {
        "huge.pdf": f"huge.pdf: {limit + 1:,} bytes, larger than the limit of {limit:,} bytes "
                    "(JIAOLIU_MAX_FILE_BYTES); split the file or raise the setting",
        "long.txt": f"long.txt: {big:,} bytes, larger than the limit of {limit:,} bytes "
                    "(JIAOLIU_MAX_FILE_BYTES); split the file or raise the setting"}
    monkeypatch.setenv("JIAOLIU_MAX_FILE_BYTES", str(big))  # raised: the skipped text file is read
    assert build_index(corpus, tmp_path / "index").indexed == ["long"]


@pytest.mark.parametrize("value", ["200MB", "0", "-1", "1e9"])
def test_a_bad_file_size_limit_is_a_clear_error(corpus, tmp_path, monkeypatch, value):
    monkeypatch.setenv("JIAOLIU_MAX_FILE_BYTES", value)
    with pytest.raises(JiaoliuError, match=f"JIAOLIU_MAX_FILE_BYTES must be a whole number of at least 1, not '{value}'"):
        build_index(corpus, tmp_path / "index")


def test_a_zip_bomb_docx_is_skipped_with_its_reason_and_the_rest_indexed(corpus, tmp_path):
    import io
    import zipfile

    xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           f'<w:p><w:r><w:t>{"市" * (50 * 2**20 // 3)}</w:t></w:r></w:p></w:body></w:document>')
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml.encode())  # 50 MB in about 50 KB
    (corpus / "bomb.docx").write_bytes(bomb.getvalue())
    summary = build_index(corpus, tmp_path / "index")
    assert summary.indexed == ["keelung"]
    [(path, reason)] = summary.skipped
    assert path == "bomb.docx" and "unpacks to more than 4,000,000 characters" in reason and "ZIP bomb" in reason


def _answers(index: Path) -> list:
    found = []
    for query in ("八代", "市長峰會", "熊本 -八代", '"SusHi Tech"', "經團連", "八代 東京"):
        result = Searcher(index).search(parse_search_request({"q": query, "per_page": "100"}))
        found.append(([(h.doc_id, h.passage_id) for h in result.hits], result.total, result.partial_total,
                      result.facets))
    return found


@pytest.fixture
def four(tmp_path) -> Path:
    folder = tmp_path / "four"
    folder.mkdir()
    for name in ("keelung-2022-yatsushiro-visit", "taipei-2024-sushi-tech-tokyo", "taichung-2025-kyushu-startup-exchange",
                 "kaohsiung-2022-pandemic-city-diplomacy"):
        shutil.copy(REPO / "corpus" / f"{name}.txt", folder / f"{name}.txt")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    return folder


@pytest.mark.parametrize("forked", [False, True], ids=["here", "forked"])
def test_a_build_read_in_batches_and_written_in_parts_searches_like_one_written_at_once(four, tmp_path,
                                                                                        monkeypatch, forked):
    """A large build reads its files a batch at a time and writes a part (the store's and
    a segment) every PART_PASSAGES passages while it reads on: the same index as one part."""
    import indexer.engine.arrays.parallel as arrays_parallel
    import indexer.index.build as build_module

    whole = build_index(four, tmp_path / "whole", engine="arrays")
    monkeypatch.setattr(build_module, "READ_BATCH_FILES", 2)
    monkeypatch.setattr(arrays_parallel, "PART_PASSAGES", 30)  # every report fills a part
    if forked:
        _fork_always(monkeypatch)
    parts = build_index(four, tmp_path / "parts", engine="arrays")
    assert parts.skipped == whole.skipped and len(parts.skipped) == 1
    assert sorted(parts.indexed) == sorted(whole.indexed) and parts.passages == whole.passages
    built = store.current_build(tmp_path / "parts")
    assert len(store.read_json(built / "arrays" / "segments.json")) == 4
    for name in ("aliases.json", "catalog.json", "atlas.json"):
        assert store.read_json(built / name) == store.read_json(store.current_build(tmp_path / "whole") / name)
    assert _answers(tmp_path / "parts") == _answers(tmp_path / "whole")
    # deletions come first, then parts: an update on top of parts
    (four / "keelung-2022-yatsushiro-visit.txt").unlink()
    update = build_index(four, tmp_path / "parts", engine="arrays")
    assert update.removed == ["keelung-2022-yatsushiro-visit"]
    assert not _search(tmp_path / "parts", "八代") & {"keelung-2022-yatsushiro-visit"}
    # the atlas keeps the unchanged reports' entries as they were and drops the removed one's
    before = {e["doc_id"]: e for e in store.read_json(built / "atlas.json")}
    after = {e["doc_id"]: e for e in store.read_json(store.current_build(tmp_path / "parts") / "atlas.json")}
    assert after == {doc: e for doc, e in before.items() if doc != "keelung-2022-yatsushiro-visit"}
    assert "八代市" not in Searcher(tmp_path / "parts").atlas().partners


@pytest.mark.parametrize("forked", [False, True], ids=["here", "forked"])
def test_a_part_that_fails_fails_the_build_and_the_served_one_stays(four, tmp_path, monkeypatch, forked):
    """A part written in the background that hits a full disk: the build stops with
    DiskFull, nothing it wrote is served, and no process is left behind."""
    import errno

    import indexer.engine.arrays.parallel as arrays_parallel
    from indexer.errors import DiskFull

    index = tmp_path / "index"
    (tmp_path / "one").mkdir()
    shutil.copy(KEELUNG, tmp_path / "one" / "keelung.txt")
    build_index(tmp_path / "one", index, engine="arrays")
    served = store.current_build(index)
    monkeypatch.setattr(arrays_parallel, "PART_PASSAGES", 30)
    if forked:
        _fork_always(monkeypatch)

    def full(records, folder):  # the second segment (run in a forked process: no shared counter)
        if folder.name.startswith("s00002"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(records, folder)

    real = arrays_parallel._write
    monkeypatch.setattr(arrays_parallel, "_write", full)
    with pytest.raises(DiskFull):
        build_index(four, index, engine="arrays", force=True)
    assert store.current_build(index) == served
    assert [p.name for p in index.glob("build-*")] == [served.name]
    import multiprocessing

    assert not multiprocessing.active_children()
    assert _search(index, "八代") == {"keelung"}


def test_an_unreadable_file_is_not_read_again_while_it_stays_the_same(corpus, tmp_path, monkeypatch):
    import indexer.index.reading as reading

    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    index = tmp_path / "index"
    first = build_index(corpus, index)
    read = []
    real = reading._read
    monkeypatch.setattr(reading, "_read", lambda task: (read.append(task[0]), real(task))[1])
    again = build_index(corpus, index)
    assert again.up_to_date and again.skipped == first.skipped and read == []
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 still not")
    changed = build_index(corpus, index)
    assert read == ["broken.pdf"] and len(changed.skipped) == 1 and not changed.up_to_date
