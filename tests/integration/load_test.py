#!/usr/bin/env python3
"""Load test (issue 8): 10,000 feeds on loopback for a time-compressed day.

    load_test.py --bin BUILD/bin [--feeds 10000] [--hosts 253] [--scale 120] [--hours 24]
                 [--hold-ms 20] [--lag-ms 150] [--seed 1] [--report FILE] [--keep]

One asyncio server (this process) listens on 127.0.0.2 .. 127.0.0.(1+hosts), one port, and
serves feed k at http://127.0.0.(2 + k % hosts):PORT/f/k.xml, like a strict publisher: ETag
and Last-Modified on every answer, 304 only when If-None-Match (or, without it,
If-Modified-Since) equals what it sent. Every answer is held `--hold-ms` (real) before it is
sent, so that requests a client runs at once to one host overlap here and can be counted.

newsd runs as a service with `--time-scale SCALE` (its clock, its schedule and its floors run
SCALE times faster than real time; network timeouts stay real) and the production politeness
defaults: host_inflight = 2, min_interval = 15m, [fetch] max_connections = 64. Three settings
differ from the defaults, each for a stated reason: host_spacing = "20s" (the default 1 s of
newsd's clock is 8 real milliseconds at 120x, less than the real time a request may take from
newsd's decision to this server: a few event-loop turns to connect and send, and the loop's
rare stalls, up to about 130 ms, e.g. when the dedup index drops a bucket of 45,000 items at
once; magnified by the scale, see --lag-ms); startup_jitter = "0s" (every feed is due at the start: the burst is the
hardest case for the host limits); [dedup] window = "2h" (the index holds two windows of
items, so it reaches its steady size within the day). allow_private = true lets newsd fetch
from loopback.

Over the day the feeds behave like a real population: most never change, a fifth publish an
item every 1-6 hours, some send Cache-Control: max-age=60 (asking for more than the floor
allows), some fail with 500 every third request, a few answer 410 from an eighth of the day
on, and one host (127.0.0.3) answers 429 with Retry-After: 3600 once after a quarter of it. Intervals are 15m, 30m, 60m, 2h, and 5m
(below the floor: the floor wins).

Checked, on the server's own record of every request and on /proc samples of newsd:
  - no feed is requested twice within the floor (15 min of newsd's clock, less a tolerance
    for this server's timing), nor within its interval after a good answer;
  - no host ever has more than host_inflight requests in flight; no two requests to one host
    arrive closer than host_spacing less --lag-ms (and newsd's own politeness report, from
    its decisions, has no gap under host_spacing, no feed polled within the floor and no
    Retry-After violation); the throttled host gets nothing until its Retry-After ends;
  - a feed that answered 410 is not requested again; every feed is polled about as often as
    its interval says (no starvation);
  - every request after a feed's first good answer is conditional, with the validators sent;
  - newsd's resident memory and open file descriptors do not grow over the day: the peak of
    the second half stays within a margin of the peak of the first half (after the start-up
    burst), and descriptors stay under a bound;
  - newsd exits 0 on SIGTERM, and every item the server published before a feed's last good
    poll is in the archive (`newsctl --db ... export`).
Exit 0 when every check holds, 1 with the failures listed.
"""
import argparse
import asyncio
import collections
import email.utils
import json
import os
import random
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

FLOOR = 15 * 60
SPACING = 20
INFLIGHT = 2
RETRY_AFTER = 3600
MAX_CONNECTIONS = 64
RSS_BOUND_MIB = 384
MIB = 1 << 20
WORDS = ("market government minister agency report week city region company bank energy "
         "price oil gas court police election council budget school hospital road water "
         "project plan law export import wheat grain rail port airport summit talks visit "
         "delegation forum investment growth inflation rate currency tenge rouble dollar").split()


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


