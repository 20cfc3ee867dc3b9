"""Number of spans in a claimdiff report-v1 JSON file (for bench/dask_benchmark.sh)."""
import json
import sys

report = json.load(open(sys.argv[1]))
print(sum(d["spans"] if isinstance(d["spans"], int) else len(d["spans"])
          for d in report["documents"]))
