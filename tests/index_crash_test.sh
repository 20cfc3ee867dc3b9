#!/usr/bin/env bash
# Crash-safety of the index: `index add` is killed with SIGKILL at random points, 20 times;
# after each kill the database passes PRAGMA integrity_check, the first drop is intact, and
# every drop recorded is whole (the interrupted one absent).
# usage: index_crash_test.sh path/to/claimdiff SOURCE_DIR SHARED_DIR
set -u
bin=$1
src=$2
shared=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/index.db"
"$bin" index add --db "$db" "$src/fixtures/exchange-hack" >/dev/null || { echo "FAIL first drop"; exit 1; }
python3 "$shared/bench/make_corpus.py" --docs 300 --out "$tmp/corpus.jsonl" \
  --truth "$tmp/truth.jsonl" || { echo "FAIL cannot generate a corpus with $shared/bench"; exit 1; }
# How long one whole drop takes against this index, so the kills land anywhere in an add:
# reading, analysing, matching, writing and committing.
sed "s/\"id\": \"d/\"id\": \"k0-d/" "$tmp/corpus.jsonl" >"$tmp/drop.jsonl"
"$bin" index add --db "$db" "$tmp/drop.jsonl" >/dev/null 2>&1 || { echo "FAIL second drop"; exit 1; }
sed "s/\"id\": \"d/\"id\": \"t0-d/" "$tmp/corpus.jsonl" >"$tmp/drop.jsonl"
start=$(date +%s%N)
"$bin" index add --db "$db" "$tmp/drop.jsonl" >/dev/null 2>&1 || { echo "FAIL timing drop"; exit 1; }
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "one drop: $ms ms"
passed=0
failed=0
for k in $(seq 1 20); do
  sed "s/\"id\": \"d/\"id\": \"k$k-d/" "$tmp/corpus.jsonl" >"$tmp/drop.jsonl"
  "$bin" index add --db "$db" "$tmp/drop.jsonl" >/dev/null 2>&1 &
  pid=$!
  # A random point in [0, 1.6) times the drop's duration (later drops take a little longer).
  sleep "$(awk -v ms="$ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", ms * 1.6 * r / 32768 / 1000 }')"
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if python3 - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
first = con.execute("SELECT COUNT(*) FROM documents WHERE drop_id = 1").fetchone()[0] == 5
whole = all(n == con.execute("SELECT COUNT(*) FROM documents WHERE drop_id = ?", (d,)).fetchone()[0]
            for d, n in con.execute("SELECT id, documents FROM drops").fetchall())
orphans = con.execute("SELECT COUNT(*) FROM documents WHERE drop_id NOT IN (SELECT id FROM drops)").fetchone()[0]
# Spans, buckets and frequencies belong to recorded drops, and each drop's spans are all there.
orphans += con.execute("SELECT COUNT(*) FROM spans WHERE doc NOT IN (SELECT rowid FROM documents)").fetchone()[0]
orphans += con.execute("SELECT COUNT(*) FROM buckets WHERE drop_id NOT IN (SELECT id FROM drops)").fetchone()[0]
orphans += con.execute("SELECT COUNT(*) FROM frequencies WHERE drop_id NOT IN (SELECT id FROM drops)").fetchone()[0]
orphans += con.execute("SELECT COUNT(*) FROM document_buckets WHERE drop_id NOT IN (SELECT id FROM drops)").fetchone()[0]
spans = all(n == con.execute("SELECT COUNT(*) FROM spans s JOIN documents d ON s.doc = d.rowid "
                             "WHERE d.drop_id = ?", (d,)).fetchone()[0]
            for d, n in con.execute("SELECT id, spans FROM drops").fetchall())
keyed = all(con.execute("SELECT COUNT(*) FROM buckets WHERE drop_id = ?", (d,)).fetchone()[0] > 0
            for (d,) in con.execute("SELECT id FROM drops WHERE comparable > 0").fetchall())
sys.exit(0 if ok and first and whole and spans and keyed and orphans == 0 else 1)
PY
  then passed=$((passed + 1)); else echo "FAIL after kill $k"; failed=$((failed + 1)); fi
done
# How many drops completed before their kill (the rest were interrupted mid-transaction).
echo "drops completed: $(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) - 3 FROM drops").fetchone()[0])' "$db") of 20"
# The index still works after all that.
"$bin" index stats --db "$db" | grep -q "^drops " && passed=$((passed + 1)) || { echo "FAIL stats"; failed=$((failed + 1)); }
echo "index crash: $passed passed, $failed failed"
[ "$failed" = 0 ]
