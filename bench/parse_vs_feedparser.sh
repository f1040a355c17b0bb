#!/usr/bin/env bash
# Feed parser throughput, newsd vs Debian's python3-feedparser, in one run on the same files:
# the bench-feeds corpus (generate.py --n 1000 --seed 1, 153 MB), each file read into memory
# once, parsed on one thread, best of several passes. Prints both MB/s (10^6 bytes) and the
# ratio; fails when either parser's item total differs from SUMMARY.json. Then the same items
# as JSON Feed documents (newsd_parse_bench writes them): newsd's JSON Feed reader against
# Python's json module with the item fields picked out (bench/json_feed_python.py;
# feedparser 6.0.10 reads no JSON Feed). Results go to docs/BENCHMARKS.md.
#
# Usage: bench/parse_vs_feedparser.sh
# Environment: BUILD (build dir, default build; configured as Release if new), FEEDS (corpus
# dir, default $BUILD/bench-feeds, generated when missing), NEWSD_SHARED (default ../shared),
# REPS (newsd repetitions, default 5), PY_RUNS (feedparser passes, default 3), JOBS (default 2).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
FEEDS=${FEEDS:-$BUILD/bench-feeds}
SHARED=${NEWSD_SHARED:-$ROOT/../shared}
REPS=${REPS:-5}
PY_RUNS=${PY_RUNS:-3}
JOBS=${JOBS:-2}
PY=/usr/bin/python3  # Debian's interpreter, where python3-feedparser lives

if [[ ! -f $FEEDS/SUMMARY.json ]]; then
  echo "== generating the corpus into $FEEDS"
  "$PY" "$SHARED/corpus/bench-feeds/generate.py" --out "$FEEDS" --n 1000 --seed 1 >/dev/null
fi

if ! "$PY" -c 'import feedparser' 2>/dev/null; then
  echo "== installing python3-feedparser"
  SUDO=$([[ $(id -u) == 0 ]] || echo sudo)
  $SUDO apt-get install -y python3-feedparser >/dev/null
fi

if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD/CMakeCache.txt")
[[ $build_type == Release ]] || echo "warning: $BUILD is a '$build_type' build, not Release" >&2
cmake --build "$BUILD" -j"$JOBS" --target newsd_parse_bench >/dev/null

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

echo "== machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "== date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "== newsd: $BUILD/bin/newsd_parse_bench --feeds=$FEEDS --benchmark_repetitions=$REPS"
mkdir -p "$OUT/json"
"$BUILD/bin/newsd_parse_bench" --feeds="$FEEDS" --benchmark_repetitions="$REPS" \
  --write_json="$OUT/json" --benchmark_out="$OUT/newsd.json" --benchmark_out_format=json
echo "== feedparser: $PY bench/feedparser_bench.py $FEEDS --runs $PY_RUNS"
"$PY" bench/feedparser_bench.py "$FEEDS" --runs "$PY_RUNS" | tee "$OUT/feedparser.json"

echo "== JSON Feed, Python: $PY bench/json_feed_python.py $FEEDS JSON_DIR --runs $PY_RUNS"
"$PY" bench/json_feed_python.py "$FEEDS" "$OUT/json" --runs "$PY_RUNS" | tee "$OUT/json_python.json"

"$PY" - "$OUT/newsd.json" "$OUT/feedparser.json" "$OUT/json_python.json" <<'EOF'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
fp = json.load(open(sys.argv[2]))
py_json = json.load(open(sys.argv[3]))
def best(name):
    """Best wall-clock and best CPU-time MB/s over the repetitions of one benchmark."""
    ok = [r for r in runs if r["name"].startswith(name + "/") and r.get("run_type") == "iteration"
          and not r.get("error_occurred")]
    if not ok:
        sys.exit(f"no successful runs of {name}")
    wall = max(r["bytes_per_second"] for r in ok)
    cpu = max(r["bytes_per_second"] * r["real_time"] / r["cpu_time"] for r in ok)
    return wall / 1e6, cpu / 1e6
(full, full_cpu), (only, only_cpu) = best("BM_ParseCorpusWithText"), best("BM_ParseCorpusOnly")
fp_wall, fp_cpu = fp["mb_per_s"], fp["cpu_mb_per_s"]
print()
print(f"{'MB/s (10^6 bytes), best of each':36} {'wall clock':>12} {'CPU time':>12}")
print(f"{'newsd, parse + HtmlToText (goal)':36} {full:12.1f} {full_cpu:12.1f}")
print(f"{'newsd, parse only':36} {only:12.1f} {only_cpu:12.1f}")
print(f"{'feedparser ' + fp['parser'].split()[-1]:36} {fp_wall:12.2f} {fp_cpu:12.2f}")
print(f"{'ratio newsd (goal) / feedparser':36} {full / fp_wall:11.1f}x {full_cpu / fp_cpu:11.1f}x")
met = full >= 300 and full / fp_wall >= 40
print(f"goal (>= 300 MB/s and >= 40x, wall clock): {'met' if met else 'MISSED'}")
(js, js_cpu) = best("BM_ParseJsonFeedCorpusWithText")
print()
print(f"{'JSON Feed twins, MB/s':36} {'wall clock':>12} {'CPU time':>12}")
print(f"{'newsd, parse + HtmlToText':36} {js:12.1f} {js_cpu:12.1f}")
print(f"{'python3 json.loads + fields':36} {py_json['mb_per_s']:12.1f} {py_json['cpu_mb_per_s']:12.1f}")
print(f"{'ratio newsd / python':36} {js / py_json['mb_per_s']:11.1f}x "
      f"{js_cpu / py_json['cpu_mb_per_s']:11.1f}x")
print(f"({py_json['feedparser_on_a_twin']})")
EOF
