#!/usr/bin/env python3
"""Rates of `claimdiff pairs` on the ANS stance pairs (s1,s2,stance: agree/disagree/other).

usage: measure_ans.py CLAIMDIFF FILE.csv [--threshold X]

Prints, per stance label, the share of pairs judged the same claim, the share with verdict
`conflict`, and the false-conflict rate on `agree` pairs.
"""
import argparse
import collections
import csv
import json
import subprocess
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("claimdiff")
ap.add_argument("csv")
ap.add_argument("--threshold")
a = ap.parse_args()

rows = list(csv.DictReader(open(a.csv, encoding="utf-8")))
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
    for i, r in enumerate(rows):
        f.write(json.dumps({"id": str(i), "a": r["s1"], "b": r["s2"]}, ensure_ascii=False) + "\n")
    path = f.name
cmd = [a.claimdiff, "pairs", path] + (["--threshold", a.threshold] if a.threshold else [])
out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.splitlines()
judged = {j["id"]: j for j in map(json.loads, out)}

total = collections.Counter()
same = collections.Counter()
conflict = collections.Counter()
kinds = collections.Counter()
for i, r in enumerate(rows):
    j = judged[str(i)]
    s = r["stance"]
    total[s] += 1
    same[s] += j["same_claim"]
    conflict[s] += j["verdict"] == "conflict"
    if j["verdict"] == "conflict":
        for c in j["conflicts"]:
            kinds[(s, c["kind"])] += 1

print("%s: %d pairs" % (a.csv, len(rows)))
print("label       pairs  same_claim  conflict")
for s in sorted(total):
    print("%-10s %6d  %10.3f  %8.3f" % (s, total[s], same[s] / total[s], conflict[s] / total[s]))
print("same-claim rate on agree pairs:      %.3f" % (same["agree"] / max(1, total["agree"])))
print("conflict rate on disagree pairs:     %.3f" % (conflict["disagree"] / max(1, total["disagree"])))
print("false-conflict rate on agree pairs:  %.3f" % (conflict["agree"] / max(1, total["agree"])))
print("conflict kinds:", dict(sorted(kinds.items())))