class Feed:
    """One feed's fixed traits and the server's record of it."""

    def __init__(self, k, hosts, rng):
        self.k = k
        self.host = "127.0.0.%d" % (2 + k % hosts)
        self.path = "/f/%d.xml" % k
        self.interval = rng.choice([15, 30, 60, 60, 60, 120, 5]) * 60
        self.period = rng.uniform(3600, 6 * 3600) if rng.random() < 0.2 else 0
        self.phase = rng.uniform(0, self.period)
        self.max_age = rng.random() < 0.02
        self.flaky = rng.random() < 0.01
        self.gone = rng.random() < 0.002  # answers 410 from an eighth of the day on
        self.requests = []  # (arrival scaled s, status, conditional, validators matched)
        self.served = set()  # numbers of the items sent in 200 answers
        self.last_etag = None
        self.last_modified = None
        self.gone_at = None

    def published(self, day_s):
        """How many items after the 5 initial ones exist `day_s` seconds into the day."""
        if not self.period or day_s < self.phase:
            return 0
        return 1 + int((day_s - self.phase) // self.period)

    def base_interval(self):
        return max(self.interval, FLOOR)


class Server:
    def __init__(self, feeds, scale, hold, day_len):
        self.by_path = {f.path: f for f in feeds}
        self.day_len = day_len
        self.scale = scale
        self.origin_wall = time.time()  # the start of the day, reset when newsd starts
        self.hold = hold
        self.inflight = collections.Counter()
        self.max_inflight = collections.Counter()
        self.host_starts = collections.defaultdict(list)  # host -> arrival scaled s
        self.throttle_host = None
        self.throttle_sent = None  # scaled s when the 429 went out
        self.bodies = {}
        self.requests = 0
        self.bad_requests = 0

    def day_s(self, wall=None):
        """Seconds into the compressed day at Unix time `wall` (default: now)."""
        return ((wall or time.time()) - self.origin_wall) * self.scale

    def body(self, feed, n):
        key = (feed.k, n)
        if key not in self.bodies:
            items = []
            for j in range(max(0, n + 5 - 20), n + 5):  # the 20 newest
                rng = random.Random(feed.k * 1000003 + j)
                words = " ".join(rng.choice(WORDS) for _ in range(40))
                pub = self.origin_wall + (self.item_time(feed, j) or 0)
                items.append(
                    "<item><guid isPermaLink=\"false\">%d-%d</guid><title>Feed %d story %d %s"
                    "</title><link>http://example.com/%d/%d</link><description>%s</description>"
                    "<pubDate>%s</pubDate></item>" % (feed.k, j, feed.k, j, words[:30], feed.k, j,
                                                      words, http_date(pub)))
            self.bodies[key] = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">"
                                "<channel><title>Feed %d</title><link>http://example.com/%d</link>"
                                "%s</channel></rss>" % (feed.k, feed.k, "".join(items))).encode()
        return self.bodies[key]

    def item_time(self, feed, j):
        """Seconds into the day item j appeared (negative: before the day)."""
        if j < 5:
            return -86400 + j * 3600
        return feed.phase + (j - 5) * feed.period

    def answer(self, feed, headers, day):
        """(status, extra headers, body) for a GET of `feed` at `day` seconds."""
        n = feed.published(day)
        etag = '"%d-%d"' % (feed.k, n)
        modified = http_date(self.origin_wall + max(self.item_time(feed, n + 4), -86400))
        inm, ims = headers.get("if-none-match"), headers.get("if-modified-since")
        conditional = inm is not None or ims is not None
        matched = (inm == feed.last_etag) if inm is not None else (ims == feed.last_modified)
        feed_requests = len(feed.requests)
        if feed.gone and day >= self.day_len / 8:
            feed.gone_at = feed.gone_at or day
            return 410, [], b"", conditional, matched
        if feed.flaky and feed_requests % 3 == 2:
            return 500, [], b"oops", conditional, matched
        if self.throttle_host is None and day >= self.day_len / 4 and feed.host == "127.0.0.3":
            self.throttle_host = feed.host
            return 429, [("Retry-After", str(RETRY_AFTER))], b"", conditional, matched
        validators = [("ETag", etag), ("Last-Modified", modified)]
        if feed.max_age:
            validators.append(("Cache-Control", "max-age=60"))
        if (inm is not None and inm == etag) or (inm is None and ims is not None and ims == modified):
            return 304, validators, b"", conditional, matched
        feed.last_etag, feed.last_modified = etag, modified
        body = self.body(feed, n)
        feed.served.update(range(max(0, n + 5 - 20), n + 5))
        return 200, validators + [("Content-Type", "application/rss+xml")], body, conditional, matched


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; Python does not name it


