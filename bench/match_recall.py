#!/usr/bin/env python3
"""Planted-pair recall of `claimdiff index match` output against make_corpus.py's truth file.

usage: match_recall.py MATCH.jsonl TRUTH.jsonl DROP.jsonl [--kind rewrite|syndicated]

Only planted pairs with one sentence in the drop (the documents of DROP.jsonl) and the other in
the index count. Such a pair is found when a match line of a drop span overlapping its drop
sentence lists an earlier span overlapping the other sentence.

Also prints, for syndication, the recall of the planted copies that cross from the drop to the
index among the reuse lines labelled "copy", and their precision, where a copy between two
members of one planted family (linked through planted copies) counts as correct.
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
copies = set()  # (doc, doc) reported as copies
for line in open(a.match, encoding="utf-8"):
    m = json.loads(line)
    if "span" not in m:  # a document's reuse line (syndication), not a span's matches
        if m.get("label") == "copy":
            copies.add(tuple(sorted((m["doc"], m["reuses"]))))
        continue
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

parent = {}

def family(x):
    parent.setdefault(x, x)
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x

planted = set()
for line in open(a.truth, encoding="utf-8"):
    t = json.loads(line)
    if t["kind"] != "syndicated":
        continue
    parent[family(t["a"])] = family(t["b"])
    if (t["a"] in drop) != (t["b"] in drop):
        planted.add(tuple(sorted((t["a"], t["b"]))))
right = sum(1 for x, y in copies if family(x) == family(y))
print("planted copies across drop and index: %d, reported as copy: %d, copies reported: %d, "
      "in a planted family: %d" % (len(planted), len(planted & copies), len(copies), right))
