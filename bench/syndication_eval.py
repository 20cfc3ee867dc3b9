#!/usr/bin/env python3
"""Recall and precision of `claimdiff syndication` copies against make_corpus.py's planted copies.

usage: syndication_eval.py REPORT.json TRUTH.jsonl

REPORT.json is `claimdiff syndication --format json` over the corpus; TRUTH.jsonl is the truth
file of make_corpus.py. A planted copy is a document pair (source, copy) with truth lines of kind
`syndicated`. Recall: planted copy pairs labelled `copy`. Precision: reported `copy` pairs that
are a planted copy pair or two members of one planted family (documents linked through planted
copies, e.g. two copies of one source, or a copy of a copy). Pairs that merely share rewritten
sentences (kind `rewrite`) are not copies.
"""
import json, sys


def main():
    report = json.load(open(sys.argv[1], encoding='utf-8'))
    assert report['schema'] == 'claimdiff/syndication-v1', report['schema']
    planted = set()
    for line in open(sys.argv[2], encoding='utf-8'):
        t = json.loads(line)
        if t['kind'] == 'syndicated':
            planted.add(tuple(sorted((t['a'], t['b']))))
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in planted:
        parent[find(a)] = find(b)
    copies = {tuple(sorted((p['a'], p['b']))) for p in report['pairs'] if p['label'] == 'copy'}
    found = planted & copies
    correct = [p for p in copies if p in planted or (p[0] in parent and p[1] in parent
                                                      and find(p[0]) == find(p[1]))]
    recall = len(found) / len(planted) if planted else 1.0
    precision = len(correct) / len(copies) if copies else 1.0
    labels = {}
    for p in report['pairs']:
        labels[p['label']] = labels.get(p['label'], 0) + 1
    print(f'planted copy pairs {len(planted)}, reported copies {len(copies)}, labels {labels}')
    print(f'recall {recall:.4f} ({len(found)}/{len(planted)})')
    print(f'precision {precision:.4f} ({len(correct)}/{len(copies)})')
    missed = sorted(planted - copies)[:10]
    if missed:
        print('missed (first 10):', missed)
    wrong = sorted(set(copies) - set(correct))[:10]
    if wrong:
        print('wrong (first 10):', wrong)
    ok = recall >= 0.99 and precision >= 0.95
    print('targets (recall >= 0.99, precision >= 0.95):', 'met' if ok else 'NOT met')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