class Connection:
    """One client connection, read with recvmsg so that every request is stamped with the
    kernel's receive time (SO_TIMESTAMPNS): this server's own loop delays do not blur the
    gaps between requests."""

    def __init__(self, server, host, sock, loop):
        self.server, self.host, self.sock, self.loop = server, host, sock, loop
        self.buf = b""
        self.out = b""
        self.closed = False
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        loop.add_reader(sock.fileno(), self.readable)

    def readable(self):
        try:
            data, anc, _, _ = self.sock.recvmsg(65536, socket.CMSG_SPACE(16))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data, anc = b"", []
        if not data:
            return self.close()
        stamp = time.time()
        for level, kind, value in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
                sec, nsec = struct.unpack("qq", value[:16])
                stamp = sec + nsec / 1e9
        self.buf += data
        while b"\r\n\r\n" in self.buf:
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            self.request(head.decode("latin-1"), stamp)

    def close(self):
        if not self.closed:
            self.closed = True
            self.loop.remove_reader(self.sock.fileno())
            self.loop.remove_writer(self.sock.fileno())
            self.sock.close()

    def request(self, head, stamp):
        s = self.server
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        day = s.day_s(stamp)
        s.requests += 1
        feed = s.by_path.get(parts[1] if len(parts) > 1 else "")
        if feed is None or feed.host != self.host:
            s.bad_requests += 1
            return self.send(404, [], b"no such feed", None)
        s.inflight[self.host] += 1
        s.max_inflight[self.host] = max(s.max_inflight[self.host], s.inflight[self.host])
        s.host_starts[self.host].append(day)
        status, extra, body, conditional, matched = s.answer(feed, headers, day)
        feed.requests.append((day, status, conditional, matched))
        self.loop.call_later(s.hold, self.send, status, extra, body, feed)

    def send(self, status, extra, body, feed):
        s = self.server
        if feed is not None:
            s.inflight[self.host] -= 1
            if status == 429:
                s.throttle_sent = s.day_s()
        if self.closed:
            return
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found", 410: "Gone",
                  429: "Too Many Requests", 500: "Internal Server Error"}[status]
        head = ["HTTP/1.1 %d %s" % (status, reason), "Date: " + http_date(time.time())]
        head += ["%s: %s" % kv for kv in extra]
        if status != 304:
            head.append("Content-Length: %d" % len(body))
        self.out += ("\r\n".join(head) + "\r\n\r\n").encode() + body
        self.flush()

    def flush(self):
        try:
            sent = self.sock.send(self.out)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            return self.close()
        self.out = self.out[sent:]
        if self.out:
            self.loop.add_writer(self.sock.fileno(), self.flush)
        else:
            self.loop.remove_writer(self.sock.fileno())


def listen(server, host, port, loop):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    sock.setblocking(False)

    def accept():
        while True:
            try:
                conn, _ = sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            Connection(server, host, conn, loop)
    loop.add_reader(sock.fileno(), accept)
    return sock


