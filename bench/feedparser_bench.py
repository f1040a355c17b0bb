#!/usr/bin/python3
"""Times Debian's python3-feedparser on the bench-feeds corpus, the peer figure for
newsd_parse_bench: every file listed in DIR/index.jsonl is read into memory once, then
feedparser.parse(bytes) runs over all of them on one thread, best of --runs passes.

Prints one JSON object (bytes, items, best_seconds, mb_per_s, and the same from process CPU
time, which is steadier on a shared machine). Exits 1 when the parsed
item total differs from SUMMARY.json's "items".

Usage: /usr/bin/python3 bench/feedparser_bench.py DIR [--runs N]
"""
import argparse
import json
import os
import sys
import time

import feedparser


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", help="corpus written by generate.py --out DIR")
    ap.add_argument("--runs", type=int, default=3, help="timed passes; the best one counts")
    args = ap.parse_args()

    with open(os.path.join(args.dir, "SUMMARY.json"), encoding="utf-8") as f:
        expected_items = json.load(f)["items"]
    docs = []
    with open(os.path.join(args.dir, "index.jsonl"), encoding="utf-8") as f:
        for line in f:
            name = json.loads(line)["file"]
            with open(os.path.join(args.dir, name), "rb") as doc:
                docs.append(doc.read())
    total_bytes = sum(len(d) for d in docs)

    times, cpu_times = [], []
    items = 0
    for _ in range(args.runs):
        items = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        for d in docs:
            items += len(feedparser.parse(d).entries)
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        if items != expected_items:
            break

    best, best_cpu = min(times), min(cpu_times)
    result = {
        "parser": "feedparser " + feedparser.__version__,
        "files": len(docs),
        "bytes": total_bytes,
        "items": items,
        "expected_items": expected_items,
        "runs_seconds": [round(t, 3) for t in times],
        "best_seconds": round(best, 3),
        "mb_per_s": round(total_bytes / best / 1e6, 2),
        "runs_cpu_seconds": [round(t, 3) for t in cpu_times],
        "cpu_mb_per_s": round(total_bytes / best_cpu / 1e6, 2),
        "items_per_s": round(items / best, 1),
    }
    print(json.dumps(result))
    if items != expected_items:
        print(f"feedparser_bench: FAILED: parsed {items} items, SUMMARY.json says "
              f"{expected_items}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
