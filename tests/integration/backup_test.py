#!/usr/bin/env python3
"""Backup and restore (issue 6), with the real binaries on the bundled demo feeds.

    backup_test.py --bin BUILD/bin --feeds DEMO_FEEDS_DIR

1. newsd runs as a service; `newsctl backup DIR` asks it for a backup while it runs.
2. A second backup into the same DIR is refused; `--db` is refused while the daemon runs.
3. newsd stops; the archive is lost (moved away); `newsctl --db NEW restore DIR` brings it
   back: the restored archive exports exactly the items of the backup, and newsd starts on it
   and finds nothing new (every item is already seen).
4. Restoring into a non-empty directory, from a directory that is not a backup, from a live
   archive or from a damaged backup (a table file missing or changed), and a backup over an
   existing DIR.tmp, fail with a message and change nothing; `newsctl --db DATA backup` works
   with the daemon stopped.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def export(newsctl, data_dir):
    r = run([newsctl, "--db", data_dir, "export"])
    check(r.returncode == 0, f"export of {data_dir} failed: {r.stderr}")
    return sorted(r.stdout.splitlines())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--feeds", required=True)
    args = ap.parse_args()
    newsd, newsctl = os.path.join(args.bin, "newsd"), os.path.join(args.bin, "newsctl")
    os.environ.update(no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")
    work = tempfile.mkdtemp(prefix="newsd-backup-")
    try:
        scenario(newsd, newsctl, os.path.abspath(args.feeds), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("OK")
    return 0


def write_config(path, data_dir, socket, feeds_dir):
    lines = ["[daemon]", f'data_dir = "{data_dir}"', f'admin_socket = "{socket}"',
             "[politeness]", 'startup_jitter = "0s"']
    for name in sorted(os.listdir(feeds_dir)):
        if name.endswith(".xml"):
            lines += ["[[feed]]", f'id = "{name[:-4]}"', f'url = "file://{feeds_dir}/{name}"']
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def scenario(newsd, newsctl, feeds, work):
    data_dir = os.path.join(work, "data")
    socket = os.path.join(work, "admin.sock")
    config = os.path.join(work, "newsd.toml")
    write_config(config, data_dir, socket, feeds)

    # 1. A backup from the running daemon.
    daemon = subprocess.Popen([newsd, "--config", config], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            r = run([newsctl, "--socket", socket, "--json", "feeds", "list"])
            if r.returncode == 0 and all(f["fetches"] > 0 for f in json.loads(r.stdout)["feeds"]):
                break
            check(time.monotonic() < deadline, "the daemon did not poll every feed in 60 s")
            time.sleep(0.2)
        backup = os.path.join(work, "backups", "first")
        os.makedirs(os.path.dirname(backup))
        r = run([newsctl, "--socket", socket, "backup", backup])
        check(r.returncode == 0, f"backup from the daemon failed: {r.stderr}")
        check("backup written to " + backup in r.stdout, f"unexpected output: {r.stdout}")
        check(os.path.exists(os.path.join(backup, "CURRENT")), "the backup has no CURRENT")

        # 2. Refusals.
        r = run([newsctl, "--socket", socket, "backup", backup])
        check(r.returncode == 1 and "exists" in r.stderr, f"second backup: {r.stderr}")
        missing = os.path.join(work, "no-such-dir", "b")
        r = run([newsctl, "--socket", socket, "backup", missing])
        check(r.returncode == 1 and "check that " + os.path.join(work, "no-such-dir") in r.stderr
              and data_dir not in r.stderr,
              f"backup under a missing directory must name it, not the archive: {r.stderr}")
        r = run([newsctl, "--db", data_dir, "backup", os.path.join(work, "other")])
        check(r.returncode == 1 and "leave out --db" in r.stderr,
              f"--db backup while the daemon runs: {r.returncode} {r.stderr}")
        # The live archive is no backup: its files change while they would be copied.
        r = run([newsctl, "--db", os.path.join(work, "copy"), "restore", data_dir])
        check(r.returncode == 1 and "running newsd" in r.stderr,
              f"restore from a live archive: {r.returncode} {r.stderr}")
        # DIR.tmp is where the backup is built: somebody else's is never emptied.
        staging = os.path.join(work, "backups", "second.tmp")
        os.makedirs(staging)
        with open(os.path.join(staging, "notes.txt"), "w") as f:
            f.write("keep me")
        r = run([newsctl, "--socket", socket, "backup", os.path.join(work, "backups", "second")])
        check(r.returncode == 1 and "second.tmp' exists" in r.stderr,
              f"backup over an existing DIR.tmp: {r.returncode} {r.stderr}")
        check(os.path.exists(os.path.join(staging, "notes.txt")), "DIR.tmp was emptied")
        for spelling in ("second/", "second/.", "second//"):  # the same directory
            r = run([newsctl, "--socket", socket, "backup",
                     os.path.join(work, "backups", spelling)])
            check(r.returncode == 1 and "second.tmp' exists" in r.stderr,
                  f"backup to {spelling} over an existing DIR.tmp: {r.returncode} {r.stderr}")
            check(os.path.exists(os.path.join(staging, "notes.txt")),
                  f"DIR.tmp was emptied by a backup to {spelling}")
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
    check(daemon.returncode == 0, f"newsd exited {daemon.returncode}")
    items = export(newsctl, data_dir)
    check(len(items) > 0, "nothing was ingested")

    # 3. Lose the archive, restore the backup.
    shutil.move(data_dir, os.path.join(work, "lost"))
    r = run([newsctl, "--db", data_dir, "restore", backup])
    check(r.returncode == 0, f"restore failed: {r.stderr}")
    check(export(newsctl, data_dir) == items, "the restored archive differs from the backup")
    r = run([newsd, "--once", "--config", config])
    check(r.returncode == 0, f"newsd on the restored archive: {r.stderr}")
    check("new_items=0" in r.stderr, f"items ingested again after the restore: {r.stderr[-300:]}")

    # 4. More refusals, and a backup with the daemon stopped.
    r = run([newsctl, "--db", data_dir, "restore", backup])
    check(r.returncode == 1 and "not empty" in r.stderr, f"restore over an archive: {r.stderr}")
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    r = run([newsctl, "--db", os.path.join(work, "fresh"), "restore", empty])
    check(r.returncode == 4 and "no archive" in r.stderr, f"restore of a non-backup: {r.stderr}")
    check(not os.path.exists(os.path.join(work, "fresh")), "a failed restore left a directory")
    # A damaged backup (a table file missing, or one byte changed) is refused before anything
    # is copied, not found out when newsd starts on it.
    # (An import flushes its tables at the end; the demo archive's backup is all log.)
    articles = os.path.join(work, "articles.jsonl")
    with open(articles, "w") as f:
        for i in range(300):
            words = " ".join(f"w{(i * 7 + k * 13) % 997}" for k in range(60))
            f.write(json.dumps({"id": f"a{i}", "source": "s", "title": f"Story {i}",
                                "text": f"Story {i} says {words}."}) + "\n")
    imported = os.path.join(work, "imported")
    r = run([newsd, "import", articles, "--db", imported])
    check(r.returncode == 0, f"import failed: {r.stderr}")
    tabled = os.path.join(work, "backups", "tabled")
    r = run([newsctl, "--db", imported, "backup", tabled])
    check(r.returncode == 0, f"backup of the imported archive failed: {r.stderr}")
    tables = sorted((os.path.getsize(os.path.join(tabled, n)), n) for n in os.listdir(tabled)
                    if n.endswith(".sst"))
    check(tables, f"the backup has no table files: {os.listdir(tabled)}")
    for damage in ("missing", "flipped"):
        broken = os.path.join(work, "broken-" + damage)
        shutil.copytree(tabled, broken)
        victim = os.path.join(broken, tables[-1][1])
        if damage == "missing":
            os.remove(victim)
        else:
            with open(victim, "r+b") as f:
                f.seek(tables[-1][0] // 2)
                byte = f.read(1)
                f.seek(-1, os.SEEK_CUR)
                f.write(bytes([byte[0] ^ 0xFF]))
        target = os.path.join(work, "restored-" + damage)
        r = run([newsctl, "--db", target, "restore", broken])
        check(r.returncode == 1 and "is damaged" in r.stderr,
              f"restore of a backup with a table {damage}: {r.returncode} {r.stderr}")
        check(not os.path.exists(target) or not os.listdir(target),
              f"a refused restore ({damage}) copied files")
    offline = os.path.join(work, "backups", "offline")
    r = run([newsctl, "--db", data_dir, "backup", offline])
    check(r.returncode == 0, f"backup with --db failed: {r.stderr}")
    check("warning" not in r.stderr, f"a good backup printed warnings: {r.stderr}")
    check(export(newsctl, offline) == items, "the offline backup differs")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
