"""Shared fixtures: one real index built from the repo's corpus for the whole session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """The bundled corpus indexed once into a temporary directory (never var/index)."""
    from indexer.build import build_index

    index = tmp_path_factory.mktemp("index") / "index"
    build_index(CORPUS, index)
    return index


@pytest.fixture(scope="session")
def app(index_dir):
    from web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(CORPUS)})


@pytest.fixture
def client(app):
    return app.test_client()