def free_port(hosts, first="127.0.0.2"):
    """A port free on `hosts` addresses from `first` on."""
    base = first.rsplit(".", 1)
    for _ in range(50):
        probe = socket.socket()
        probe.bind((first, 0))
        port = probe.getsockname()[1]
        probe.close()
        ok = True
        for h in range(hosts):
            s = socket.socket()
            try:
                s.bind(("%s.%d" % (base[0], int(base[1]) + h), port))
            except OSError:
                ok = False
            finally:
                s.close()
            if not ok:
                break
        if ok:
            return port
    sys.exit("no port free on every loopback address")


def write_config(work, feeds, port, metrics_port):
    lines = [
        "[daemon]", 'data_dir = "%s/data"' % work, 'admin_socket = "%s/admin.sock"' % work,
        'log_level = "info"', 'metrics = "127.0.0.1:%d"' % metrics_port, "",
        # The dedup index holds the items of 2 windows (time-ordered): 2 h here, so it reaches
        # its steady size within the compressed day (with the default 72 h it grows all day).
        "[dedup]", 'window = "2h"', "",
        "[fetch]", "allow_private = true", 'timeout = "10s"',
        "max_connections = %d" % MAX_CONNECTIONS, "",
        "[politeness]", "host_inflight = %d" % INFLIGHT, 'host_spacing = "%ds"' % SPACING,
        'min_interval = "%ds"' % FLOOR, 'startup_jitter = "0s"', "",
    ]
    for f in feeds:
        lines += ["[[feed]]", 'id = "f%05d"' % f.k,
                  'url = "http://%s:%d%s"' % (f.host, port, f.path),
                  'interval = "%ds"' % f.interval, ""]
    path = os.path.join(work, "newsd.toml")
    with open(path, "w") as out:
        out.write("\n".join(lines))
    return path


