"""scripts/ab_build.py: a corpus built by an earlier commit and by the work tree, in turns."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
IN_GIT = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True).returncode == 0


@pytest.mark.skipif(not IN_GIT, reason="needs the repository's history")
def test_both_sides_build_in_turns(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "keelung-2022-yatsushiro-visit.txt", corpus)
    done = subprocess.run([sys.executable, "scripts/ab_build.py", "--corpus", str(corpus), "--base", "HEAD",
                           "--runs", "2", "--json"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[2] for line in lines[:4]] == ["base", "work", "base", "work"]
    figures = json.loads(lines[-1])
    assert figures["base"] == "HEAD" and [len(v) for v in figures["runs"].values()] == [2, 2]
    assert all(s > 0 for v in figures["runs"].values() for s in v)
