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
python3 "$shared/bench/make_corpus.py" --docs 1500 --out "$tmp/corpus.jsonl" \
  --truth "$tmp/truth.jsonl" || { echo "FAIL cannot generate a corpus with $shared/bench"; exit 1; }
passed=0
failed=0
for k in $(seq 1 20); do
  sed "s/\"id\": \"d/\"id\": \"k$k-d/" "$tmp/corpus.jsonl" >"$tmp/drop.jsonl"
  "$bin" index add --db "$db" "$tmp/drop.jsonl" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 3))$((RANDOM % 10))"
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
sys.exit(0 if ok and first and whole and orphans == 0 else 1)
PY
  then passed=$((passed + 1)); else echo "FAIL after kill $k"; failed=$((failed + 1)); fi
done
# How many drops completed before their kill (the rest were interrupted mid-transaction).
echo "drops completed: $(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) - 1 FROM drops").fetchone()[0])' "$db") of 20"
# The index still works after all that.
"$bin" index stats --db "$db" | grep -q "^drops " && passed=$((passed + 1)) || { echo "FAIL stats"; failed=$((failed + 1)); }
echo "index crash: $passed passed, $failed failed"
[ "$failed" = 0 ]
