#!/usr/bin/python3
"""The peer figure for newsd's JSON Feed reader: the JSON Feed twins that newsd_parse_bench
--write_json=DIR wrote (one DIR/<file>.json per bench-feeds file) read in Python the way a
do-it-yourself pipeline would (feedparser 6.0.10, Debian's, reads no JSON Feed): json.loads
(the C decoder) and, per item, its id, link, title, text and date (datetime.fromisoformat).
Every file is read into memory once; best of --runs passes on one thread. Less work than
newsd's figure, which also derives each item's plain text from its HTML.

Prints one JSON object (bytes, items, best_seconds, mb_per_s, cpu_mb_per_s, and what
feedparser makes of one twin). Exits 1 when the item total differs from SUMMARY.json's.

Usage: /usr/bin/python3 bench/json_feed_python.py FEEDS_DIR JSON_DIR [--runs N]
"""
import argparse
import json
import os
import sys
import time
from datetime import datetime


def read_items(doc):
    items = []
    for item in json.loads(doc).get("items", []):
        date = item.get("date_published") or item.get("date_modified")
        items.append({
            "id": item.get("id"),
            "link": item.get("url") or item.get("external_url"),
            "title": item.get("title"),
            "text": item.get("content_html") or item.get("content_text") or item.get("summary"),
            "published": datetime.fromisoformat(date) if date else None,
        })
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("feeds", help="the bench-feeds corpus (its index.jsonl and SUMMARY.json)")
    ap.add_argument("json_dir", help="where newsd_parse_bench --write_json wrote the twins")
    ap.add_argument("--runs", type=int, default=3, help="timed passes; the best one counts")
    args = ap.parse_args()
    with open(os.path.join(args.feeds, "SUMMARY.json"), encoding="utf-8") as f:
        expected_items = json.load(f)["items"]
    docs = []
    with open(os.path.join(args.feeds, "index.jsonl"), encoding="utf-8") as f:
        for line in f:
            name = json.loads(line)["file"] + ".json"
            with open(os.path.join(args.json_dir, name), "rb") as doc:
                docs.append(doc.read())
    total_bytes = sum(len(d) for d in docs)
    times, cpu_times = [], []
    items = 0
    for _ in range(args.runs):
        items = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        for d in docs:
            items += len(read_items(d))
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    try:
        import feedparser
        fp = feedparser.parse(docs[0])
        feedparser_note = (f"feedparser {feedparser.__version__}: {len(fp.entries)} entries, "
                           f"bozo {bool(fp.bozo)}")
    except ImportError:
        feedparser_note = "feedparser not installed"
    best, best_cpu = min(times), min(cpu_times)
    print(json.dumps({
        "reader": "python3 json.loads + item fields",
        "bytes": total_bytes,
        "items": items,
        "best_seconds": round(best, 3),
        "mb_per_s": round(total_bytes / best / 1e6, 2),
        "cpu_mb_per_s": round(total_bytes / best_cpu / 1e6, 2),
        "feedparser_on_a_twin": feedparser_note,
    }))
    if items != expected_items:
        print(f"item total {items} differs from SUMMARY.json's {expected_items}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
