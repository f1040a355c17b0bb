#!/bin/sh
# Whole-process import benchmark: `newsd import` of the dev dedup corpus (9,770 articles) into a
# fresh archive, default settings (sync_writes = true), timed from exec to exit.
#
#   bench/import.sh [BUILD_DIR]      (default: build-imp next to this script's repository)
#
# Builds newsd and newsctl (Release) when BUILD_DIR has none, runs the import RUNS times (5)
# into fresh temporary directories, prints wall time (and where it went), docs/s (best and median), CPU time and peak RSS, and
# scores the last archive with score.py so that a speed-up that breaks dedup shows (F1 ~0.986).
# Needs NEWSD_SHARED (default: ../shared next to the repository) and python3.
# PAUSE (3) seconds pass before each run: on a VM whose host takes freed guest memory back
# (free page reporting), runs under a second apart reuse memory the host still backs and fault
# it in for a fraction of its cost, huge pages above all (docs/BENCHMARKS.md, Session 53).
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build-imp}
shared=${NEWSD_SHARED:-$(cd "$repo/.." && pwd)/shared}
corpus=$shared/corpus/dedup/corpus.jsonl
score=$shared/corpus/dedup/score.py
runs=${RUNS:-5}
pause=${PAUSE:-3}

[ -f "$corpus" ] || { echo "no corpus at $corpus: set NEWSD_SHARED" >&2; exit 1; }
if [ ! -x "$build/bin/newsd" ] || [ ! -x "$build/bin/newsctl" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target newsd newsctl
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/newsd-import-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Each run timed from exec to exit to the millisecond (GNU time has 10 ms steps, a twentieth of
# the goal), with its phases from newsd's log: exec to "archive opened", the import itself (to
# "imported ... lines", the last group committed), and the close (flushing the memtables, so
# the next open has no log to replay) and the process's exit.
python3 - "$build/bin/newsd" "$corpus" "$work/db" "$runs" "$pause" <<'PY'
import datetime, os, shutil, statistics, subprocess, sys, time

newsd, corpus, db, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
pause = float(sys.argv[5])
with open(corpus, encoding="utf-8") as f:
    docs = sum(1 for line in f if line.strip())


def logged(line):
    """The wall-clock time of a log line ("2026-12-04T18:51:27.819 info ..."), in seconds."""
    return datetime.datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f").timestamp()


walls = []
peak = 0
for i in range(1, runs + 1):
    shutil.rmtree(db, ignore_errors=True)
    time.sleep(pause)
    t0 = time.time()
    start = time.perf_counter()
    child = subprocess.Popen([newsd, "import", corpus, "--db", db],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    t1 = t0 + wall
    if status != 0:
        sys.exit(err)
    marks = {}
    for line in err.splitlines():
        if " archive opened " in line:
            marks["open"] = logged(line)
        elif " imported " in line:
            marks["imported"] = logged(line)
    walls.append(wall)
    peak = max(peak, usage.ru_maxrss)
    phases = ""
    if len(marks) == 2:  # log times have 1 ms steps
        phases = "  (open %3.0f ms, import %3.0f ms, close and exit %3.0f ms)" % (
            (marks["open"] - t0) * 1e3, (marks["imported"] - marks["open"]) * 1e3,
            (t1 - marks["imported"]) * 1e3)
    print("run %d: %6.3f s  %7.0f docs/s  %6d KB peak RSS  CPU %3.0f ms%s" % (
        i, wall, docs / wall, usage.ru_maxrss, (usage.ru_utime + usage.ru_stime) * 1e3, phases))

walls.sort()
median = statistics.median(walls)
print("best   %6.3f s  %7.0f docs/s" % (walls[0], docs / walls[0]))
print("median %6.3f s  %7.0f docs/s" % (median, docs / median))
print("peak RSS %d KB (max over runs)" % peak)
PY

"$build/bin/newsctl" --db "$work/db" export --format jsonl | python3 "$score" "$corpus" - |
  tail -n 1
