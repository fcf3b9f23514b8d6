"""Run a command and report its peak memory and disk use.

    .venv/bin/python scripts/peak.py --folder var/index -- .venv/bin/jiaoliu index --index var/index

Samples the command's process tree every 0.25 s: the sum of its processes' PSS
(pages shared by forked workers split between them, so the machine's real
total; mapped files' pages in the page cache count too), the peak of its own
memory alone (PSS of anonymous pages: what the command cannot give back to the
page cache), the largest single RSS, and every 2 s the bytes the files under
--folder take on disk; prints the peaks and the folder's final size. Linux only
(/proc).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

SAMPLE_S = 0.25
DISK_SAMPLE_S = 2.0


def tree(pid: int) -> list[int]:
    """`pid` and its descendants that are still running."""
    pids, i = [pid], 0
    while i < len(pids):
        try:
            for task in Path(f"/proc/{pids[i]}/task").iterdir():
                pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:  # exited meanwhile
            pass
        i += 1
    return pids


def memory_mb(pid: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("Rss", "Pss", "Pss_Anon"):
                figures[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return figures


def disk_mb(folder: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):  # removed meanwhile
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, help="a folder whose disk use to follow (the index)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    started = time.monotonic()
    process = subprocess.Popen(command)
    peak_pss = peak_anon = peak_rss = peak_disk = 0.0
    processes_at_peak = 0
    disk_checked = -DISK_SAMPLE_S
    while process.poll() is None:
        figures = [memory_mb(pid) for pid in tree(process.pid)]
        pss = sum(f.get("Pss", 0.0) for f in figures)
        if pss > peak_pss:
            peak_pss, processes_at_peak = pss, len(figures)
        peak_anon = max(peak_anon, sum(f.get("Pss_Anon", 0.0) for f in figures))
        peak_rss = max([peak_rss, *(f.get("Rss", 0.0) for f in figures)])
        if args.folder and time.monotonic() - disk_checked >= DISK_SAMPLE_S:
            peak_disk, disk_checked = max(peak_disk, disk_mb(args.folder)), time.monotonic()
        time.sleep(SAMPLE_S)
    report = (f"exit {process.returncode} after {time.monotonic() - started:.1f} s; peak PSS {peak_pss:,.0f} MB "
              f"({processes_at_peak} processes; own memory, without mapped files, {peak_anon:,.0f} MB), "
              f"largest process RSS {peak_rss:,.0f} MB")
    if args.folder:
        final = disk_mb(args.folder)
        report += f"; disk peak {max(peak_disk, final):,.0f} MB, final {final:,.0f} MB"
    print(report, file=sys.stderr)
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
