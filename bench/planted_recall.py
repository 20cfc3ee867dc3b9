#!/usr/bin/env python3
"""Planted-pair recall of a claimdiff report against make_corpus.py's truth file.

usage: planted_recall.py REPORT.json TRUTH.jsonl [--kind rewrite|syndicated]

A planted pair (two sentences, by byte range in their documents' text) is found when a span
overlapping the first and a span overlapping the second are in one cluster.
"""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("report")
ap.add_argument("truth")
ap.add_argument("--kind")
a = ap.parse_args()

report = json.load(open(a.report, encoding="utf-8"))
spans = {}  # doc id -> [(start, end, cluster)]
for d in report["documents"]:
    spans[d["id"]] = [(s["start"], s["end"], s.get("cluster")) for s in d["spans"]]

def clusters(doc, start, end):
    return {c for s, e, c in spans.get(doc, []) if c and s < end and start < e}

total = found = 0
for line in open(a.truth, encoding="utf-8"):
    t = json.loads(line)
    if a.kind and t["kind"] != a.kind:
        continue
    total += 1
    if clusters(t["a"], t["a_start"], t["a_end"]) & clusters(t["b"], t["b_start"], t["b_end"]):
        found += 1
print("planted pairs: %d, found: %d, recall: %.4f" % (total, found, found / max(1, total)))
