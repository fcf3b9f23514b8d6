"""scripts/ab_search.py: an earlier commit's search package beside the work
tree's, on one index; the same commit on both sides gives the same results,
and a work tree that searches differently is seen to.

The script runs in a clone of this repository at HEAD with a clean work tree
(and this work tree's scripts/), so what it compares does not depend on what is
being changed here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
IN_GIT = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True).returncode == 0
QUERIES = 6

# Appended to the clone's indexer/search/__init__.py: a Searcher whose every total is one too many.
OFF_BY_ONE = '''

class Searcher(Searcher):
    def search(self, request):
        result = super().search(request)
        return type(result)(**{**vars(result), "total": result.total + 1})
'''


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """This repository at HEAD, its work tree clean, with this work tree's scripts/."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True,
                          check=True).stdout.strip()
    into = tmp_path_factory.mktemp("ab") / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(REPO), str(into)], check=True)
    subprocess.run(["git", "checkout", "--quiet", "--detach", head], cwd=into, check=True)
    for script in (REPO / "scripts").glob("*.py"):
        shutil.copy(script, into / "scripts" / script.name)
    return into


def ab_search(clone: Path, index_dir: Path) -> dict:
    """The script's --json figures for HEAD against the clone's work tree."""
    done = subprocess.run(
        [sys.executable, "scripts/ab_search.py", "--index", str(index_dir), "--base", "HEAD",
         "--queries", str(QUERIES), "--warm-up", "1", "--json"],
        cwd=clone, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(clone)})  # the work tree side is the clone's indexer
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["queries"] == QUERIES
    assert set(figures["figures"]) == {"base", "work tree"}
    return figures


@pytest.mark.skipif(not IN_GIT, reason="needs the repository's git history")
def test_the_same_commit_gives_the_same_results(clone, index_dir):
    assert ab_search(clone, index_dir)["differ"] == []


@pytest.mark.skipif(not IN_GIT, reason="needs the repository's git history")
def test_a_work_tree_that_searches_differently_differs_on_every_query(clone, index_dir):
    package = clone / "indexer" / "search" / "__init__.py"
    original = package.read_text(encoding="utf-8")
    package.write_text(original + OFF_BY_ONE, encoding="utf-8")
    try:
        assert len(ab_search(clone, index_dir)["differ"]) == QUERIES
    finally:
        package.write_text(original, encoding="utf-8")
