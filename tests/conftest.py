"""Shared fixtures: one real index built from the repo's corpus for the whole session."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """The bundled corpus indexed once into a temporary directory (never var/index)."""
    from indexer.index.build import build_index

    index = tmp_path_factory.mktemp("index") / "index"
    build_index(CORPUS, index)
    return index


@pytest.fixture(scope="session")
def engine_index_dir(tmp_path_factory):
    """engine_index_dir(name): the bundled corpus indexed for that engine, once per session."""
    from indexer.index.build import build_index

    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            built[name] = tmp_path_factory.mktemp(f"index-{name}") / "index"
            build_index(CORPUS, built[name], engine=name)
        return built[name]

    return get


# A later report that copies two paragraphs of the Keelung one (numbers updated, a sentence
# changed): made here, as test data, since the five bundled reports copy nothing from each other.
COPYING_REPORT = """---
title: 基隆市政府112年八代市友好交流成果報告
city: 基隆市
date: 2023-10-20
kind: 出國報告
---

壹、交流緣起

104年4月25日，在基隆市各分區扶輪社的協助下，八代市中村博生市長、橋本幸一議長及八代南扶輪社上原治會長等一行共18人參訪團蒞臨基隆拜會本市林市長，雙方就市港建設及城市發展的議題進行交流。同年8月，八代港與基隆港正式簽訂為姊妹港，隔年105年1月，八代市首次在基隆舉辦八代物產展，6月更組團參加本市建港130週年活動，107年4月19日日本八代市與本市正式締結為友好城市，並透過每年雙方互訪、八代物產展等活動建立良好友誼。

貳、本年度交流

本年度雙方恢復實體互訪，八代市中村博生市長率團參加基隆中元祭，並與本市市長就郵輪觀光、港口合作與青少年交流交換意見，相關活動圓滿完成。
"""


@pytest.fixture(scope="session")
def copies_corpus(tmp_path_factory) -> Path:
    """The bundled corpus and a report that copies from the Keelung one."""
    import shutil

    folder = tmp_path_factory.mktemp("copies") / "corpus"
    shutil.copytree(CORPUS, folder)
    (folder / "keelung-2023-copy.txt").write_text(COPYING_REPORT, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def copies_index_dir(copies_corpus, tmp_path_factory) -> Path:
    from indexer.index.build import build_index

    index = tmp_path_factory.mktemp("copies-index") / "index"
    build_index(copies_corpus, index)
    return index


@pytest.fixture(scope="session")
def copies_app(copies_index_dir, copies_corpus):
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(copies_index_dir), "CORPUS_DIR": str(copies_corpus)})


def served(app):
    """`app` over real HTTP on a free port of 127.0.0.1 (a generator: its URL, then stopped)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def copies_base_url(copies_app):
    """The copies app over real HTTP, for the browser tests."""
    yield from served(copies_app)


@pytest.fixture(scope="session")
def app(index_dir):
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(CORPUS)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def patient_client(index_dir):
    """A client of an app over the same index without a search time limit.

    A query no passage holds in full (八代 港口 締結) runs its spelling suggestions
    and then its partial matches within one time limit, long enough on a loaded
    machine to be cut short; the tests that read its partial matches check what
    is shown, not how fast, so they must not depend on the machine's load.
    """
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "SEARCH_SECONDS": None}).test_client()


@pytest.fixture(scope="session")
def base_url(app):
    """The app over real HTTP on a free port of 127.0.0.1, for the browser tests."""
    yield from served(app)


@pytest.fixture(scope="session")
def all_hits():
    """all_hits(client, **params): every hit of an /api/search, across all pages."""
    def read(client, **params) -> list[dict]:
        hits, number = [], 1
        while True:
            data = client.get("/api/search", query_string={**params, "per_page": 100, "page": number}).json
            hits += data["hits"]
            if number * 100 >= data["total"]:
                return hits
            number += 1

    return read


# Report files in other formats (tests/documents.py), for the tests that import them from here.
from documents import make_docx, make_html, make_odt, make_pdf  # noqa: E402, F401