def sample(pid, metrics_url):
    """One sample of newsd, or None when it is gone: {rss, sockets, sst, other_fds} from /proc
    and, from its metrics, {heap, cache, memtables, indexed}."""
    try:
        with open("/proc/%d/status" % pid) as f:
            rss = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
        kinds = collections.Counter()
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            kinds["sockets" if target.startswith("socket:") else
                  "sst" if target.endswith(".sst") else "other_fds"] += 1
    except (OSError, StopIteration):
        return None
    out = {"rss": rss, "sockets": kinds["sockets"], "sst": kinds["sst"],
           "other_fds": kinds["other_fds"]}
    try:
        with urllib.request.urlopen(metrics_url, timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return out
    for line in text.splitlines():
        for key, prefix in (("heap", 'newsd_heap_bytes{kind="held"} '),
                            ("cache", 'newsd_rocksdb{property="block-cache-usage"} '),
                            ("memtables", 'newsd_rocksdb{property="cur-size-all-mem-tables"} '),
                            ("indexed", "newsd_dedup_indexed_items ")):
            if line.startswith(prefix):
                out[key] = float(line[len(prefix):])
    return out


async def serve(args, feeds, port, metrics_url, proc_start):
    loop = asyncio.get_running_loop()
    server = Server(feeds, args.scale, args.hold_ms / 1000, args.hours * 3600)
    listeners = [listen(server, "127.0.0.%d" % (2 + h), port, loop) for h in range(args.hosts)]
    proc = proc_start()
    server.origin_wall = time.time()
    samples = []  # (day s, sample dict)
    day_len = args.hours * 3600
    last_note = 0
    tty = sys.stderr.isatty()
    while server.day_s() < day_len:
        await asyncio.sleep(1)
        if proc.poll() is not None:
            break
        got = await loop.run_in_executor(None, sample, proc.pid, metrics_url)
        if not got:
            continue
        samples.append((server.day_s(), got))
        hour = int(server.day_s() // 3600)
        if hour != last_note and (tty or hour % 6 == 0):
            last_note = hour
            print("  hour %2d: %d requests, RSS %.0f MiB, %d sockets" %
                  (hour, server.requests, got["rss"] / MIB, got["sockets"]), file=sys.stderr)
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGTERM)
    while proc.poll() is None:  # let in-flight answers go out while it finishes
        await asyncio.sleep(0.05)
    for sock in listeners:
        loop.remove_reader(sock.fileno())
        sock.close()
    return server, samples, alive, proc.returncode


def other_heap(sample_):
    """Heap held besides RocksDB's bounded pools (block cache, memtables), or None."""
    if "heap" not in sample_ or "cache" not in sample_ or "memtables" not in sample_:
        return None
    return sample_["heap"] - sample_["cache"] - sample_["memtables"]


def check(args, feeds, server, samples, alive, code, stored, report_hosts):
    failures = []
    # Requests are stamped by the kernel on arrival, but newsd decides a start a little before
    # its bytes leave (connect, then send, each a turn of its loop): `--lag-ms` of real time
    # covers that, magnified by the scale. A poll decided on whole seconds and the held answer
    # add to the floor's tolerance.
    slack = args.lag_ms / 1000 * args.scale  # scaled seconds
    scale_tol = slack + args.hold_ms / 1000 * args.scale + 1
    if not alive:
        failures.append("newsd exited during the day (code %s)" % code)
    if code != 0:
        failures.append("newsd exited %s after SIGTERM" % code)
    if server.bad_requests:
        failures.append("%d requests for unknown paths" % server.bad_requests)
    day_len = args.hours * 3600
    floor_breaks, interval_breaks, starved, unconditional, mismatched, after_gone = [], [], [], 0, 0, []
    for f in feeds:
        reqs = f.requests
        for (t0, st0, _, _), (t1, _, _, _) in zip(reqs, reqs[1:]):
            gap = t1 - t0
            if gap < FLOOR - scale_tol:
                floor_breaks.append((f.k, round(t0), round(gap)))
            if st0 in (200, 304) and gap < f.base_interval() - scale_tol:
                interval_breaks.append((f.k, round(t0), round(gap), f.base_interval()))
        seen_ok = False
        for _, st, conditional, matched in reqs:
            if seen_ok and not conditional:
                unconditional += 1
            if seen_ok and conditional and not matched:
                mismatched += 1
            seen_ok = seen_ok or st == 200
        if f.gone_at is not None and sum(1 for r in reqs if r[1] == 410) > 1:
            after_gone.append(f.k)
        if not f.gone and not f.flaky and f.host != server.throttle_host:
            want = day_len / max(f.base_interval(), f.period / 2 if f.period else 0)
            if len(reqs) < 0.75 * want:
                starved.append((f.k, len(reqs), round(want, 1)))
    for name, found in (("polled within the 15 min floor", floor_breaks),
                        ("polled before its interval after a good answer", interval_breaks),
                        ("polled again after 410 Gone", after_gone),
                        ("polled much less often than its interval (starved)", starved)):
        if found:
            failures.append("%d feeds %s, e.g. %s" % (len(found), name, found[:5]))
    if unconditional:
        failures.append("%d requests after a good answer were not conditional" % unconditional)
    if mismatched:
        failures.append("%d conditional requests sent validators that were never served" % mismatched)
    over = {h: n for h, n in server.max_inflight.items() if n > INFLIGHT}
    if over:
        failures.append("host_inflight exceeded: %s" % dict(list(over.items())[:5]))
    spacing_tol = slack
    close = []
    for host, starts in server.host_starts.items():
        for a, b in zip(starts, starts[1:]):
            if b - a < SPACING - spacing_tol:
                close.append((host, round(a, 1), round(b - a, 2)))
    if close:
        failures.append("host_spacing broken %d times, e.g. (host, at s, gap s) %s" %
                        (len(close), close[:8]))
    if server.throttle_sent is None:
        failures.append("the 429 was never sent (no request to 127.0.0.3 after a quarter day)")
    else:
        resume = server.throttle_sent + RETRY_AFTER - scale_tol
        early = [t for t in server.host_starts[server.throttle_host]
                 if server.throttle_sent + server.hold * args.scale < t < resume]
        if early:
            failures.append("%d requests to the throttled host inside its Retry-After" % len(early))
    # Memory and descriptors: the second half's peak against the first's (from 1/12 of it, after
    # the start-up burst). RSS includes RocksDB's block cache and memtables, which fill up to
    # their configured sizes over the day: the leak check is on the heap the allocator holds
    # besides those pools (mimalloc returns freed pages within a second or so); RSS gets an
    # absolute bound.
    first = [x for t, x in samples if day_len / 12 <= t < day_len / 2]
    second = [x for t, x in samples if t >= day_len / 2]
    if not first or not second:
        failures.append("too few samples of newsd (%d)" % len(samples))
        return failures
    peak_rss = max(x["rss"] for _, x in samples)
    if peak_rss > RSS_BOUND_MIB * MIB:
        failures.append("RSS peaked at %.0f MiB, over the %d MiB bound" % (peak_rss / MIB, RSS_BOUND_MIB))
    heap1 = [h for h in map(other_heap, first) if h is not None]
    heap2 = [h for h in map(other_heap, second) if h is not None]
    if not heap1 or not heap2:
        failures.append("newsd's metrics gave no heap figures")
    elif max(heap2) > max(heap1) * 1.05 + 8 * MIB:
        failures.append("heap held besides RocksDB's pools grew: peak %.1f MiB in the first "
                        "half, %.1f MiB in the second" % (max(heap1) / MIB, max(heap2) / MIB))
    for kind, bound in (("sockets", MAX_CONNECTIONS + 8), ("other_fds", None)):
        peak1, peak2 = max(x[kind] for x in first), max(x[kind] for x in second)
        if peak2 > peak1 + 2:
            failures.append("%s grew: peak %d in the first half, %d in the second" % (kind, peak1, peak2))
        if bound is not None and max(x[kind] for _, x in samples) > bound:
            failures.append("more than %d %s open (%d)" % (bound, kind, max(x[kind] for _, x in samples)))
    # newsd's own politeness report (kept in the archive), from its decisions, exact: the
    # server's view above carries the real-time latency between decision and arrival.
    hosts = report_hosts
    if len(hosts) != args.hosts:
        failures.append("the politeness report lists %d hosts, not %d" % (len(hosts), args.hosts))
    for h in hosts:
        if 0 <= h.get("min_gap_ms", -1) < SPACING * 1000 * 0.99:
            failures.append("newsd's report: %s min gap %d ms" % (h["host"], h["min_gap_ms"]))
        if h.get("min_feed_interval_s", FLOOR) < FLOOR - 1:
            failures.append("newsd's report: %s min feed interval %d s" %
                            (h["host"], h["min_feed_interval_s"]))
        if h.get("retry_after_violations", 0):
            failures.append("newsd's report: %s Retry-After violations" % h["host"])
    missing = [f.k for f in feeds if f.served - stored.get("f%05d" % f.k, set())]
    if missing:
        failures.append("%d feeds lack items the server published, e.g. %s" % (len(missing), missing[:5]))
    return failures


def stored_items(bin_dir, work):
    r = subprocess.run([os.path.join(bin_dir, "newsctl"), "--db", os.path.join(work, "data"),
                        "export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("newsctl export failed: " + r.stderr)
    out = collections.defaultdict(set)
    for line in r.stdout.splitlines():
        item = json.loads(line)
        words = item["title"].split()  # "Feed K story J ..."
        out[item["feed"]].add(int(words[3]))
    return out


def report(args, feeds, server, samples, wall):
    statuses = collections.Counter(r[1] for f in feeds for r in f.requests)
    total = sum(statuses.values())
    after_first = [r for f in feeds for r in f.requests[1:]]

    def hourly(fn):
        out = []
        for h in range(args.hours):
            values = [fn(x) for t, x in samples if h * 3600 <= t < (h + 1) * 3600]
            values = [v for v in values if v is not None]
            out.append(round(max(values), 1) if values else None)
        return out
    return {
        "feeds": len(feeds), "hosts": args.hosts, "scale": args.scale, "hours": args.hours,
        "wall_seconds": round(wall, 1), "requests": total,
        "requests_per_real_second": round(total / wall, 1),
        "statuses": dict(sorted(statuses.items())),
        "conditional_share_after_first": round(
            sum(1 for r in after_first if r[2]) / max(1, len(after_first)), 4),
        "max_inflight_per_host": max(server.max_inflight.values(), default=0),
        "min_host_spacing_s": round(min((b - a for st in server.host_starts.values()
                                         for a, b in zip(st, st[1:])), default=0), 2),
        "min_feed_gap_s": round(min((b[0] - a[0] for f in feeds
                                     for a, b in zip(f.requests, f.requests[1:])), default=0), 1),
        "hourly_peak": {
            "rss_mib": hourly(lambda x: x["rss"] / MIB),
            "heap_besides_rocksdb_pools_mib": hourly(lambda x: (other_heap(x) or 0) / MIB),
            "block_cache_mib": hourly(lambda x: x.get("cache", 0) / MIB),
            "memtables_mib": hourly(lambda x: x.get("memtables", 0) / MIB),
            "dedup_indexed_items": hourly(lambda x: x.get("indexed")),
            "sockets": hourly(lambda x: x["sockets"]),
            "sst_files": hourly(lambda x: x["sst"]),
            "other_fds": hourly(lambda x: x["other_fds"]),
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--feeds", type=int, default=10000)
    ap.add_argument("--hosts", type=int, default=253)
    ap.add_argument("--scale", type=float, default=120)
    ap.add_argument("--hours", type=int, default=24)
    ap.add_argument("--hold-ms", type=float, default=20)
    ap.add_argument("--lag-ms", type=float, default=150)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if not 1 <= args.hosts <= 253:
        sys.exit("--hosts must be 1..253")
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        os.environ.pop(var, None)
    os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.0/8,localhost"
    rng = random.Random(args.seed)
    feeds = [Feed(k, args.hosts, rng) for k in range(args.feeds)]
    work = tempfile.mkdtemp(prefix="newsd-load-")
    port = free_port(args.hosts)
    metrics_port = free_port(1, "127.0.0.1")
    config = write_config(work, feeds, port, metrics_port)
    log = open(os.path.join(work, "newsd.log"), "w")

    def start():
        return subprocess.Popen([os.path.join(args.bin, "newsd"), "--config", config,
                                 "--time-scale", str(args.scale)],
                                stdout=log, stderr=subprocess.STDOUT)

    print("load test: %d feeds on %d loopback hosts, %d h at %gx (%.0f s), work dir %s" %
          (args.feeds, args.hosts, args.hours, args.scale, args.hours * 3600 / args.scale, work),
          file=sys.stderr)
    began = time.monotonic()
    server, samples, alive, code = asyncio.run(
        serve(args, feeds, port, "http://127.0.0.1:%d/metrics" % metrics_port, start))
    wall = time.monotonic() - began
    log.close()
    stored = stored_items(args.bin, work)
    politeness = subprocess.run([os.path.join(args.bin, "newsctl"), "--db",
                                 os.path.join(work, "data"), "--json", "politeness"],
                                stdout=subprocess.PIPE, text=True)
    report_hosts = json.loads(politeness.stdout or "{}").get("hosts", [])
    failures = check(args, feeds, server, samples, alive, code, stored, report_hosts)
    summary = report(args, feeds, server, samples, wall)
    print(json.dumps(summary, indent=1))
    if args.report:
        with open(args.report, "w") as out:
            json.dump(summary, out, indent=1)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        print("newsd's log: %s/newsd.log" % work, file=sys.stderr)
        return 1
    print("load test passed", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
