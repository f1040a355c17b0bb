#!/usr/bin/env bash
# systemd-analyze verify on systemd/newsd.service, in a scratch root that has the unit, the
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
