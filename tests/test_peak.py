"""scripts/peak.py: the peak memory and disk figures that docs/PERFORMANCE.md cites."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "peak.py"
# Holds 80 MB, forks a child that holds 80 MB more, writes 3 MB into the folder, waits for both.
WORK = """
import os, sys, time
held = bytearray(80 * 2**20)
for i in range(0, len(held), 4096): held[i] = 1
open(os.path.join(sys.argv[1], "part"), "wb").write(b"x" * 3 * 2**20)
pid = os.fork()
if pid == 0:
    more = bytearray(80 * 2**20)
    for i in range(0, len(more), 4096): more[i] = 1
    time.sleep(1.5)
    os._exit(0)
time.sleep(1.5)
os.waitpid(pid, 0)
sys.exit(3)
"""


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="reads /proc")
def test_peak_counts_the_whole_process_tree_and_the_folder(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--folder", str(tmp_path), "--",
                           sys.executable, "-c", WORK, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 3  # the command's own status
    report = done.stderr.strip().splitlines()[-1]
    pss = float(report.split("peak PSS ")[1].split(" MB")[0].replace(",", ""))
    own = float(report.split("without mapped files, ")[1].split(" MB")[0].replace(",", ""))
    largest = float(report.split("largest process RSS ")[1].split(" MB")[0].replace(",", ""))
    disk = float(report.split("disk peak ")[1].split(" MB")[0].replace(",", ""))
    assert pss >= 160  # parent and child, each holding 80 MB of their own
    assert own >= 160  # none of it mapped from files
    assert largest >= 160  # the child: what it inherited and its own
    assert disk >= 3


def test_a_command_is_required():
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "give the command" in done.stderr
