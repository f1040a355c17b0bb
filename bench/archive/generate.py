#!/usr/bin/env python3
"""Synthetic archive generator for the 1,000,000-story benchmark (issue 6).

    generate.py --out FILE.jsonl [--stories 1000000] [--copies 0.2] [--days 30] [--seed 1]

Writes `newsd import` lines {"id", "source", "title", "text", "published"}: `stories` distinct
stories of 50-90 pseudo-words (a fixed syllable table, so texts share vocabulary the way
news does), published uniformly over `days` days ending 2026-11-30T00:00:00Z, from 200
outlets; plus `copies` x stories copies of random earlier stories by another outlet, an hour
or less later, with an agency prefix and another headline (they join their story). Same seed,
same file.
"""
import argparse
import json
import random

END = 1_795_996_800  # 2026-11-30T00:00:00Z
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["an", "el", "ir", "os", "ur"]


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def iso(t):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--stories", type=int, default=1_000_000)
    ap.add_argument("--copies", type=float, default=0.2)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    start = END - a.days * 86400
    times = sorted(rng.randrange(start, END) for _ in range(a.stories))
    recent = []  # (time, title, text) of the last few thousand stories, for copies
    n_copy = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for i, t in enumerate(times):
            title = " ".join(word(rng) for _ in range(rng.randint(5, 9))).capitalize()
            text = " ".join(word(rng) for _ in range(rng.randint(50, 90))) + "."
            out.write(json.dumps({"id": f"s{i}", "source": f"outlet{rng.randrange(200)}",
                                  "title": title, "text": text, "published": iso(t)}) + "\n")
            recent.append((t, title, text))
            if len(recent) > 5000:
                recent.pop(0)
            while n_copy < a.copies * (i + 1):
                ct, ctitle, ctext = rng.choice(recent)
                out.write(json.dumps({
                    "id": f"c{n_copy}", "source": f"wire{rng.randrange(20)}",
                    "title": "Wire: " + ctitle, "text": "ALMATY (Wire) - " + ctext,
                    "published": iso(min(END - 1, max(t, ct + rng.randrange(3600))))}) + "\n")
                n_copy += 1


if __name__ == "__main__":
    main()
