#!/usr/bin/env python3
"""RITA v5 beacon scores of Squid native access logs, in plain Python with numpy: the reference
that bench/beacons_bench.sh runs side by side with `ashiato beacons -f csv`.

What a competent analyst would write from docs/beacons.md: the log read line by line, one
(client, request host) series per pair in a dict of lists, numpy for the statistics. The same
definitions as ashiato's (src/analyze/beacon/):
  - one request is one sample; its time truncated to whole seconds; its bytes the Squid size
    column (the bytes sent to the client: the native log has no client-to-server count);
  - the series key is the client address and the URL's host (the CONNECT target), lower case,
    without a trailing dot; a series lists the first 10 server addresses it went to (the
    hierarchy column), sorted;
  - every 24-hour window counting back from the evidence's last request, samples read from the
    hour of the window's start (those before the start count in the histogram's first bin, as in
    RITA); the best window and the whole span; 86,400 connections or more in a 24-hour window
    make a strobe, not scored (the span is scored whatever its count);
  - RITA v5's timestamp, data size, histogram and duration scores, rounding and bucketing.

Left out: requests without a request host (a path-only URL or "-"), which ashiato keys by the
hierarchy column's address when it is a public one (an address series); Squid logs full URLs.

Usage: beacons_reference.py [--all] LOG... > beacons.csv
The CSV has ashiato's columns and row order (best score first, then kind, client, destination)
but for RITA's final score and what goes into it (final, severity, long_conn, modifiers,
user_agent), which are not computed; last_day_score and last_day_connections are RITA's own
window, the last 24 hours.
Its cells are not neutralised against spreadsheet formulas as ashiato's are (Squid hosts and
addresses never start with = + - @).
"""
import argparse
import csv
import math
import re
import sys
import time

import numpy as np

DAY = 86400
HOUR = 3600
STROBE = 86400          # connections in a window: one a second
MAX_SAMPLES = 7 * 86400  # samples kept per series, as ashiato (connections count on)
MAX_SERVER_IPS = 10
BINS = 24

COLUMNS = ["score", "threat", "src", "dst", "kind", "ts_score", "ds_score", "dur_score", "hist_score",
           "connections", "window_from", "window_to", "window_connections", "span_score", "first", "last",
           "bytes", "strobe", "server_ips", "last_day_score", "last_day_connections"]


# --- reading ------------------------------------------------------------------------------------

RESULT_CODE = re.compile(r"[A-Z_]{3,}/[0-9]{3}$")  # TCP_MISS/200, NONE_NONE/000
METHOD = re.compile(r"[A-Z_-]{1,16}$")
DIGITS = re.compile(r"[0-9]*")


def is_method(token):
    return token != "-" and METHOD.match(token) is not None


def url_host(url):
    """The host of a URL or of a CONNECT target (host:port)."""
    rest = None
    scheme_end = url.find("://", 0, 18)  # a scheme of at most 15 characters
    if 0 <= scheme_end and "/" not in url[:scheme_end]:
        rest = url[scheme_end + 3:]
    elif url and url[0] != "/":
        rest = url  # CONNECT host:port, or host/path
    if rest is None:
        return ""
    end = len(rest)
    for stop in "/?#":
        i = rest.find(stop)
        if 0 <= i < end:
            end = i
    authority = rest[:end]
    authority = authority[authority.rfind("@") + 1:]
    if authority.startswith("["):  # [IPv6]:port
        close = authority.find("]")
        return authority[1:close] if close >= 0 else authority[1:]
    if authority.count(":") == 1:
        return authority.split(":", 1)[0]
    return authority


def leading_number(text):
    if text.isdecimal():
        return int(text)
    digits = DIGITS.match(text).group()
    return int(digits) if digits else 0


