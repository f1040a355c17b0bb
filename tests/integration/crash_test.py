#!/usr/bin/env python3
"""Crash test (issue 6): kill -9 newsd at random moments while it ingests, restart, repeat.

    crash_test.py --bin BUILD/bin [--rounds 20] [--seed N] [--keep]

Feeds come from the shared bench-feeds generator ($NEWSD_SHARED/corpus/bench-feeds/generate.py;
without it the test is skipped, exit 77), plus "wire" feeds written here that republish items
of those feeds under another headline with an agency prefix, so that stories gather copies.
All are read through file:// URLs with the default sync policy.

1. Reference: one uninterrupted `newsd --once` over every feed; its export is the expected
   archive (item ids, the feed of each, and how items group into stories).
2. Rounds: round r configures the first (r+1)/rounds of the feeds (so every round has new
   items to ingest), starts `newsd --once` on the shared archive and kills it with SIGKILL
   after a random delay within the time the run should take (estimated from the last round
   that finished before its kill, at first from the reference run). After every round the
   archive is opened read-only (`newsctl --db`) and checked: it opens; no item id is stored
   twice; every feed whose state is committed with a successful fetch has all its items; every
   stored item's feed has a committed state (items and state share one write batch).
3. Final: `newsd --once` without a kill; the archive must equal the reference: the same item
   ids, grouped into the same stories (story ids may differ: a story is named after whichever
   copy came first, and the arrival order differs).

Exit 0 when every check holds, 1 with the failed checks listed, 77 when the corpus is missing.
"""
import argparse
import collections
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

SKIP = 77


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def generate_feeds(shared, out, count, seed):
    generator = os.path.join(shared, "corpus", "bench-feeds", "generate.py")
    r = run([sys.executable, generator, "--out", out, "--n", str(count), "--seed", str(seed),
             "--max-items", "30"])
    if r.returncode != 0:
        sys.exit("generate.py failed:\n" + r.stderr)
    return sorted(f for f in os.listdir(out) if f.endswith(".xml"))


CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def rss_items(path):
    """(title, text, pubDate) of the items of a UTF-8 RSS 2.0 file: the text newsd reads (the
    full content when there is one, else the description), if it is long enough to match on.
    The copy keeps the date: copies are matched within a time window."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return []
    out = []
    for item in root.iter("item"):
        title = item.findtext("title") or ""
        text = item.findtext(CONTENT) or item.findtext("description") or ""
        published = item.findtext("pubDate")
        if len(text.split()) >= 40 and published:
            out.append((title, text, published))
    return out


def write_wire_feeds(feed_dir, files, count, rng):
    """Feeds republishing items of the generated UTF-8 RSS 2.0 feeds, with an agency prefix."""
    sources = []
    for name in files:
        if name.endswith("-rss20.xml"):
            sources += rss_items(os.path.join(feed_dir, name))
    rng.shuffle(sources)
    names = []
    per_feed = 8
    for w in range(count):
        chunk = sources[w * per_feed:(w + 1) * per_feed]
        if not chunk:
            break
        channel = ET.Element("channel")
        ET.SubElement(channel, "title").text = f"Wire {w}"
        ET.SubElement(channel, "link").text = f"https://wire{w}.example/"
        for i, (title, text, published) in enumerate(chunk):
            item = ET.SubElement(channel, "item")
            ET.SubElement(item, "title").text = "Wire: " + " ".join(title.split()[::-1])
            ET.SubElement(item, "link").text = f"https://wire{w}.example/story/{i}"
            ET.SubElement(item, "guid").text = f"wire-{w}-{i}"
            ET.SubElement(item, "description").text = "ALMATY (Wire) - " + text
            ET.SubElement(item, "pubDate").text = published
        rss = ET.Element("rss", version="2.0")
        rss.append(channel)
        name = f"wire-{w:03d}.xml"
        ET.ElementTree(rss).write(os.path.join(feed_dir, name), encoding="utf-8",
                                  xml_declaration=True)
        names.append(name)
    return names


def write_config(path, data_dir, feed_dir, feeds):
    lines = [
        "[daemon]", f'data_dir = "{data_dir}"', f'admin_socket = "{data_dir}.sock"',
        'log_level = "warn"', "[politeness]", 'min_interval = "0s"', 'startup_jitter = "0s"',
        # The generated items are dated over a whole year, in no order, and the dedup index
        # forgets items 2 windows older than the newest it has seen: with the usual window,
        # whether a copy finds its original would depend on the order feeds arrive in. One
        # window over every date makes the grouping a function of the items alone.
        "[dedup]", 'window = "2000d"',
    ]
    for feed_id, name in feeds:
        lines += ["[[feed]]", f'id = "{feed_id}"', f'url = "file://{feed_dir}/{name}"',
                  'interval = "0s"']
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


class Archive:
    """What `newsctl --db` reads from a data_dir."""

    def __init__(self, newsctl, data_dir):
        exp = run([newsctl, "--db", data_dir, "export"])
        if exp.returncode != 0:
            raise RuntimeError(f"export failed ({exp.returncode}): {exp.stderr.strip()}")
        self.items = [json.loads(line) for line in exp.stdout.splitlines() if line.strip()]
        feeds = run([newsctl, "--db", data_dir, "--json", "feeds", "list"])
        if feeds.returncode != 0:
            raise RuntimeError(f"feeds list failed ({feeds.returncode}): {feeds.stderr.strip()}")
        self.feeds = {f["id"]: f for f in json.loads(feeds.stdout)["feeds"]}

    def partition(self):
        stories = collections.defaultdict(list)
        for item in self.items:
            stories[item["story"]].append(item["id"])
        return sorted(tuple(sorted(ids)) for ids in stories.values())


def check_consistent(archive, expected_by_feed):
    """The invariants that must hold after any crash. Returns a list of problems."""
    problems = []
    ids = [item["id"] for item in archive.items]
    repeated = [i for i, n in collections.Counter(ids).items() if n > 1]
    if repeated:
        problems.append(f"{len(repeated)} item ids stored twice, e.g. {repeated[0]}")
    stored = set(ids)
    for feed_id, feed in archive.feeds.items():
        if feed["fetches"] > 0 and feed["last_http_status"] == 200:
            missing = expected_by_feed.get(feed_id, set()) - stored
            if missing:
                problems.append(f"feed {feed_id} committed but {len(missing)} of its items "
                                f"are missing, e.g. {sorted(missing)[0]}")
    committed = {f for f, s in archive.feeds.items() if s["fetches"] > 0}
    orphans = [item["id"] for item in archive.items if item["feed"] not in committed]
    if orphans:
        problems.append(f"{len(orphans)} items stored without their feed's state, "
                        f"e.g. {orphans[0]}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="directory with newsd and newsctl")
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("CRASH_ROUNDS", "20")))
    ap.add_argument("--seed", type=int, default=None, help="random seed (default: from time)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    shared = os.environ.get("NEWSD_SHARED") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    if not os.path.exists(os.path.join(shared, "corpus", "bench-feeds", "generate.py")):
        print(f"SKIP: no bench-feeds generator under {shared} (set NEWSD_SHARED)")
        return SKIP
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    newsd = os.path.join(args.bin, "newsd")
    newsctl = os.path.join(args.bin, "newsctl")
    os.environ.update(no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")

    work = tempfile.mkdtemp(prefix="newsd-crash-")
    try:
        return crash_rounds(args, seed, rng, shared, newsd, newsctl, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def crash_rounds(args, seed, rng, shared, newsd, newsctl, work):
    feed_dir = os.path.join(work, "feeds")
    files = generate_feeds(shared, feed_dir, 6 * args.rounds + 12, seed)
    files += write_wire_feeds(feed_dir, files, max(2, args.rounds // 3), rng)
    rng.shuffle(files)
    feeds = [(f"f{i:04d}", name) for i, name in enumerate(files)]

    # 1. The reference run.
    ref_dir = os.path.join(work, "reference")
    write_config(os.path.join(work, "all.toml"), ref_dir, feed_dir, feeds)
    began = time.monotonic()
    r = run([newsd, "--once", "--config", os.path.join(work, "all.toml")])
    ref_seconds = time.monotonic() - began
    if r.returncode != 0:
        print(f"FAIL: the reference run exited {r.returncode}:\n{r.stderr}")
        return 1
    reference = Archive(newsctl, ref_dir)
    expected_by_feed = collections.defaultdict(set)
    for item in reference.items:
        expected_by_feed[item["feed"]].add(item["id"])
    copies = sum(len(s) - 1 for s in reference.partition())
    print(f"seed {seed}: {len(feeds)} feeds, {len(reference.items)} items "
          f"({copies} joined another item's story), reference run {ref_seconds:.2f} s")

    # 2. Rounds killed at random moments.
    data_dir = os.path.join(work, "archive")
    problems = []
    killed = 0
    ever_committed = False
    startup = 0.2  # seconds before a first commit: process start, archive open
    # How long a run takes per configured feed: from the reference run at first, then from the
    # last round that finished before its kill (a round re-polls the committed feeds and
    # ingests the rest, so its time grows with the feeds configured).
    per_feed = (startup + ref_seconds) / len(feeds)
    for rnd in range(args.rounds):
        upto = len(feeds) * (rnd + 1) // args.rounds
        config = os.path.join(work, f"round{rnd}.toml")
        write_config(config, data_dir, feed_dir, feeds[:upto])
        # Kill anywhere within the time the run should take (its close included).
        delay = rng.uniform(0.0, per_feed * upto)
        began = time.monotonic()
        proc = subprocess.Popen([newsd, "--once", "--config", config],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
            outcome = f"killed after {delay * 1000:.0f} ms"
            proc.wait()
        else:
            proc.wait()
            per_feed = (time.monotonic() - began) / upto
            outcome = f"finished before the kill ({delay * 1000:.0f} ms), exit {proc.returncode}"
            if proc.returncode != 0:
                problems.append(f"round {rnd}: newsd exited {proc.returncode}: "
                                f"{proc.stderr.read().strip()[-500:]}")
        proc.stderr.close()
        try:
            state = Archive(newsctl, data_dir)
        except RuntimeError as e:
            # Killed while the archive was first being created: newsd completes it at its next
            # start, and nothing can have been committed yet.
            if not ever_committed and ("no archive at" in str(e) or "creation" in str(e)):
                print(f"round {rnd:3d}: {outcome}; archive not created yet ({e})")
                continue
            problems.append(f"round {rnd}: the archive does not open: {e}")
            print(f"round {rnd:3d}: {outcome}; archive unreadable: {e}")
            break
        found = check_consistent(state, expected_by_feed)
        problems += [f"round {rnd}: {p}" for p in found]
        committed = sum(1 for f in state.feeds.values() if f["fetches"] > 0)
        ever_committed = ever_committed or committed > 0
        print(f"round {rnd:3d}: {outcome}; {len(state.items)} items, {committed} of {upto} "
              f"feeds committed{'; ' + '; '.join(found) if found else ''}")

    # 3. One uninterrupted run: the archive must equal the reference.
    final_config = os.path.join(work, "final.toml")
    write_config(final_config, data_dir, feed_dir, feeds)
    r = run([newsd, "--once", "--config", final_config])
    if r.returncode != 0:
        problems.append(f"final run exited {r.returncode}: {r.stderr.strip()[-500:]}")
    else:
        final = Archive(newsctl, data_dir)
        problems += [f"final: {p}" for p in check_consistent(final, expected_by_feed)]
        got, want = {i["id"] for i in final.items}, {i["id"] for i in reference.items}
        if got != want:
            problems.append(f"final: {len(want - got)} items missing, {len(got - want)} "
                            f"unexpected (against the uninterrupted run)")
        elif final.partition() != reference.partition():
            problems.append("final: the same items, grouped into other stories than in the "
                            "uninterrupted run")
        print(f"final: {len(final.items)} items in {len(final.partition())} stories; "
              f"reference {len(reference.items)} in {len(reference.partition())}")

    print(f"{killed} of {args.rounds} rounds were killed mid-run")
    if killed < args.rounds // 2:
        problems.append(f"only {killed} of {args.rounds} rounds were killed mid-run: the "
                        "test did not exercise crashes enough")
    if problems:
        print("FAIL (seed %d, rerun with --seed %d):" % (seed, seed))
        for p in problems:
            print("  " + p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
