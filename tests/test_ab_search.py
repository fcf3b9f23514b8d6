"""scripts/ab_search.py: an earlier commit's search package beside the work
tree's, on one index; the same commit on both sides gives the same results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
IN_GIT = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True).returncode == 0


@pytest.mark.skipif(not IN_GIT, reason="needs the repository's git history")
def test_the_same_commit_gives_the_same_results(index_dir):
    done = subprocess.run(
        [sys.executable, "scripts/ab_search.py", "--index", str(index_dir), "--base", "HEAD",
         "--queries", "6", "--warm-up", "1", "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["queries"] == 6
    assert set(figures["figures"]) == {"base", "work tree"}
    # HEAD and the work tree share the search code unless it is being changed.
    changed = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "indexer"], cwd=REPO).returncode
    if not changed:
        assert figures["differ"] == []
