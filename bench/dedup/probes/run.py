#!/usr/bin/env python3
"""Near-duplicate probes for newsd: hard cases the dev corpus has few of (see README.md).
Builds one JSONL per probe set, imports each into a fresh archive, exports the story ids, and
counts pairwise errors against the gold labels.

  bench/dedup/probes/run.py [BUILD_DIR]           # all sets (default BUILD_DIR: build)
  bench/dedup/probes/run.py BUILD --combined      # also all sets in ONE archive
  bench/dedup/probes/run.py BUILD --only c3_      # sets whose name starts with a prefix
  bench/dedup/probes/run.py BUILD -v              # print `dupes explain` of every wrong pair
  bench/dedup/probes/run.py BUILD --out DIR       # keep data/, db/, explain/, results.json

Writes into a temporary directory (removed at the end) unless --out is given.
"""
import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys

import tempfile

SETS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SETS_DIR)
HERE = ""  # the output directory, set in main()
NEWSD = NEWSCTL = ""

import sets_c1, sets_c2, sets_c3, sets_c4, sets_c5, sets_c6, sets_c7  # noqa: E402

CLASSES = {
    "c1": ("shared background paragraph (must stay apart)", sets_c1.SETS),
    "c2": ("template siblings, places/names differ (apart; copies join)", sets_c2.SETS),
    "c3": ("numbers as words vs digits (should join)", sets_c3.SETS),
    "c4": ("light rewrites: reorder / drop / quote added (should join)", sets_c4.SETS),
    "c5": ("developing-story updates (gold: join)", sets_c5.SETS),
    "c6": ("a new outlet's first items share its unlearned footer (apart; copies join)",
           sets_c6.SETS),
    "c7": ("headline-only items with long headlines (join their story)", sets_c7.SETS),
}


def items_of(set_name, items):
    out = []
    for lid, gold, source, title, text, ts in items:
        iid = f"{set_name}.{lid}"
        out.append({"id": iid, "source": source, "url": f"https://{source}.example/{iid}",
                    "title": title, "text": text, "published": ts, "_gold": f"{set_name}/{gold}"})
    return out


def write_jsonl(path, items):
    with open(path, "w", encoding="utf-8") as f:
        for it in sorted(items, key=lambda x: x["published"]):
            f.write(json.dumps({k: v for k, v in it.items() if not k.startswith("_")},
                               ensure_ascii=False) + "\n")


def import_export(jsonl, db):
    shutil.rmtree(db, ignore_errors=True)
    r = subprocess.run([NEWSD, "import", jsonl, "--db", db], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"import failed: {r.stderr}")
    r = subprocess.run([NEWSCTL, "--db", db, "export", "--format", "jsonl"], capture_output=True,
                       text=True, check=True)
    return {json.loads(l)["id"]: json.loads(l)["story"] for l in r.stdout.splitlines() if l.strip()}


def explain(db, a, b):
    r = subprocess.run([NEWSCTL, "--db", db, "dupes", "explain", a, b], capture_output=True,
                       text=True)
    return r.stdout + r.stderr


def verdict_line(text):
    for line in text.splitlines():
        if line.strip().startswith("verdict"):
            return line.strip()[len("verdict"):].strip()
    return "?"


