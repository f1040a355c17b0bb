#!/bin/sh
# Whole-process import benchmark: `newsd import` of the dev dedup corpus (9,770 articles) into a
# fresh archive, default settings (sync_writes = true), timed from exec to exit.
#
#   bench/import.sh [BUILD_DIR]      (default: build-imp next to this script's repository)
#
# Builds newsd and newsctl (Release) when BUILD_DIR has none, runs the import RUNS times (5)
# into fresh temporary directories, prints wall time, docs/s (best and median) and peak RSS, and
# scores the last archive with score.py so that a speed-up that breaks dedup shows (F1 ~0.986).
# Needs NEWSD_SHARED (default: ../shared next to the repository), python3, GNU time.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build-imp}
shared=${NEWSD_SHARED:-$(cd "$repo/.." && pwd)/shared}
corpus=$shared/corpus/dedup/corpus.jsonl
score=$shared/corpus/dedup/score.py
runs=${RUNS:-5}

[ -f "$corpus" ] || { echo "no corpus at $corpus: set NEWSD_SHARED" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time, Debian package 'time')" >&2; exit 1; }
if [ ! -x "$build/bin/newsd" ] || [ ! -x "$build/bin/newsctl" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target newsd newsctl
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/newsd-import-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
docs=$(grep -c . "$corpus")

i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  rm -rf "$work/db"
  /usr/bin/time -f '%e %M' -o "$work/time" "$build/bin/newsd" import "$corpus" --db "$work/db" \
    >/dev/null 2>"$work/log" || { cat "$work/log" >&2; exit 1; }
  read -r secs rss <"$work/time"
  awk -v i="$i" -v s="$secs" -v d="$docs" -v r="$rss" \
    'BEGIN { printf "run %d: %6.3f s  %7.0f docs/s  %6d KB peak RSS\n", i, s, d / s, r }'
  echo "$secs $rss" >>"$work/runs"
done

sort -n "$work/runs" | awk -v docs="$docs" -v n="$runs" '
  { t[NR] = $1; if ($2 > rss) rss = $2 }
  END {
    med = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
    printf "best   %6.3f s  %7.0f docs/s\n", t[1], docs / t[1]
    printf "median %6.3f s  %7.0f docs/s\n", med, docs / med
    printf "peak RSS %d KB (max over runs)\n", rss
  }'

"$build/bin/newsctl" --db "$work/db" export --format jsonl | python3 "$score" "$corpus" - |
  tail -n 1