def read_squid(paths, series):
    """Adds every request of the logs to series[(client, host)] = [times, sizes, server_ips, count, total]."""
    for path in paths:
        with open(path, encoding="utf-8", errors="surrogateescape") as log:
            for line in log:
                f = line.split()
                if len(f) < 7 or not f[1].isdecimal():
                    continue
                seconds, dot, fraction = f[0].partition(".")
                if not seconds.isdecimal() or (dot and not fraction.isdecimal()):
                    continue
                k = 3 if RESULT_CODE.match(f[3]) else 4 if RESULT_CODE.match(f[4]) else 0  # client port or not
                if k == 0 or k + 1 >= len(f):
                    continue
                client = f[2]
                if client == "-":
                    continue
                m = k + 2
                while m + 1 < len(f) and not is_method(f[m]):
                    m += 1
                if m + 1 >= len(f) or f[m] == "NONE":
                    continue  # no request (Squid's "NONE error:..." lines for failed transactions)
                host = url_host(f[m + 1]) if f[m + 1] != "-" else ""
                host = host.lower().rstrip(".") if host else ""
                if not host:
                    continue  # no request host (ashiato would use a public hierarchy address)
                i = m + 2
                if i < len(f) and (f[i] in ("1.0", "1.1", "2.0") or f[i].startswith("HTTP/")):
                    i += 1
                server = ""
                if i + 1 < len(f):
                    server = f[i + 1].partition("/")[2]
                size = min(leading_number(f[k + 1]), 0xFFFFFFFF)
                s = series.get((client, host))
                if s is None:
                    s = series[(client, host)] = [[], [], [], 0, 0]
                if len(s[0]) < MAX_SAMPLES:
                    s[0].append(int(seconds))
                    s[1].append(size)
                s[3] += 1
                s[4] += size
                if server and server != "-" and len(s[2]) < MAX_SERVER_IPS and server not in s[2]:
                    s[2].append(server)


# --- RITA v5 scores -----------------------------------------------------------------------------

def round3(x):  # C's round(): halves away from zero (Python's round() goes to the even one)
    y = abs(x) * 1000
    r = math.floor(y)
    if y - r >= 0.5:
        r += 1
    return math.copysign(r, x) / 1000


def ceil3(x):
    return math.ceil(x * 1000) / 1000


