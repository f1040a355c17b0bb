#!/bin/bash
# Whole-run poll benchmark (issue 5): one `newsd --once` poll round over 1,000 feeds served by
# nginx on 127.0.0.1, against `newsboat -x reload` on the same feeds in the same run.
#
#   bench/poll.sh [BUILD_DIR]     (default: build-pbench next to this script's repository)
#
# Builds newsd and newsctl (Release) when BUILD_DIR has none. Generates the bench-feeds corpus
# (generate.py --n 1000 --seed 1) into a temporary directory, serves it with nginx (started here
# as the current user, 127.0.0.1 only, free port, everything under the temporary directory;
# etag on, Last-Modified from the file times, no gzip: both clients get the same identity
# bytes and nginx spends no CPU compressing on this 2-core box), then, in one run:
#   1. newsd cold: `newsd --once` into a fresh data_dir, RUNS times (each a fresh directory),
#   2. newsboat cold: `newsboat -x reload` into a fresh cache, RUNS times (interleaved with 1),
#   3. newsd re-poll: `newsd --once` on the populated archive, every feed conditional (304),
#      RUNS times (plus hyperfine, 10 runs, when installed); the 304s are counted in nginx's log,
#   4. newsd re-poll without validators: the same files from a second nginx port that sends no
#      ETag and ignores If-Modified-Since (every answer a 200, as from many a CMS), into an
#      archive filled by one untimed round from that port, RUNS times: every response is the
#      one last parsed,
#   5. newsd re-poll of changed bodies: the same, a comment appended to every file before each
#      run, so that every response is parsed and each of its (stored) items compared with the
#      archive's version,
# and prints wall (best, median), user/sys, peak RSS, item counts and the issue-5 goals.
# newsd runs the benchmark profile: every feed `interval = "0s"`; `[fetch] allow_private` and
# the `[politeness]` table (host_inflight = 0, no spacing, no jitter) when the binary accepts
# them (probed with --check-config; otherwise omitted with a note).
#
# Environment: RUNS (3), FEEDS (1000), SEED (1), NEWSD_SHARED (../shared), KEEP=1 keeps the
# temporary directory, RAW_BODIES=N sets [storage] raw_bodies (default: newsd's, 3 kept per
# feed; RAW_BODIES=0 measures without keeping them), NORAW=1 adds a cold run with
# raw_bodies = 0 after each cold run (what keeping the raw bodies costs, side by side).
# Needs nginx, newsboat, python3, GNU time; hyperfine is optional.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$repo/build-pbench}
shared=${NEWSD_SHARED:-$(cd "$repo/.." && pwd)/shared}
generator=$shared/corpus/bench-feeds/generate.py
runs=${RUNS:-3}
nfeeds=${FEEDS:-1000}
seed=${SEED:-1}

# ---- prerequisites: nothing is installed here, only named ----
missing=
need() {  # need COMMAND DEBIAN-PACKAGE
  if ! command -v "$1" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$1" ] && ! [ -x "$1" ]; then
    echo "missing $1: apt-get install $2" >&2
    missing=1
  fi
}
need nginx nginx
need newsboat newsboat
need python3 python3
need /usr/bin/time time
[ -f "$generator" ] || { echo "no generator at $generator: set NEWSD_SHARED" >&2; exit 1; }
[ -z "$missing" ] || exit 1
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
have_hyperfine=
if command -v hyperfine >/dev/null 2>&1; then
  have_hyperfine=1
else
  echo "note: hyperfine not found (apt-get install hyperfine): re-poll timed with GNU time only"
fi

