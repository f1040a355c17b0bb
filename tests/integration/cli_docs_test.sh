#!/usr/bin/env bash
# The man pages and bash completions cover every subcommand the binaries offer (so they
# cannot go stale silently), completion works, and the pages render without warnings when
# groff is installed.   Usage: cli_docs_test.sh SOURCE_DIR BIN_DIR
set -euo pipefail
src=${1:?usage: cli_docs_test.sh SOURCE_DIR BIN_DIR}
bin=${2:?usage: cli_docs_test.sh SOURCE_DIR BIN_DIR}
fail=0
subcommands() {  # the "Subcommands:" section of a CLI11 --help
  "$1" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && $1 != "" { print $1 }'
}
check() {  # check BINARY COMPLETION MANPAGE
  local cmd
  for cmd in $(subcommands "$1"); do
    grep -qw -- "$cmd" "$2" || { echo "$(basename "$2") lacks subcommand '$cmd'"; fail=1; }
    grep -q "^\.B $cmd\b" "$3" || { echo "$(basename "$3") lacks subcommand '$cmd'"; fail=1; }
  done
}
check "$bin/newsctl" "$src/newsctl/newsctl.bash" "$src/newsctl/newsctl.1"
check "$bin/newsd" "$src/daemon/newsd.bash" "$src/daemon/newsd.8"

complete_words() {  # complete_words SCRIPT FUNCTION WORD... : COMPREPLY for the last word
  bash -c 'source "$1"; fn=$2; shift 2; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$fn"; echo "${COMPREPLY[*]}"' \
    _ "$@"
}
got=$(complete_words "$src/newsctl/newsctl.bash" _newsctl newsctl --json re)
[[ $got == *reload* && $got == *reparse* && $got == *restore* ]] ||
  { echo "newsctl re<TAB> gave '$got'"; fail=1; }
got=$(complete_words "$src/newsctl/newsctl.bash" _newsctl newsctl --socket /x stories "")
[[ $got == "recent show" ]] || { echo "newsctl stories <TAB> gave '$got'"; fail=1; }
got=$(complete_words "$src/daemon/newsd.bash" _newsd newsd --log-level w)
[[ $got == warn ]] || { echo "newsd --log-level w<TAB> gave '$got'"; fail=1; }

# A log level newsd does not know is a usage error (spdlog would read it as "off", silently).
rc=0
out=$("$bin/newsd" --check-config -c /nonexistent.toml --log-level verbose 2>&1) || rc=$?
[[ $rc == 2 && $out == *"not in"* ]] ||
  { echo "newsd --log-level verbose gave rc=$rc: $out"; fail=1; }
if command -v groff >/dev/null; then
  for page in "$src/newsctl/newsctl.1" "$src/daemon/newsd.8"; do
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    [[ -z $warnings ]] || { echo "$page: $warnings"; fail=1; }
  done
else
  echo "note: groff not installed, man pages not rendered (apt-get install groff-base)"
fi
[[ $fail == 0 ]] && echo "man pages and completions cover every subcommand"
exit $fail
