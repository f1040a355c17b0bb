#!/usr/bin/env python3
"""An export whose output file fills its disk: whole lines, an exact resume cursor; a restore
that leaves less than newsd's min_free_mb free says so.

    export_disk_full_test.py --bin BUILD/bin [--keep]

Needs root (it mounts a 1 MiB tmpfs for the output; skipped, exit 77, otherwise).

1. `newsd import` stores 3,000 generated items (about 2 MiB of export) in an archive.
2. `newsctl --db ARCHIVE export > TMPFS/out.jsonl` fills the tmpfs: it must exit 1, say that
   the disk is full and which --cursor resumes, and leave a file of whole lines only, the last
   of which carries exactly that cursor.
3. The file is moved off the tmpfs and the export resumed with that cursor, appending (>>):
   the file then holds exactly the lines of a full export, none twice and none missing.
4. The archive's backup restored into a 64 MiB tmpfs: the restore works and says on stderr
   that newsd, which keeps [storage] min_free_mb (256 MiB) free, would store nothing there.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
ITEMS = 3000


def run(cmd, **kw):
    return subprocess.run(cmd, stderr=subprocess.PIPE, text=True, **kw)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def write_articles(path):
    """ITEMS articles with texts of random words (no two alike, so none is a copy)."""
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(5000)]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(ITEMS):
            text = " ".join(rng.choice(words) for _ in range(80))
            f.write(json.dumps({"id": f"item-{i}", "source": "Test", "title": f"Title {i}",
                                "text": text, "published": "2026-11-30T08:00:00Z"}) + "\n")


def export_to(newsctl, archive, path, *extra, mode="w"):
    with open(path, mode, encoding="utf-8") as out:
        return run([newsctl, "--db", archive, "export", *extra], stdout=out)


def scenario(newsd, newsctl, work, mnt):
    articles, archive = os.path.join(work, "in.jsonl"), os.path.join(work, "archive")
    write_articles(articles)
    r = run([newsd, "import", articles, "--db", archive], stdout=subprocess.DEVNULL)
    check(r.returncode == 0, f"import failed: {r.stderr}")
    full = os.path.join(work, "full.jsonl")
    check(export_to(newsctl, archive, full).returncode == 0, "the reference export failed")
    with open(full, encoding="utf-8") as f:
        expected = f.read().splitlines()
    check(len(expected) == ITEMS, f"the reference export has {len(expected)} lines")
    check(sum(len(line) + 1 for line in expected) > (3 << 20) // 2, "the export is too small")

    cut = os.path.join(mnt, "out.jsonl")
    r = export_to(newsctl, archive, cut)
    print(r.stderr.strip())
    check(r.returncode == 1, f"the export to a full disk exited {r.returncode}")
    check("the disk is full" in r.stderr, f"the message does not say the disk is full: {r.stderr}")
    m = re.search(r"--cursor (\S+)", r.stderr)
    check(m, f"the message gives no cursor to resume with: {r.stderr}")
    with open(cut, encoding="utf-8") as f:
        data = f.read()
    check(data.endswith("\n"), f"the output ends inside a line: ...{data[-60:]!r}")
    lines = data.splitlines()
    check(0 < len(lines) < ITEMS, f"{len(lines)} lines written")
    check(lines == expected[:len(lines)], "the lines written differ from the export's")
    check(json.loads(lines[-1])["cursor"] == m.group(1),
          f"resume cursor {m.group(1)} is not the last whole line's "
          f"({json.loads(lines[-1])['cursor']}, line {len(lines)})")

    resumed = os.path.join(work, "resumed.jsonl")
    shutil.move(cut, resumed)
    r = export_to(newsctl, archive, resumed, "--cursor", m.group(1), mode="a")
    check(r.returncode == 0, f"the resumed export failed: {r.stderr}")
    with open(resumed, encoding="utf-8") as f:
        got = f.read().splitlines()
    check(got == expected, f"resumed: {len(got)} lines, {len(set(got))} distinct; "
                           f"expected {len(expected)}")


def restore_scenario(newsctl, work, small):
    """A restore that leaves less than newsd's min_free_mb on the disk says so (on stderr)."""
    archive, backup = os.path.join(work, "archive"), os.path.join(work, "backup")
    r = run([newsctl, "--db", archive, "backup", backup], stdout=subprocess.PIPE)
    check(r.returncode == 0, f"the backup failed: {r.stderr}")
    r = run([newsctl, "--db", os.path.join(small, "data"), "restore", backup],
            stdout=subprocess.PIPE)
    print(r.stderr.strip())
    check(r.returncode == 0, f"the restore failed: {r.stderr}")
    check("min_free_mb" in r.stderr and "before starting newsd" in r.stderr,
          f"the restore does not say newsd would store nothing there: {r.stderr}")


def mounted(mnt, size):
    r = run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mnt], stdout=subprocess.PIPE)
    if r.returncode != 0:
        print(f"SKIP: cannot mount a tmpfs: {r.stderr.strip()}")
    return r.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    newsd, newsctl = os.path.join(args.bin, "newsd"), os.path.join(args.bin, "newsctl")
    if os.geteuid() != 0:
        print("SKIP: needs root to mount a tmpfs for the export's output")
        return SKIP
    work = tempfile.mkdtemp(prefix="newsd-export-full-")
    mnt, small = os.path.join(work, "mnt"), os.path.join(work, "small")
    os.mkdir(mnt)
    os.mkdir(small)
    if not mounted(mnt, "1m"):
        shutil.rmtree(work, ignore_errors=True)
        return SKIP
    try:
        scenario(newsd, newsctl, work, mnt)
        if mounted(small, "64m"):
            try:
                restore_scenario(newsctl, work, small)
            finally:
                run(["umount", "-l", small], stdout=subprocess.PIPE)
    finally:
        run(["umount", "-l", mnt], stdout=subprocess.PIPE)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
