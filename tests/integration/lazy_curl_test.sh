#!/bin/sh
# newsd loads libcurl only when it fetches (fetchers/curl_lib.h): `newsd import` and
# `newsd --version` start without it and the ~30 libraries it needs (4 ms of every exec).
#
#   lazy_curl_test.sh BIN_DIR
set -eu
bin=${1:?usage: lazy_curl_test.sh BIN_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "lazy_curl_test: FAIL: $*" >&2; exit 1; }

printf '%s\n' '{"id": "one", "source": "agency", "title": "A title", "text": "Some text of a story.", "published": "2026-01-02T03:04:05Z"}' >"$work/one.jsonl"
# The dynamic loader names every library it loads (LD_DEBUG=files), dlopen()ed ones too.
LD_DEBUG=files "$bin/newsd" import "$work/one.jsonl" --db "$work/db" >/dev/null 2>"$work/import.log" ||
  { tail -5 "$work/import.log" >&2; fail "newsd import failed"; }
grep -q 'imported 1 line ' "$work/import.log" || fail "newsd import did not import the line"
grep -q 'libcurl' "$work/import.log" && fail "newsd import loaded libcurl"
LD_DEBUG=files "$bin/newsd" --version >/dev/null 2>"$work/version.log" || fail "newsd --version failed"
grep -q 'libcurl' "$work/version.log" && fail "newsd --version loaded libcurl"
echo "lazy_curl_test: ok (neither newsd import nor newsd --version loads libcurl)"