if [ ! -x "$build/bin/newsd" ] || [ ! -x "$build/bin/newsctl" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEWSD_BENCH=OFF >/dev/null
  cmake --build "$build" --target newsd newsctl
fi
newsd=$build/bin/newsd
newsctl=$build/bin/newsctl

# ---- loopback only, no proxies ----
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost

work=$(mktemp -d "${TMPDIR:-/tmp}/newsd-poll-bench-XXXXXX")
nginx_pid=
cleanup() {
  if [ -n "$nginx_pid" ]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "poll benchmark $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$(nproc) CPUs, newsd $("$newsd" --version 2>/dev/null || echo '?'), RUNS=$runs"

# ---- corpus ----
python3 "$generator" --out "$work/feeds" --n "$nfeeds" --seed "$seed" >/dev/null
read -r corpus_items corpus_bytes < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["items"], s["bytes"])' "$work/feeds/SUMMARY.json")
ls "$work/feeds" | grep '\.xml$' | sort >"$work/files"
[ "$(wc -l <"$work/files")" -eq "$nfeeds" ] || { echo "generator made the wrong file count" >&2; exit 1; }

# ---- nginx on 127.0.0.1:<free port>, prefix, pid, logs and temp paths in $work/nginx ----
free_port() {
  python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
plain_port=$(free_port)
while [ "$plain_port" = "$port" ]; do plain_port=$(free_port); done
mkdir -p "$work/nginx/tmp"
user_line=
[ "$(id -u)" = 0 ] && user_line="user $(id -un);"  # root master: keep workers as this user
cat >"$work/nginx/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  log_format bench '\$status \$request_uri \$body_bytes_sent';
  access_log $work/nginx/access.log bench;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  types { }
  default_type application/xml;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  gzip off;
  server {
    listen 127.0.0.1:$port;
    root $work/feeds;
    etag on;
    if_modified_since exact;
  }
  server {  # no ETag, If-Modified-Since ignored: every answer a 200 (phase 4)
    listen 127.0.0.1:$plain_port;
    root $work/feeds;
    etag off;
    if_modified_since off;
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
nginx_pid=$!
base=http://127.0.0.1:$port
plain_base=http://127.0.0.1:$plain_port
first=$(head -n 1 "$work/files")
i=0
until python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
  "$base/$first" 2>/dev/null; do
  i=$((i + 1))
  if [ "$i" -gt 50 ] || ! kill -0 "$nginx_pid" 2>/dev/null; then
    echo "nginx did not come up:" >&2
    cat "$work/nginx/error.log" >&2
    exit 1
  fi
  sleep 0.1
done
log_lines() { wc -l <"$work/nginx/access.log"; }
# Status counts of the access log lines after line $1, as "200:N 304:M ...".
statuses_since() {
  tail -n +"$(($1 + 1))" "$work/nginx/access.log" | awk '{ c[$1]++ } END { for (s in c) printf "%s:%d ", s, c[s] }'
}

# ---- newsd config: probe the benchmark-profile keys this binary knows ----
probe() {  # probe TOML-FRAGMENT: 0 when newsd --check-config accepts it
  printf '[daemon]\ndata_dir = "%s/probe"\n%s\n' "$work" "$1" >"$work/probe.toml"
  "$newsd" --check-config --config "$work/probe.toml" >"$work/probe.out" 2>&1
}
fetch_extra=
politeness=
if probe '[fetch]
allow_private = true'; then
  fetch_extra='allow_private = true'
else
  echo "note: this newsd does not accept [fetch] allow_private, omitted ($(tail -n 1 "$work/probe.out"))"
fi
politeness_table='[politeness]
host_inflight = 0
host_spacing = "0s"
min_interval = "0s"
startup_jitter = "0s"'
if probe "$politeness_table"; then
  politeness=$politeness_table
else
  echo "note: this newsd does not accept the [politeness] table, omitted ($(tail -n 1 "$work/probe.out"))"
fi
awk -v base="$base" '{ printf "[[feed]]\nid = \"feed%04d\"\nurl = \"%s/%s\"\ninterval = \"0s\"\n\n", NR, base, $0 }' \
  "$work/files" >"$work/feeds.toml"
awk -v base="$plain_base" '{ printf "[[feed]]\nid = \"feed%04d\"\nurl = \"%s/%s\"\ninterval = \"0s\"\n\n", NR, base, $0 }' \
  "$work/files" >"$work/plain-feeds.toml"
write_config() {  # write_config DATA_DIR [FEEDS_TOML] > FILE
  printf '[daemon]\ndata_dir = "%s"\nadmin_socket = "%s/admin.sock"\nlog_level = "info"\n\n' "$1" "$work"
  printf '[fetch]\n%s\n\n%s\n\n' "$fetch_extra" "$politeness"
  [ -z "${RAW_BODIES:-}" ] || printf '[storage]\nraw_bodies = %s\n\n' "$RAW_BODIES"
  cat "${2:-$work/feeds.toml}"
}
write_config "$work/probe" >"$work/probe.toml"
"$newsd" --check-config --config "$work/probe.toml" >"$work/probe.out" 2>&1 ||
  { echo "newsd rejects the benchmark config:" >&2; cat "$work/probe.out" >&2; exit 1; }

# ---- newsboat: urls file, config, HOME of its own ----
sed "s|^|$base/|" "$work/files" >"$work/urls"
printf 'reload-threads 2\nauto-reload no\nshow-read-feeds yes\n' >"$work/newsboat.conf"
mkdir -p "$work/home"

# run_timed LABEL LOG COMMAND...: sets wall user sys rss and appends them to $work/LABEL.runs
run_timed() {
  local label=$1 log=$2
  shift 2
  if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" </dev/null >"$log" 2>&1; then
    echo "$label failed:" >&2
    tail -n 20 "$log" >&2
    cat "$work/time" >&2
    exit 1
  fi
  tail -n 1 "$work/time" >>"$work/$label.runs"
  read -r wall user sys rss < <(tail -n 1 "$work/time")
}
summary_of() { grep -o 'round summary:.*' "$1" | tail -n 1 | sed 's/round summary: //'; }
# close_time LOG EXIT_EPOCH: seconds from the round summary (the log's local time) to the exit:
# the archive's close (memtables flushed, compactions due or under way finished; about 0.1 s
# on a 2-vCPU VM since the items family compacts at 16 level-0 tables: docs/BENCHMARKS.md).
close_time() {
  python3 -c '
import datetime, sys
line = [l for l in open(sys.argv[1], errors="replace") if "round summary:" in l][-1]
t = datetime.datetime.strptime(line.split()[0], "%Y-%m-%dT%H:%M:%S.%f").timestamp()
print(f"{float(sys.argv[2]) - t:.2f}")' "$1" "$2" 2>/dev/null || echo "?"
}
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }  # field NAME < summary

warn=
i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  db=$work/db$i
  write_config "$db" >"$work/cold$i.toml"
  before=$(log_lines)
  run_timed newsd-cold "$work/cold$i.log" "$newsd" --once --config "$work/cold$i.toml"
  close=$(close_time "$work/cold$i.log" "$(date +%s.%N)")
  s=$(summary_of "$work/cold$i.log")
  codes=$(statuses_since "$before")
  echo "newsd cold    run $i: $wall s wall (close $close s)  $user user  $sys sys  $rss KB  [$s] nginx: $codes"
  echo "$s" | field new_items >>"$work/newsd-cold.items"
  if [ "$(echo "$s" | field fetched)" != "$nfeeds" ]; then
    warn="$warn newsd cold run $i fetched $(echo "$s" | field fetched) of $nfeeds feeds;"
  fi
  if [ "$i" -lt "$runs" ]; then rm -rf "$db"; fi  # the last archive is re-polled below
  if [ "${NORAW:-0}" = 1 ]; then
    RAW_BODIES=0 write_config "$work/noraw$i" >"$work/noraw$i.toml"
    run_timed newsd-noraw "$work/noraw$i.log" "$newsd" --once --config "$work/noraw$i.toml"
    echo "newsd cold, raw_bodies = 0, run $i: $wall s wall  $user user  $sys sys  $rss KB  [$(summary_of "$work/noraw$i.log")]"
    rm -rf "$work/noraw$i"
  fi

  rm -rf "$work/cache$i.db"*
  before=$(log_lines)
  run_timed newsboat-cold "$work/newsboat$i.log" \
    env HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    newsboat -x reload -u "$work/urls" -c "$work/cache$i.db" -C "$work/newsboat.conf" -q
  nb_items=$(python3 -c '
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from rss_item").fetchone()[0])' "$work/cache$i.db")
  echo "$nb_items" >>"$work/newsboat-cold.items"
  codes=$(statuses_since "$before")
  echo "newsboat cold run $i: $wall s wall  $user user  $sys sys  $rss KB  [$nb_items items] nginx: $codes"
  rm -rf "$work/cache$i.db"*
done

# timed_repolls LABEL CONFIG TITLE: RUNS timed rounds of CONFIG; appends each round's 304 count
# (nginx log) to $work/LABEL.304 and its unchanged count (round summary) to
# $work/LABEL.unchanged.
timed_repolls() {
  local label=$1 config=$2 title=$3 before s codes
  i=0
  while [ "$i" -lt "$runs" ]; do
    i=$((i + 1))
    before=$(log_lines)
    run_timed "newsd-$label" "$work/$label$i.log" "$newsd" --once --config "$config"
    s=$(summary_of "$work/$label$i.log")
    codes=$(statuses_since "$before")
    tail -n +"$((before + 1))" "$work/nginx/access.log" | awk '$1 == 304' | wc -l >>"$work/$label.304"
    echo "$s" | field unchanged >>"$work/$label.unchanged"
    echo "newsd $title run $i: $wall s wall  $user user  $sys sys  $rss KB  [$s] nginx: $codes"
  done
}

# ---- re-poll of the populated archive: every request conditional, every answer 304 ----
db=$work/db$runs
write_config "$db" >"$work/repoll.toml"
timed_repolls repoll "$work/repoll.toml" "re-poll"
hf_line=
if [ -n "$have_hyperfine" ]; then
  before=$(log_lines)
  hyperfine -N --style basic --warmup 1 --runs 10 --export-json "$work/hf.json" \
    "$newsd --once --config $work/repoll.toml" >"$work/hf.out" 2>&1 ||
    { cat "$work/hf.out" >&2; exit 1; }
  hf_304=$(tail -n +"$((before + 1))" "$work/nginx/access.log" | awk '$1 == 304' | wc -l)
  hf_all=$(($(log_lines) - before))
  hf_line=$(python3 -c '
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
t = r["times"]
print("%.3f %.3f %.3f %.3f" % (min(t), statistics.median(t), r["mean"], r["stddev"] or 0))' "$work/hf.json")
fi
archive_items=$("$newsctl" --db "$db" export --format jsonl | wc -l)

# ---- re-poll without validators: every answer a 200, the same bytes as the last parse ----
write_config "$work/plain-db" "$work/plain-feeds.toml" >"$work/plain.toml"
"$newsd" --once --config "$work/plain.toml" >"$work/plain-fill.log" 2>&1 ||
  { tail -n 20 "$work/plain-fill.log" >&2; exit 1; }
timed_repolls plain "$work/plain.toml" "re-poll, no validators,"

# ---- re-poll of changed bodies: a comment appended to every file before each run, so every
# answer is a new 200 whose items are all stored; each is compared with its stored version
# (a correction is re-put): the cost of polling a feed that changed, without new items ----
i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  while read -r f; do printf '<!-- changed %d -->\n' "$i" >>"$work/feeds/$f"; done <"$work/files"
  run_timed newsd-changed "$work/changed$i.log" "$newsd" --once --config "$work/plain.toml"
  s=$(summary_of "$work/changed$i.log")
  echo "$s" | field fetched >>"$work/changed.fetched"
  echo "newsd re-poll, changed bodies, run $i: $wall s wall  $user user  $sys sys  $rss KB  [$s]"
done
rm -rf "$work/plain-db"

# ---- table ----
stats() {  # stats FILE -> "best median max_rss median_user median_sys"
  sort -n "$1" | awk '
    { t[NR] = $1; u[NR] = $2; s[NR] = $3; if ($4 > rss) rss = $4 }
    END {
      n = NR; m = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
      # user/sys of the median-wall run (runs sorted by wall)
      k = int((n + 1) / 2)
      printf "%.3f %.3f %d %.2f %.2f\n", t[1], m, rss, u[k], s[k]
    }'
}
read -r nd_best nd_med nd_rss nd_user nd_sys < <(stats "$work/newsd-cold.runs")
read -r nb_best nb_med nb_rss nb_user nb_sys < <(stats "$work/newsboat-cold.runs")
read -r rp_best rp_med rp_rss rp_user rp_sys < <(stats "$work/newsd-repoll.runs")
read -r pl_best pl_med pl_rss pl_user pl_sys < <(stats "$work/newsd-plain.runs")
read -r ch_best ch_med ch_rss ch_user ch_sys < <(stats "$work/newsd-changed.runs")

echo
echo "== poll round: $nfeeds feeds, $corpus_items items, $corpus_bytes bytes, nginx 127.0.0.1:$port" \
  "(etag on, Last-Modified, no gzip); $runs runs each; $(date -u '+%Y-%m-%d %H:%M UTC')," \
  "load $(cut -d' ' -f1-3 /proc/loadavg) =="
printf '%-34s %9s %9s %7s %7s %9s\n' "" "best s" "median s" "user s" "sys s" "peak KB"
printf '%-34s %9s %9s %7s %7s %9s\n' "newsd --once, cold" "$nd_best" "$nd_med" "$nd_user" "$nd_sys" "$nd_rss"
if [ "${NORAW:-0}" = 1 ]; then
  read -r nr_best nr_med nr_rss nr_user nr_sys < <(stats "$work/newsd-noraw.runs")
  printf '%-34s %9s %9s %7s %7s %9s\n' "newsd --once, cold, raw_bodies=0" "$nr_best" "$nr_med" "$nr_user" "$nr_sys" "$nr_rss"
fi
printf '%-34s %9s %9s %7s %7s %9s\n' "newsboat -x reload, cold" "$nb_best" "$nb_med" "$nb_user" "$nb_sys" "$nb_rss"
printf '%-34s %9s %9s %7s %7s %9s\n' "newsd --once, re-poll (all 304)" "$rp_best" "$rp_med" "$rp_user" "$rp_sys" "$rp_rss"
printf '%-34s %9s %9s %7s %7s %9s\n' "newsd re-poll, no validators (200)" "$pl_best" "$pl_med" "$pl_user" "$pl_sys" "$pl_rss"
printf '%-34s %9s %9s %7s %7s %9s\n' "newsd re-poll, changed bodies" "$ch_best" "$ch_med" "$ch_user" "$ch_sys" "$ch_rss"
if [ -n "$hf_line" ]; then
  read -r hf_min hf_med hf_mean hf_sd <<<"$hf_line"
  printf '%-34s %9s %9s   (hyperfine, 10 runs: mean %s ± %s s; %d of %d answers 304)\n' \
    "newsd re-poll, hyperfine" "$hf_min" "$hf_med" "$hf_mean" "$hf_sd" "$hf_304" "$hf_all"
fi
ratio_med=$(awk -v a="$nb_med" -v b="$nd_med" 'BEGIN { printf "%.1f", a / b }')
ratio_best=$(awk -v a="$nb_best" -v b="$nd_best" 'BEGIN { printf "%.1f", a / b }')
echo "ratio newsboat / newsd (cold): ${ratio_med}x median, ${ratio_best}x best"
echo "items: corpus $corpus_items; newsd new_items per cold run: $(tr '\n' ' ' <"$work/newsd-cold.items")" \
  "(archive export: $archive_items); newsboat rss_item rows: $(tr '\n' ' ' <"$work/newsboat-cold.items")"
echo "re-poll 304s per run (nginx log): $(tr '\n' ' ' <"$work/repoll.304")of $nfeeds"
echo "re-poll without validators, unchanged responses per run: $(tr '\n' ' ' <"$work/plain.unchanged")of $nfeeds"
echo "re-poll of changed bodies, responses parsed per run: $(tr '\n' ' ' <"$work/changed.fetched")of $nfeeds"
verdict() { awk -v v="$1" -v lim="$2" -v op="$3" 'BEGIN {
  ok = (op == "le") ? (v <= lim) : (v >= lim); print ok ? "MET" : "NOT MET" }'; }
echo "goals (medians): newsd cold <= 1.5 s: $(verdict "$nd_med" 1.5 le) ($nd_med s);" \
  ">= 12x newsboat: $(verdict "$ratio_med" 12 ge) (${ratio_med}x);" \
  "re-poll <= 0.3 s: $(verdict "$rp_med" 0.3 le) ($rp_med s)"
bad304=$(awk -v n="$nfeeds" '$1 != n' "$work/repoll.304" | wc -l)
[ "$bad304" -eq 0 ] || warn="$warn $bad304 re-poll run(s) did not get $nfeeds 304s;"
[ -z "$fetch_extra" ] && warn="$warn [fetch] allow_private omitted;"
[ -z "$politeness" ] && warn="$warn [politeness] omitted;"
[ -z "$warn" ] || echo "notes:$warn"