def main():
    global HERE, NEWSD, NEWSCTL
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--out", default="")
    ap.add_argument("--only", default="")
    ap.add_argument("--combined", action="store_true")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    NEWSD = os.path.join(args.build, "bin", "newsd")
    NEWSCTL = os.path.join(args.build, "bin", "newsctl")
    for binary in (NEWSD, NEWSCTL):
        if not os.access(binary, os.X_OK):
            sys.exit(f"no {binary}: build newsd and newsctl first (cmake --build BUILD_DIR)")
    temporary = None
    if args.out:
        HERE = os.path.abspath(args.out)
    else:
        temporary = tempfile.TemporaryDirectory(prefix="newsd-probes-")
        HERE = temporary.name
    for d in ("data", "db", "explain"):
        os.makedirs(os.path.join(HERE, d), exist_ok=True)

    results = {}
    totals = {}
    all_items = []
    for cls, (desc, sets) in CLASSES.items():
        t = totals.setdefault(cls, {"desc": desc, "sets": 0, "pairs": 0, "gold_same": 0,
                                    "gold_diff": 0, "FP": 0, "FN": 0, "errors": []})
        for name, raw in sets.items():
            if not name.startswith(args.only):
                continue
            items = items_of(name, raw)
            # combined archive: each set moved to its own week, so sets never share a window
            # (only per-source boilerplate counters carry over between sets)
            for it in items:
                d = dt.datetime.strptime(it["published"], "%Y-%m-%dT%H:%M:%SZ")
                all_items.append(dict(it, published=(d + dt.timedelta(days=7 * len(results)))
                                      .strftime("%Y-%m-%dT%H:%M:%SZ")))
            jsonl = os.path.join(HERE, "data", name + ".jsonl")
            db = os.path.join(HERE, "db", name)
            write_jsonl(jsonl, items)
            story = import_export(jsonl, db)
            t["sets"] += 1
            set_res = []
            for x, y in itertools.combinations(items, 2):
                a, b = x["id"], y["id"]
                gold_same = x["_gold"] == y["_gold"]
                pred_same = story[a] == story[b]
                ex = explain(db, a, b)
                with open(os.path.join(HERE, "explain", f"{a}__{b}.txt"), "w") as f:
                    f.write(ex)
                t["pairs"] += 1
                t["gold_same" if gold_same else "gold_diff"] += 1
                kind = None
                if pred_same and not gold_same:
                    kind = "FP"
                elif gold_same and not pred_same:
                    kind = "FN"
                if kind:
                    t[kind] += 1
                    t["errors"].append((kind, a, b))
                set_res.append({"a": a, "b": b, "gold_same": gold_same, "pred_same": pred_same,
                                "error": kind, "verdict": verdict_line(ex)})
                mark = kind or "ok"
                print(f"{mark:3} {a:40} {b:40} gold={'same' if gold_same else 'diff'} "
                      f"pred={'same' if pred_same else 'diff'} | {verdict_line(ex)[:150]}")
                if kind and args.v:
                    print(ex)
            results[name] = set_res

    print("\n== summary (one fresh archive per set) ==")
    print(f"{'class':5} {'sets':>4} {'pairs':>5} {'gold+':>5} {'gold-':>5} {'FP':>3} {'FN':>3}  what")
    for cls, t in totals.items():
        if t["sets"]:
            print(f"{cls:5} {t['sets']:4} {t['pairs']:5} {t['gold_same']:5} {t['gold_diff']:5} "
                  f"{t['FP']:3} {t['FN']:3}  {t['desc']}")

    if args.combined:
        jsonl = os.path.join(HERE, "data", "_combined.jsonl")
        db = os.path.join(HERE, "db", "_combined")
        write_jsonl(jsonl, all_items)
        story = import_export(jsonl, db)
        gold = {it["id"]: it["_gold"] for it in all_items}
        fp = fn = cross = 0
        for a, b in itertools.combinations(sorted(gold), 2):
            g, p = gold[a] == gold[b], story[a] == story[b]
            if p and not g:
                fp += 1
                if a.split(".")[0] != b.split(".")[0]:
                    cross += 1
                    print(f"combined cross-set FP: {a} {b}")
            if g and not p:
                fn += 1
        print(f"combined archive: {len(gold)} items, FP {fp} (cross-set {cross}), FN {fn}")
        results["_combined"] = {"FP": fp, "FN": fn, "cross_set_FP": cross}

    with open(os.path.join(HERE, "results.json"), "w") as f:
        json.dump({"totals": totals, "sets": results}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
