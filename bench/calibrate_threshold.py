#!/usr/bin/env python3
"""Pairwise precision and recall of `claimdiff compare` against hand-labelled span pairs.

usage: calibrate_threshold.py CLAIMDIFF FIXTURES LABELS.tsv [THRESHOLD ...]

A labelled pair counts as predicted "same claim" when both spans are in one cluster of the
JSON report made at that threshold.
"""
import json
import subprocess
import sys

binary, fixtures, labels_path = sys.argv[1:4]
thresholds = [float(t) for t in sys.argv[4:]] or [0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
labels = []
for line in open(labels_path, encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    label, da, ta, db, tb = line.rstrip("\n").split("\t")
    labels.append((int(label), da, ta, db, tb))

print("threshold  precision  recall  f1     (pairs: %d same, %d different)" %
      (sum(l[0] for l in labels), sum(1 - l[0] for l in labels)))
for t in thresholds:
    out = subprocess.run([binary, "compare", fixtures, "--format", "json", "--threshold", str(t)],
                         capture_output=True, check=True, text=True).stdout
    report = json.loads(out)

    def cluster_of(doc_prefix, text):
        for d in report["documents"]:
            if d["id"].startswith(doc_prefix):
                for s in d["spans"]:
                    if text in s["text"]:
                        return s.get("cluster")
        sys.exit("no span of %s contains %r" % (doc_prefix, text))

    tp = fp = fn = 0
    for label, da, ta, db, tb in labels:
        ca, cb = cluster_of(da, ta), cluster_of(db, tb)
        same = ca is not None and ca == cb
        tp += same and label == 1
        fp += same and label == 0
        fn += (not same) and label == 1
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print("%9.2f  %9.2f  %6.2f  %5.2f" % (t, p, r, f))
