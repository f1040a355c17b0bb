#!/usr/bin/env python3
"""Disk-full test (issue 6): ingest pauses when the archive's disk fills, and resumes by itself.

    disk_full_test.py --bin BUILD/bin [--keep]

Needs root (it mounts a small tmpfs for the archive; skipped, exit 77, otherwise) and the shared
bench-feeds generator ($NEWSD_SHARED/corpus/bench-feeds/generate.py; skipped without it).

1. Reference: `newsd --once` over every feed on an ordinary disk gives the expected item ids.
2. newsd runs as a service with its archive on the tmpfs. The "early" feeds are ingested; the
   "late" feeds are empty at first.
3. The tmpfs is filled up to the last byte, then the late feeds publish their items. The
   commit fails: `newsctl status` must say "paused" and why (the disk is full), the log must
   say so, and the early feeds' items must all still be in the archive.
4. The filler is deleted: without any action, newsd must resume, and the archive must end
   with exactly the reference's items.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
EMPTY_RSS = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             '<title>Not yet</title><link>https://late.example/</link></channel></rss>\n')


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def wait_for(what, predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def write_config(path, data_dir, socket, feed_dir, feeds):
    lines = ["[daemon]", f'data_dir = "{data_dir}"', f'admin_socket = "{socket}"',
             'storage_retry = "1s"', "[storage]", "min_free_mb = 2", "[politeness]", 'min_interval = "0s"',
             'startup_jitter = "0s"', "[dedup]", 'window = "2000d"']
    for feed_id, name in feeds:
        lines += ["[[feed]]", f'id = "{feed_id}"', f'url = "file://{feed_dir}/{name}"',
                  'interval = "1s"']
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def export_ids(newsctl, data_dir):
    r = run([newsctl, "--db", data_dir, "export"])
    if r.returncode != 0:
        raise AssertionError(f"newsctl --db export failed: {r.stderr.strip()}")
    return {json.loads(line)["id"] for line in r.stdout.splitlines() if line.strip()}


def status(newsctl, socket):
    """The daemon's status; exit 3 (not running for a script) goes with a paused state."""
    r = run([newsctl, "--socket", socket, "--json", "status"])
    if r.returncode not in (0, 3) or not r.stdout.strip():
        return None
    answer = json.loads(r.stdout)
    paused = answer.get("state") == "paused"
    assert (r.returncode == 3) == paused, f"status exited {r.returncode} when {answer.get('state')}"
    return answer


