#!/usr/bin/env bash
# systemd-analyze verify and security (exposure <= 1.2) on systemd/newsd.service, in a scratch root that has the unit, the
# system's own units and executables at the ExecStart and ExecReload paths. Exit 77 = skipped.
set -euo pipefail
src=${1:?usage: systemd_unit_test.sh SOURCE_DIR}
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/etc/systemd/system" "$root/usr/lib/systemd"
cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp /bin/true "$root/usr/bin/newsd"
mkdir -p "$root/bin"
cp /bin/true "$root/bin/kill"  # ExecReload=/bin/kill -HUP $MAINPID
cp "$src/systemd/newsd.service" "$root/etc/systemd/system/"
out=$(systemd-analyze verify --man=no --root="$root" /etc/systemd/system/newsd.service 2>&1) || {
  echo "$out"; exit 1; }
if [[ -n $out ]]; then echo "$out"; exit 1; fi
echo "systemd-analyze verify: clean"
# The sandboxing (issue 7): exposure at most 1.2 on systemd-analyze's 0-10 scale.
sec=$(systemd-analyze security --offline=true --root="$root" newsd.service 2>&1) || true
level=$(sed -n 's/.*Overall exposure level for newsd.service: \([0-9.]*\).*/\1/p' <<<"$sec")
[[ -n $level ]] || { echo "no exposure level in:"; echo "$sec"; exit 1; }
if awk -v l="$level" 'BEGIN { exit !(l > 1.2) }'; then
  echo "$sec" | grep '✗'
  echo "exposure $level > 1.2"
  exit 1
fi
echo "systemd-analyze security: exposure $level (<= 1.2)"
