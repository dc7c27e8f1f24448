#!/usr/bin/env python3
"""Compares two `ashiato beacons -f csv` tables (ashiato's and bench/beacons_reference.py's): the
same series (src, dst, kind), in the same order, with the same value in every column both have
(scores to three decimals as printed, counts, windows, first/last, bytes, strobe, server_ips).

Usage: beacons_compare.py ASHIATO.csv REFERENCE.csv
Prints one summary line (and up to 10 differences); exit code 1 when they differ.
"""
import csv
import sys


def read(path):
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return reader.fieldnames or [], rows


def key(row):
    return row["src"], row["dst"], row["kind"]


def main():
    columns_a, rows_a = read(sys.argv[1])
    columns_b, rows_b = read(sys.argv[2])
    columns = [c for c in columns_a if c in columns_b]
    a = {key(r): r for r in rows_a}
    b = {key(r): r for r in rows_b}
    problems = []
    only_a = [k for k in a if k not in b]
    only_b = [k for k in b if k not in a]
    for k in only_a[:5]:
        problems.append("only in %s: %s" % (sys.argv[1], " ".join(k)))
    for k in only_b[:5]:
        problems.append("only in %s: %s" % (sys.argv[2], " ".join(k)))
    differing = 0
    for k, row in a.items():
        other = b.get(k)
        if other is None:
            continue
        cells = [c for c in columns if row[c] != other[c]]
        if cells:
            differing += 1
            if differing <= 10:
                problems.append("%s: %s" % (" ".join(k), ", ".join(
                    "%s %s vs %s" % (c, row[c], other[c]) for c in cells)))
    same_order = [key(r) for r in rows_a] == [key(r) for r in rows_b]
    if not same_order and not only_a and not only_b:
        problems.append("rows in a different order")
    scored = sum(1 for r in rows_a if r.get("score"))
    unmatched = [c for c in columns_a if c not in columns_b]
    print("compared %d series (%d scored) on %d columns: %d only in ashiato, %d only in the reference, "
          "%d with different values, %s order%s" % (
              len(a), scored, len(columns), len(only_a), len(only_b), differing,
              "same" if same_order else "different",
              "; not compared: " + " ".join(unmatched) if unmatched else ""))
    for p in problems:
        print("  " + p)
    return 1 if problems or len(rows_a) != len(a) or len(rows_b) != len(b) else 0


if __name__ == "__main__":
    sys.exit(main())
