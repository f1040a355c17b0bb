#!/bin/bash
# The 1,000,000-story archive benchmark (issue 6): builds an archive with `newsd import` of
# bench/archive/generate.py's stories (1,000,000 stories over 30 days, plus 20% copies), then
# measures, with the default cache settings:
#   - `newsctl stories show ID`, whole process: through the running daemon's socket, and
#     with --db (read-only open of the archive), hyperfine 20 runs each;
#   - newsd restart to READY: exec until the admin socket answers `status` (5 restarts), and
#     until `status` says "running" (the dedup index restored in the background, polling on);
#   - the daemon's RSS (VmRSS and peak VmHWM) once running, and after the show runs.
#
#   bench/archive/run.sh [BUILD_DIR]   (default build-pbench; STORIES=1000000, KEEP=1 keeps
#                                       the work directory; REUSE=DIR measures the archive a
#                                       KEEP=1 run left in DIR, without generating or importing)
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build-pbench}
stories=${STORIES:-1000000}
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
if [ ! -x "$build/bin/newsd" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSD_BENCH=OFF >/dev/null
  cmake --build "$build" --target newsd newsctl
fi
newsd=$build/bin/newsd newsctl=$build/bin/newsctl
reuse=${REUSE:-}
work=${reuse:-$(mktemp -d "${TMPDIR:-/tmp}/newsd-archive-bench-XXXXXX")}
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ "${KEEP:-0}" = 1 ] || [ -n "$reuse" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
echo "archive benchmark $(date -u '+%F %T UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -z "$reuse" ]; then
  t0=$(date +%s.%N)
  python3 "$repo/bench/archive/generate.py" --out "$work/stories.jsonl" --stories "$stories"
  t1=$(date +%s.%N)
  /usr/bin/time -f '%e s, peak RSS %M KB' "$newsd" import "$work/stories.jsonl" --db "$work/db" \
    2>"$work/import.log" >/dev/null || { tail "$work/import.log" >&2; exit 1; }
  echo "generated $(wc -l <"$work/stories.jsonl") lines in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s;" \
    "import: $(tail -1 "$work/import.log"); archive $(du -sh "$work/db" | cut -f1)"
else
  echo "reusing the archive in $work/db ($(du -sh "$work/db" | cut -f1))"
fi

cat >"$work/newsd.toml" <<CONF
[daemon]
data_dir = "$work/db"
admin_socket = "$work/admin.sock"
CONF

since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }'; }
start_daemon() {  # sets pid; ready: seconds from exec to the first answered status; running:
  local s        # to the first status saying "running" (the dedup index restored)
  s=$(date +%s.%N)
  "$newsd" --config "$work/newsd.toml" >/dev/null 2>>"$work/daemon.log" &
  pid=$!
  until "$newsctl" --socket "$work/admin.sock" status >/dev/null 2>&1; do sleep 0.005; done
  ready=$(since "$s")
  until "$newsctl" --socket "$work/admin.sock" --json status 2>/dev/null | grep -q '"state": "running"'; do
    sleep 0.02
  done
  running=$(since "$s")
}
stop_daemon() { kill "$pid"; wait "$pid" || true; pid=; }
rss() { awk '/VmRSS|VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$pid/status"; }

for i in 1 2 3 4 5; do
  start_daemon
  echo "restart $i to READY: $ready s; index restored, running: $running s"
  [ "$i" = 5 ] || stop_daemon
done
echo "daemon once running: $(rss)"
id=$("$newsctl" --socket "$work/admin.sock" --json stories recent --limit 1 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["stories"][0]["id"])')
mid=s$((stories / 2))
hyperfine -N -w 3 -r 20 \
  "$newsctl --socket $work/admin.sock stories show $id" \
  "$newsctl --socket $work/admin.sock stories show $mid" \
  "$newsctl --db $work/db stories show $mid" 2>&1 | grep -E 'Benchmark|Time|Range'
echo "daemon after the show runs: $(rss)"
