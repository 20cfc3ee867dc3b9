#!/usr/bin/env python3
"""Planted-pair recall of `claimdiff index match` output against make_corpus.py's truth file.

usage: match_recall.py MATCH.jsonl TRUTH.jsonl DROP.jsonl [--kind rewrite|syndicated]

Only planted pairs with one sentence in the drop (the documents of DROP.jsonl) and the other in
the index count. Such a pair is found when a match line of a drop span overlapping its drop
sentence lists an earlier span overlapping the other sentence.
"""
import argparse
import json

ap = argparse.ArgumentParser()
ap.add_argument("match")
ap.add_argument("truth")
ap.add_argument("drop")
ap.add_argument("--kind")
a = ap.parse_args()

drop = set()
for line in open(a.drop, encoding="utf-8"):
    if line.strip():
        drop.add(json.loads(line)["id"])

matches = {}  # drop doc -> [(start, end, [(doc, start, end)])]
for line in open(a.match, encoding="utf-8"):
    m = json.loads(line)
    matches.setdefault(m["doc"], []).append(
        (m["start"], m["end"], [(e["doc"], e["start"], e["end"]) for e in m["matches"]]))

def found(new_doc, ns, ne, old_doc, os_, oe):
    for s, e, earlier in matches.get(new_doc, []):
        if s < ne and ns < e:
            for d, es, ee in earlier:
                if d == old_doc and es < oe and os_ < ee:
                    return True
    return False

total = hits = 0
for line in open(a.truth, encoding="utf-8"):
    t = json.loads(line)
    if a.kind and t["kind"] != a.kind:
        continue
    a_new, b_new = t["a"] in drop, t["b"] in drop
    if a_new == b_new:
        continue
    total += 1
    if a_new:
        hits += found(t["a"], t["a_start"], t["a_end"], t["b"], t["b_start"], t["b_end"])
    else:
        hits += found(t["b"], t["b_start"], t["b_end"], t["a"], t["a_start"], t["a_end"])
print("planted pairs across drop and index: %d, found: %d, recall: %.4f"
      % (total, hits, hits / max(1, total)))
