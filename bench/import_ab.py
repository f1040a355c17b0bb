#!/usr/bin/env python3
"""Interleaved A/B timing of `newsd import` builds on the dev dedup corpus.

    bench/import_ab.py [--runs N] [--corpus FILE] NEWSD_A NEWSD_B [NEWSD_C ...]

Runs each binary's `newsd import CORPUS --db DIR` in turn (A, B, ..., A, B, ...), N rounds
(30), each into a fresh archive directory, and prints per binary the median, first quartile
and best wall time (exec to exit) and the median CPU time (the child's user + sys, from
wait4). On a shared VM whose speed drifts by 10 % within minutes, only runs interleaved like
this compare two builds; CPU time drifts less than wall time. The corpus defaults to
$NEWSD_SHARED/corpus/dedup/corpus.jsonl (NEWSD_SHARED: ../shared next to the repository).
Copy a build's newsd elsewhere before rebuilding, so the binaries stay put.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def default_corpus():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = os.environ.get("NEWSD_SHARED", os.path.join(os.path.dirname(repo), "shared"))
    return os.path.join(shared, "corpus", "dedup", "corpus.jsonl")


def run_once(binary, corpus, db):
    """Wall and CPU milliseconds of one import into `db` (removed first)."""
    shutil.rmtree(db, ignore_errors=True)
    start = time.perf_counter()
    child = subprocess.Popen([binary, "import", corpus, "--db", db],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = child.communicate()
    wall = (time.perf_counter() - start) * 1000
    if child.returncode != 0:
        sys.exit(f"{binary} failed (exit {child.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    return wall  # its CPU time: the caller's os.times() children fields, before and after


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binaries", nargs="+", help="newsd binaries to compare (two or more)")
    parser.add_argument("--runs", type=int, default=30, help="rounds (default 30)")
    parser.add_argument("--corpus", default=default_corpus(), help="JSONL file to import")
    args = parser.parse_args()
    if len(args.binaries) < 2:
        parser.error("give two or more binaries")
    if not os.path.isfile(args.corpus):
        sys.exit(f"no corpus at {args.corpus}: set NEWSD_SHARED or give --corpus")
    for b in args.binaries:
        if not os.access(b, os.X_OK):
            sys.exit(f"not an executable: {b}")

    wall = {b: [] for b in args.binaries}
    cpu = {b: [] for b in args.binaries}
    with tempfile.TemporaryDirectory(prefix="newsd-import-ab-") as work:
        db = os.path.join(work, "db")
        for _ in range(args.runs):
            for b in args.binaries:
                before = os.times()
                wall[b].append(run_once(b, args.corpus, db))
                after = os.times()
                cpu[b].append(((after.children_user - before.children_user) +
                               (after.children_system - before.children_system)) * 1000)
    print(f"{args.runs} interleaved runs of `newsd import {args.corpus}`, "
          f"{os.cpu_count()} CPUs, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for b in args.binaries:
        w = sorted(wall[b])
        print(f"{b}: wall median {statistics.median(w):6.1f} ms, p25 {w[len(w) // 4]:6.1f}, "
              f"best {w[0]:6.1f}; CPU median {statistics.median(cpu[b]):6.1f} ms")


if __name__ == "__main__":
    main()
