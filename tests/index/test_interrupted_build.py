"""A build interrupted by a signal, or started while another runs, leaves the
build being served untouched (issue 10's "held up, keep it so")."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.errors import JiaoliuError
from indexer.index import store
from indexer.index.build import build_index
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

REPO = Path(__file__).resolve().parents[2]
KEELUNG = REPO / "corpus" / "keelung-2022-yatsushiro-visit.txt"
TAIPEI = REPO / "corpus" / "taipei-2024-sushi-tech-tokyo.txt"


@pytest.fixture
def served(tmp_path) -> tuple[Path, Path, Path]:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(KEELUNG, corpus / "keelung.txt")
    build_index(corpus, index)
    return corpus, index, store.current_build(index)


def test_a_second_build_at_the_same_time_is_refused(served):
    corpus, index, build = served
    shutil.copy(TAIPEI, corpus / "taipei.txt")
    with store.build_lock(index), pytest.raises(JiaoliuError, match="another build"):
        build_index(corpus, index)
    assert store.current_build(index) == build


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_signal_mid_build_leaves_the_previous_build_serving(served, sig):
    corpus, index, build = served
    for n in range(60):  # enough that the build is still writing when the signal comes
        (corpus / f"taipei-{n:02d}.txt").write_bytes(TAIPEI.read_bytes() + f"\n\n附錄 {n}。\n".encode())
    # Each report written takes 50 ms more, so that the build is surely still writing when
    # the signal comes (a build of these 60 small reports alone can end before it does).
    # SIGINT raises KeyboardInterrupt even when this test runs in the background of a
    # shell, which starts it with SIGINT ignored (and the child would inherit that).
    slowed = ("import signal, sys, time\n"
              "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
              "from indexer.index import store\n"
              "write = store.write_report\n"
              "store.write_report = lambda *args: (time.sleep(0.05), write(*args))[1]\n"
              "from indexer.cli import main\n"
              "sys.exit(main(sys.argv[1:]))\n")
    child = subprocess.Popen([sys.executable, "-c", slowed, "index", "--corpus", str(corpus),
                              "--index", str(index)], cwd=REPO, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not [b for b in index.glob("build-*") if b != build]:  # the new build has started writing
            assert child.poll() is None, "the build ended before it could be interrupted"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        child.send_signal(sig)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode != 0
    assert store.current_build(index) == build
    result = Searcher(index).search(parse_search_request({"q": "市長峰會"}))
    assert result.total == 0  # the half-written reports are not served
    assert Searcher(index).search(parse_search_request({"q": "八代"})).total > 0
    # The next build finishes the job and clears what the interrupted one left.
    summary = build_index(corpus, index)
    assert len(summary.indexed) == 60
    assert {b.name for b in index.glob("build-*")} == {build.name, summary.build}


def test_a_killed_build_does_not_leave_the_lock_to_its_workers(tmp_path):
    """A build's forked workers outlive it when it is killed; they must not keep the index
    locked (a flock is shared with forked processes unless they close their copy)."""
    index = tmp_path / "index"
    script = ("import os, signal, sys, time\n"
              "from pathlib import Path\n"
              "from indexer.index import store\n"
              "with store.build_lock(Path(sys.argv[1])):\n"
              "    ready, started = os.pipe()\n"
              "    if os.fork() == 0:\n"  # the fork's handlers have run once the child runs on
              "        os.write(started, b'x')\n"
              "        time.sleep(30)\n"
              "        os._exit(0)\n"
              "    os.read(ready, 1)\n"  # killed before its child ran, the test would race it
              "    print('locked', flush=True)\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n")
    with subprocess.Popen([sys.executable, "-c", script, str(index)], cwd=REPO, stdout=subprocess.PIPE) as child:
        assert child.stdout.readline() == b"locked\n"
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with store.build_lock(index):  # while the orphaned worker still sleeps
        pass