def fill(path):
    """Writes zeros to `path` until the file system is full."""
    block = b"\0" * (1 << 16)
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError:
            pass
        try:  # the last partial block
            while True:
                f.write(b"\0" * 512)
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="directory with newsd and newsctl")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    shared = os.environ.get("NEWSD_SHARED") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    generator = os.path.join(shared, "corpus", "bench-feeds", "generate.py")
    if not os.path.exists(generator):
        print(f"SKIP: no bench-feeds generator under {shared} (set NEWSD_SHARED)")
        return SKIP
    if os.geteuid() != 0:
        print("SKIP: needs root to mount a tmpfs for the archive")
        return SKIP
    os.environ.update(no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")
    work = tempfile.mkdtemp(prefix="newsd-diskfull-")
    mnt = os.path.join(work, "mnt")
    os.mkdir(mnt)
    r = run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mnt])
    if r.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        print(f"SKIP: cannot mount a tmpfs: {r.stderr.strip()}")
        return SKIP
    try:
        return scenario(args, generator, work, mnt)
    finally:
        run(["umount", "-l", mnt])
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def scenario(args, generator, work, mnt):
    newsd = os.path.join(args.bin, "newsd")
    newsctl = os.path.join(args.bin, "newsctl")
    gen_dir = os.path.join(work, "generated")
    r = run([sys.executable, generator, "--out", gen_dir, "--n", "30", "--seed", "11"])
    if r.returncode != 0:
        raise AssertionError("generate.py failed: " + r.stderr)
    files = sorted(f for f in os.listdir(gen_dir) if f.endswith(".xml"))
    feeds = [(f"f{i:02d}", name) for i, name in enumerate(files)]
    early, late = feeds[:len(feeds) // 2], feeds[len(feeds) // 2:]

    # 1. Reference.
    ref_dir = os.path.join(work, "reference")
    write_config(os.path.join(work, "ref.toml"), ref_dir, ref_dir + ".sock", gen_dir, feeds)
    r = run([newsd, "--once", "--config", os.path.join(work, "ref.toml")])
    assert r.returncode == 0, f"reference run failed: {r.stderr}"
    expected = export_ids(newsctl, ref_dir)
    print(f"{len(feeds)} feeds, {len(expected)} items in the reference run")

    # 2. The service, archive on the tmpfs; the late feeds empty for now.
    feed_dir = os.path.join(work, "feeds")
    os.mkdir(feed_dir)
    for _, name in early:
        shutil.copy(os.path.join(gen_dir, name), os.path.join(feed_dir, name))
    for _, name in late:
        with open(os.path.join(feed_dir, name), "w", encoding="utf-8") as f:
            f.write(EMPTY_RSS)
    data_dir = os.path.join(mnt, "archive")
    socket = os.path.join(work, "admin.sock")
    config = os.path.join(work, "newsd.toml")
    write_config(config, data_dir, socket, feed_dir, feeds)
    log_path = os.path.join(work, "newsd.log")
    log = open(log_path, "w", encoding="utf-8")
    daemon = subprocess.Popen([newsd, "--config", config], stdout=log, stderr=log)
    try:
        early_feeds = {f for f, _ in early}
        early_ids = {i for i in expected if i.split(":")[0] in early_feeds}
        wait_for("the early feeds' items", lambda: early_ids <= export_ids_or_empty(
            newsctl, data_dir))
        print(f"early feeds ingested: {len(early_ids)} items; filling the disk")

        # 3. Disk full, then the late feeds publish.
        filler = os.path.join(mnt, "filler")
        fill(filler)
        for _, name in late:
            tmp = os.path.join(feed_dir, name + ".tmp")
            shutil.copy(os.path.join(gen_dir, name), tmp)
            os.replace(tmp, os.path.join(feed_dir, name))
        st = wait_for('"paused" in newsctl status', lambda: (
            s if (s := status(newsctl, socket)) and s.get("state") == "paused" else None))
        reason = st.get("state_reason", "")
        print(f"newsctl status: {st['state']}: {reason}")
        assert "full" in reason, f"the pause reason does not say the disk is full: {reason}"
        with open(log_path, encoding="utf-8") as f:
            logged = f.read()
        assert "ingest paused" in logged, "the log does not say ingest paused"
        # A failed commit names its feeds: their "fetched: ..., N new" lines came before it.
        # `feeds show` says so of each of them until a poll of it is stored.
        for line in logged.splitlines():
            if "commit of " in line and " failed" in line:
                m = re.search(r"commit of \d+ polls? failed \(feeds ([^),]+)[^)]*\): their "
                              r"items are not stored", line)
                assert m, f"a failed commit names no feeds: {line}"
                r = run([newsctl, "--socket", socket, "--json", "feeds", "show", m.group(1)])
                why = json.loads(r.stdout)["feed"]["state_reason"] if r.returncode == 0 else ""
                assert "but not stored" in why, f"feeds show {m.group(1)}: {r.stdout}{r.stderr}"
        r = run([newsctl, "--socket", socket, "--json", "feeds", "list"])
        for feed in json.loads(r.stdout)["feeds"]:
            assert "its turn on host" not in feed.get("state_reason", ""), \
                f"a feed waits for its host while ingest is paused: {feed}"
        time.sleep(2.5)  # two probes fail meanwhile
        still = status(newsctl, socket)
        assert still and still["state"] == "paused", f"resumed while the disk is full: {still}"
        kept = export_ids(newsctl, data_dir)
        assert early_ids <= kept, f"{len(early_ids - kept)} committed items lost while paused"

        # 4. Space returns: newsd resumes by itself.
        os.remove(filler)
        wait_for('"running" in newsctl status', lambda: (
            (s := status(newsctl, socket)) and s.get("state") == "running"))
        final = wait_for("every reference item", lambda: (
            ids if (ids := export_ids(newsctl, data_dir)) >= expected else None))
        with open(log_path, encoding="utf-8") as f:
            assert "ingest resumed" in f.read(), "the log does not say ingest resumed"
        assert final == expected, f"{len(final - expected)} unexpected items after resuming"
        print(f"resumed by itself: {len(final)} items, equal to the reference")
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        log.close()
    assert daemon.returncode == 0, f"newsd exited {daemon.returncode} on SIGTERM"
    print("OK")
    return 0


def export_ids_or_empty(newsctl, data_dir):
    try:
        return export_ids(newsctl, data_dir)
    except AssertionError:
        return set()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