def median_sorted(x):
    n = len(x)
    if n == 0:
        return 0.0
    return float(x[n // 2]) if n % 2 else (float(x[n // 2 - 1]) + float(x[n // 2])) / 2


def skew_mad_score(x, mad_default):
    """Bowley skewness with Tukey's hinges and the MAD about the median, of sorted float64 x."""
    n = len(x)
    q2 = median_sorted(x)
    q1 = median_sorted(x[:n // 2])
    q3 = median_sorted(x[(n + 1) // 2:])
    skew = 0.0
    if q3 - q1 >= 10 and q2 != q1 and q2 != q3:
        skew = (q1 + q3 - 2 * q2) / (q3 - q1)
    mad = median_sorted(np.sort(np.abs(x - q2)))
    mad_score = (q2 - mad) / q2 if q2 >= 1 else mad_default
    if math.isnan(mad_score) or mad_score < 0:
        mad_score = 0.0
    return round3(((1 - abs(skew)) + mad_score) / 2)


def histogram_score(ts, window_from, window_to):
    """24 bins over [from, to]: score, bins with connections, longest run. As RITA's createHistogram,
    a timestamp before the first inner edge counts in the first bin (also those of the whole hour
    read before the window's start), one from the last inner edge on in the last bin."""
    step = (window_to - window_from) / BINS
    edges = window_from + np.arange(BINS + 1) * step
    bins = np.bincount(np.searchsorted(edges[1:BINS], ts, side="right"), minlength=BINS).tolist()
    total = sum(bins)
    bars = sum(1 for b in bins if b > 0)
    if total == 0:
        return 0.0, 0, 0
    run = longest = 0
    for b in bins + bins:  # wrapping around
        run = run + 1 if b > 0 else 0
        longest = max(longest, run)
    longest = min(longest, BINS)
    mean = total / BINS
    variance = 0.0
    for b in bins:
        variance += (b - mean) * (b - mean)
    cv = math.sqrt(variance / BINS) / abs(mean)
    cv_score = 0.0 if cv > 1 else round3(1 - cv)
    bimodal = 0.0
    if bars >= 11:
        bucket = math.ceil(max(bins) * 0.05)
        per_bucket = {}
        for b in bins:
            if b > 0:
                per_bucket[b // bucket * bucket] = per_bucket.get(b // bucket * bucket, 0) + 1
        top = sorted(per_bucket.values(), reverse=True) + [0]
        bimodal = min(round3((top[0] + top[1]) / max(bars - 1, 1)), 1.0)
    return max(cv_score, bimodal), bars, longest


def bucketed(value, base=50, low=70, medium=90, high=100):
    if value < base:
        return 0.0
    if value < low:
        return 0.2 + (value - base) / (low - base) * 0.2
    if value < medium:
        return 0.4 + (value - low) / (medium - low) * 0.2
    return 0.6 + (min(value, high) - medium) / (high - medium) * 0.2


def score_window(ts, sizes, window_from, window_to):
    """(score, threat, ts, ds, dur, hist) of one window's samples, or None when not scorable."""
    if window_to <= window_from or len(np.unique(ts)) < 4:
        return None
    intervals = np.diff(np.sort(ts))
    intervals = np.sort(intervals[intervals > 0]).astype(np.float64)
    if len(intervals) < 3 or len(sizes) < 3:
        return None
    ts_score = skew_mad_score(intervals, 1.0)
    ds_score = skew_mad_score(np.sort(sizes).astype(np.float64), 0.0)
    hist, bars, longest = histogram_score(ts, window_from, window_to)
    dur = 0.0
    if bars >= 6:
        coverage = min(ceil3(float(ts.max() - ts.min()) / (window_to - window_from)), 1.0)
        consistency = min(ceil3(longest / 12), 1.0)
        dur = max(coverage, consistency)
    score = round3(ts_score * 0.25 + ds_score * 0.25 + dur * 0.25 + hist * 0.25)
    return score, bucketed(score * 100), ts_score, ds_score, dur, hist


def score_series(times, sizes, evidence_from, evidence_to):
    order = np.argsort(times, kind="stable")
    times, sizes = times[order], sizes[order]
    first, last = int(times[0]), int(times[-1])
    result = {"best": None, "strobe": False, "last_day": None, "last_day_count": 0}

    def window(frm, to, day=True):
        hour = frm - frm % HOUR  # RITA reads whole hours from the one holding the window's start
        lo, hi = np.searchsorted(times, hour, "left"), np.searchsorted(times, to, "right")
        count = hi - lo
        if day and count >= STROBE:
            result["strobe"] = True
            return None, count
        return score_window(times[lo:hi], sizes[lo:hi], frm, to), count

    end = evidence_to
    while True:
        frm = end - DAY if end >= evidence_from + DAY else evidence_from
        if last >= frm and first <= end:
            score, count = window(frm, end)
            if end == evidence_to:  # RITA's own window: the last 24 hours
                result.update(last_day=score, last_day_count=count)
            if score and (result["best"] is None or score[0] > result["best"][0]):
                result.update(best=score, window=(frm, end), window_count=count)
        if frm <= evidence_from or end < DAY:
            break
        end -= DAY
    if evidence_to > evidence_from + DAY:
        result["span"] = window(evidence_from, evidence_to, day=False)[0]
    else:
        result["span"] = result["best"]
    return result


# --- output -------------------------------------------------------------------------------------

def iso(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds)) if seconds else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="also the series with too few connections to score")
    parser.add_argument("logs", nargs="+")
    args = parser.parse_args()

    series = {}
    read_squid(args.logs, series)
    evidence_from = min(min(s[0]) for s in series.values())
    evidence_to = max(max(s[0]) for s in series.values())

    rows = []
    for (client, host), (times, sizes, servers, count, total) in series.items():
        if len(times) < 4 and not args.all:
            continue
        r = score_series(np.array(times, dtype=np.int64), np.array(sizes, dtype=np.int64),
                         evidence_from, evidence_to)
        b = r["best"]
        if b is None and not r["strobe"] and not args.all:
            continue
        fmt = "{:.3f}".format
        rows.append((b[0] if b else -1, client, host, [
            fmt(b[0]) if b else "", fmt(b[1]) if b else ("0.800" if r["strobe"] else ""), client, host, "fqdn",
            *([fmt(v) for v in b[2:]] if b else ["", "", "", ""]),
            count, iso(r["window"][0]) if b else "", iso(r["window"][1]) if b else "",
            r["window_count"] if b else "", fmt(r["span"][0]) if r["span"] else "",
            iso(min(times)), iso(max(times)), total, "yes" if r["strobe"] else "", " ".join(sorted(servers)),
            fmt(r["last_day"][0]) if r["last_day"] else "", r["last_day_count"]]))
    rows.sort(key=lambda row: (-row[0], row[1], row[2]))
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(COLUMNS)
    for row in rows:
        out.writerow(row[3])


if __name__ == "__main__":
    main()
