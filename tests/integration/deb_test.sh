#!/usr/bin/env bash
# Builds the .deb (`cpack -G DEB`) in BUILD_DIR, into BUILD_DIR/package, and checks it: the files
# it must install, /etc/newsd/newsd.toml listed as a conffile, the changelog's version, and
# no lintian error. --chroot then installs, reinstalls over an edited conffile, removes and
# purges it in a minimal Debian 12 root (debootstrap from the mirror apt uses here; no systemd
# inside, so the scripts' no-systemd paths run). The pristine root is cached in
# /var/cache/newsd-test/ and copied for each run. Needs root.
#   Usage: deb_test.sh [--chroot] BUILD_DIR
set -euo pipefail
chroot_mode=0
if [[ ${1:-} == --chroot ]]; then chroot_mode=1; shift; fi
build=$(cd "${1:?usage: deb_test.sh [--chroot] BUILD_DIR}" && pwd)
fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps lintian; do
  command -v "$tool" >/dev/null || fail "$tool not found (scripts/setup installs it)"
done

out=$build/package
rm -rf "$out"
mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out") >"$out/cpack.log" 2>&1 || {
  cat "$out/cpack.log"; fail "cpack -G DEB failed"; }
debs=("$out"/newsd_*.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || fail "expected one newsd_*.deb in $out, got: ${debs[*]}"
deb=${debs[0]}
echo "== $deb ($(du -h "$deb" | cut -f1))"
dpkg-deb -I "$deb"
dpkg-deb -c "$deb"

# Paths as dpkg sees them ("./usr/bin/newsd" -> "/usr/bin/newsd"; a symlink's " -> target" cut).
listing=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\.||')
missing=()
for want in /usr/bin/newsd /usr/bin/newsctl /lib/systemd/system/newsd.service \
  /usr/lib/sysusers.d/newsd.conf /usr/lib/tmpfiles.d/newsd.conf /etc/newsd/newsd.toml \
  /usr/share/man/man8/newsd.8.gz /usr/share/man/man1/newsctl.1.gz \
  /usr/share/bash-completion/completions/newsd /usr/share/bash-completion/completions/newsctl \
  /usr/share/doc/newsd/copyright /usr/share/doc/newsd/changelog.Debian.gz; do
  grep -qxF "$want" <<<"$listing" || missing+=("$want")
done
[[ ${#missing[@]} == 0 ]] || fail "missing from the .deb: ${missing[*]}"

control=$(mktemp -d)
trap 'rm -rf "$control"' EXIT
dpkg-deb -e "$deb" "$control"
for script in postinst prerm postrm; do
  [[ -x $control/$script ]] || fail "no executable $script in the control archive"
done
grep -qxF /etc/newsd/newsd.toml "$control/conffiles" 2>/dev/null ||
  fail "conffiles does not list /etc/newsd/newsd.toml"
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libc6* ]] || fail "Depends lacks the shared libraries (dpkg-shlibdeps): '$depends'"
[[ $depends == *libcurl4* ]] || fail "Depends lacks libcurl4 (loaded at run time): '$depends'"
version=$(dpkg-deb -f "$deb" Version)
top=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/newsd/changelog.Debian.gz |
  gzip -dc | sed -n '1s/^newsd (\([^)]*\)).*/\1/p')
[[ $top == "$version" ]] ||
  fail "package version $version but packaging/deb/changelog starts with '$top': add an entry"

echo "== lintian"
lint_rc=0
lintian --allow-root --fail-on error "$deb" >"$out/lintian.log" 2>&1 || lint_rc=$?
cat "$out/lintian.log"
if grep -q '^E: ' "$out/lintian.log" || [[ $lint_rc != 0 ]]; then
  fail "lintian reports errors (exit $lint_rc)"
fi
echo "deb_test: package ok ($(grep -c '^W: ' "$out/lintian.log") lintian warnings)"
[[ $chroot_mode == 1 ]] || exit 0

# --- install, reinstall, remove and purge in a Debian 12 root without systemd ---
start=$SECONDS
[[ $(id -u) == 0 ]] || fail "--chroot needs root"
command -v debootstrap >/dev/null || fail "debootstrap not found (scripts/setup installs it)"
cache=/var/cache/newsd-test
base=$cache/bookworm-minbase
mkdir -p "$cache/archives/partial"
if [[ ! -d $base ]]; then
  # shellcheck disable=SC2016  # apt's format fields, not shell
  mirror=${NEWSD_DEB_MIRROR:-$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' \
    'Identifier: Packages' | awk '$2 == "bookworm" { print $1; exit }')}
  [[ -n $mirror ]] || fail "no bookworm mirror in apt's sources; set NEWSD_DEB_MIRROR"
  wget -q -T 20 -t 2 --spider "${mirror%/}/dists/bookworm/Release" ||
    fail "cannot reach the Debian mirror $mirror (apt's, or NEWSD_DEB_MIRROR): the chroot test needs it"
  echo "== debootstrap --variant=minbase bookworm from $mirror (cached in $base)"
  rm -rf "$base.new"
  debootstrap --variant=minbase bookworm "$base.new" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log"; fail "debootstrap failed (log: $cache/debootstrap.log)"; }
  mv "$base.new" "$base"  # only a finished root gets the cache's name
fi

root=$(mktemp -d /var/tmp/newsd-deb-root.XXXXXX)
unmount_all() {
  local m ok=1
  for m in "$root/var/cache/apt/archives" "$root/proc"; do
    if mountpoint -q "$m"; then umount "$m" || umount -l "$m" || ok=0; fi
  done
  # rm -rf must never run through a bind mount into the cache.
  if [[ $ok == 1 ]] && ! grep -qF " $root/" /proc/mounts; then
    rm -rf "$root"
  else
    echo "deb_test: $root is still mounted; left in place" >&2
  fi
  rm -rf "$control"
}
trap unmount_all EXIT
cp -a "$base/." "$root/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
# Downloaded dependencies survive between runs.
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
cp "$deb" "$root/tmp/"
in_root() {
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C DEBIAN_FRONTEND=noninteractive \
    chroot "$root" "$@"
}
install_deb() {
  # No /dev/pts in the chroot: dpkg's output goes through no pty.
  in_root apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "/tmp/${deb##*/}"
}

echo "== install in the chroot"
[[ ! -d $root/run/systemd/system ]] || fail "the chroot has /run/systemd/system"
if ! install_deb; then
  # The cached package lists may name versions the mirror no longer has.
  in_root apt-get update -q -o Acquire::Languages=none ||
    fail "apt-get update in the chroot failed: is the Debian mirror in its sources.list reachable?"
  install_deb || fail "apt-get install of the .deb failed in the chroot"
fi
in_root newsctl --help >/dev/null || fail "newsctl --help failed in the chroot"
got=$(in_root newsd --version) || fail "newsd --version failed in the chroot"
[[ $got == *"${version%-*}"* ]] || fail "newsd --version said '$got', expected ${version%-*}"
passwd=$(in_root getent passwd newsd) || fail "postinst did not create the newsd user"
[[ $passwd == *:/var/lib/newsd:* ]] || fail "newsd user has the wrong home: $passwd"
[[ -f $root/etc/newsd/newsd.toml ]] || fail "/etc/newsd/newsd.toml not installed"
for dir in /var/lib/newsd /var/backups/newsd; do
  owner=$(in_root stat -c '%U:%G %a' "$dir") || fail "postinst did not create $dir"
  [[ $owner == "newsd:newsd 750" ]] || fail "$dir is $owner, expected newsd:newsd 750"
done
wants=$root/etc/systemd/system/multi-user.target.wants/newsd.service
[[ -L $wants ]] || fail "postinst did not enable newsd.service (deb-systemd-helper)"
in_root newsd --check-config --config /etc/newsd/newsd.toml ||
  fail "the shipped /etc/newsd/newsd.toml does not pass newsd --check-config"

echo "== reinstall over an edited conffile"
echo '# edited by deb_test' >>"$root/etc/newsd/newsd.toml"
in_root dpkg -i "/tmp/${deb##*/}" || fail "reinstalling (upgrade path of the scripts) failed"
grep -q 'edited by deb_test' "$root/etc/newsd/newsd.toml" ||
  fail "reinstalling overwrote the edited /etc/newsd/newsd.toml (not a conffile?)"

echo "== remove, then purge"
in_root dpkg --remove newsd || fail "dpkg --remove failed (prerm/postrm remove)"
[[ ! -e $root/usr/bin/newsd ]] || fail "/usr/bin/newsd still there after remove"
[[ -f $root/etc/newsd/newsd.toml ]] || fail "remove deleted the conffile (only purge may)"
in_root dpkg --purge newsd || fail "dpkg --purge failed (postrm purge)"
[[ ! -e $root/etc/newsd/newsd.toml ]] || fail "purge left /etc/newsd/newsd.toml"
[[ ! -L $wants ]] || fail "purge left the enablement symlink $wants"
# shellcheck disable=SC2016  # dpkg-query's format field
status=$(in_root dpkg-query -W -f '${db:Status-Status}' newsd 2>/dev/null || true)
[[ -z $status || $status == not-installed ]] || fail "after purge dpkg says newsd is '$status'"
echo "deb_test: chroot install/reinstall/remove/purge ok ($((SECONDS - start)) s)"
