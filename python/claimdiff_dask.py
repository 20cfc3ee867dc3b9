#!/usr/bin/env python3
"""claimdiff compare on a Dask cluster, with the report `claimdiff compare --candidates lsh` gives.

    python3 python/claimdiff_dask.py --workers 2 -o report.json corpus.jsonl
    python3 python/claimdiff_dask.py --scheduler tcp://scheduler:8786 -o report.json /data/news/

The corpus is split into parts (JSON Lines files cut at line boundaries, text files grouped), and
the claimdiff binary's stage commands run on the workers (see `claimdiff repeats --help` and the
README, "Beyond one machine (Dask)"):

    ids     (map per part)                                  ids, to keep one copy of each id
    repeats (map per part) -> repeats --merge (reduce per hash piece) -> repeats --join
                                                            cross-document repeats of span forms
    df      (map per part) -> df --merge      (reduce per hash piece) -> df --lookup (per part
            and piece)                                      frequencies of the part's features
    sketch  (map per part)                                  band keys, split by key; features
    shuffle: key piece Q of every part goes to candidates task Q
    candidates (per shuffle partition)                      buckets -> candidate pairs, each
                                                            owned by one of its spans' parts
    select  (per part)                                      the features other parts asked for
    verify  (per part)                                      its owned pairs -> exact cosine
    cluster (on this machine)                               the report from all verified pairs

Only band keys are shuffled to every partition; a span's TF-IDF features leave its part only
for the parts that verify a pair with it.

Workers call the claimdiff binary (--claimdiff, the same path on every worker) and must read the
input paths at the same paths (a shared filesystem); everything else travels through Dask as
bytes. The report does not depend on the number of workers, parts or shuffle partitions.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")


def default_binary():
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(os.path.dirname(here), "build", "claimdiff")
    if os.access(built, os.X_OK):
        return built
    return shutil.which("claimdiff") or "claimdiff"


# ---------------------------------------------------------------------------------------------
# Splitting the input into parts (on the driver; reads only a few bytes per cut).


def input_files(paths):
    """(name, path, kind) for every input file, as claimdiff's LoadInputs finds them: `name` as
    compare names its documents' source (the path as given, or joined to the folder given),
    `path` absolute (workers run elsewhere: another working directory, another machine). A file
    met twice is read once."""
    files, seen = [], set()

    def add(name, kind):
        path = os.path.abspath(name)
        if path not in seen:
            seen.add(path)
            files.append((name, path, kind))

    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p, followlinks=True):
                dirs.sort()
                for name in sorted(names):
                    full = os.path.join(root, name)
                    if name.endswith(TEXT_SUFFIXES):
                        add(full, "text")
                    elif name.endswith(JSONL_SUFFIXES):
                        add(full, "jsonl")
        elif os.path.isfile(p):
            add(p, "jsonl" if p.endswith(JSONL_SUFFIXES) else "text")
        # A missing path is left to the cluster step, which reports it as compare does.
    return files


def line_cuts(path, chunk_bytes):
    """Byte offsets that cut a JSON Lines file into chunks of about chunk_bytes, at line ends."""
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as f:
        while cuts[-1] + chunk_bytes < size:
            f.seek(cuts[-1] + chunk_bytes)
            f.readline()  # to the end of the line the cut falls in
            pos = f.tell()
            if pos >= size:
                break
            cuts.append(pos)
    cuts.append(size)
    return cuts


def plan_parts(paths, parts, stdin_file=None):
    """Splits the input into about `parts` lists of units of similar size.

    A unit is ("text", path, name) or ("jsonl", path, begin, end, name), `name` the source
    compare gives the unit's documents. Standard input ("-") has been saved to `stdin_file`."""
    files = input_files([p for p in paths if p != "-"])
    if stdin_file is not None:
        files.append(("-", stdin_file, "jsonl"))
    total = sum(os.path.getsize(p) for _, p, _ in files) or 1
    target = max(1, total // max(1, parts))
    units = []
    for name, path, kind in files:
        if kind == "text":
            units.append((("text", path, name), os.path.getsize(path)))
            continue
        cuts = line_cuts(path, target)
        for begin, end in zip(cuts, cuts[1:]):
            units.append((("jsonl", path, begin, end, name), end - begin))
    plan, current, size = [], [], 0
    for unit, bytes_ in units:
        current.append(unit)
        size += bytes_
        if size >= target and len(plan) < parts - 1:
            plan.append(current)
            current, size = [], 0
    if current:
        plan.append(current)
    return plan


# ---------------------------------------------------------------------------------------------
# Tasks (run on the workers).


def _materialize(units, directory):
    """The claimdiff PATH arguments of a part: text files as they are, JSON Lines ranges copied
    to `directory` unless they are the whole file."""
    args = []
    for k, unit in enumerate(units):
        if unit[0] == "text":
            args.append(unit[1])
            continue
        _, path, begin, end, _ = unit
        if begin == 0 and end == os.path.getsize(path) and path.endswith(JSONL_SUFFIXES):
            args.append(path)
            continue
        out = os.path.join(directory, "range-%d.jsonl" % k)
        with open(path, "rb") as src, open(out, "wb") as dst:
            src.seek(begin)
            left = end - begin
            while left > 0:
                block = src.read(min(left, 1 << 22))
                if not block:
                    break
                dst.write(block)
                left -= len(block)
        args.append(out)
    return args


def _run(argv):
    """Runs claimdiff; exit 1 (some documents could not be read) is not a failure: the cluster
    step reads the whole input again and reports those problems as compare does."""
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode not in (0, 1):
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(argv[:2]), done.returncode,
                                                         done.stderr.decode(errors="replace")))
    return done.stdout


def _write(directory, name, data):
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def task_ids(binary, units):
    """(id, unit, line) of every document of a part, duplicated ids included."""
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        args = _materialize(units, d)
        unit_of = {}
        for k, a in enumerate(args):
            unit_of.setdefault(a, k)
        out = []
        for line in _run([binary, "ids"] + args).splitlines():
            r = json.loads(line)
            out.append((r["id"], unit_of[r["source"]], r["line"]))
        return out


def _inputs(units, skip, directory):
    """The claimdiff arguments of a part: --skip FILE (the documents `skip` names as (unit,
    line)) and the PATH arguments."""
    args = _materialize(units, directory)
    if not skip:
        return args
    path = os.path.join(directory, "skip.jsonl")
    with open(path, "w") as f:
        for unit, line in skip:
            f.write(json.dumps({"source": args[unit], "line": line}) + "\n")
    return ["--skip", path] + args


def duplicate_copies(ids, plan):
    """Per part, the (unit, line) of the documents to leave out: every copy of a duplicated id
    but the one compare keeps, the smallest (source, line) (here (source, range start, line in
    the range), the same order)."""
    where = {}
    for k, records in enumerate(ids):
        for doc_id, unit, line in records:
            u = plan[k][unit]
            order = (u[2], 0, line) if u[0] == "text" else (u[4], u[2], line)
            where.setdefault(doc_id, []).append((order, k, unit, line))
    skip = [[] for _ in plan]
    for copies in where.values():
        if len(copies) > 1:
            copies.sort()
            for _, k, unit, line in copies[1:]:
                skip[k].append((unit, line))
    return skip


def task_repeats(binary, units, skip, reduces, threads):
    """The part's span-form counts, split into `reduces` pieces by hash."""
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        out = os.path.join(d, "out")
        _run([binary, "repeats", "--threads", str(threads), "--partitions", str(reduces),
              "--out-dir", out] + _inputs(units, skip, d))
        return [_read(out, "repeats-%d.cdrp" % r) for r in range(reduces)]


def task_table(binary, command, mode, tables, extra=()):
    """claimdiff COMMAND --merge|--join [EXTRA] on `tables`."""
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        inputs = [_write(d, "in-%d" % k, t) for k, t in enumerate(tables)]
        out = os.path.join(d, "out")
        _run([binary, command, mode, "-o", out] + list(extra) + inputs)
        with open(out, "rb") as f:
            return f.read()


def task_df(binary, units, skip, repeats, reduces, threads):
    """The document frequencies of the part's features, split into `reduces` pieces by hash."""
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        r = _write(d, "repeats.cdrp", repeats)
        out = os.path.join(d, "out")
        _run([binary, "df", "--repeats", r, "--threads", str(threads), "--partitions",
              str(reduces), "--out-dir", out] + _inputs(units, skip, d))
        return [_read(out, "df-%d.cddf" % r) for r in range(reduces)]


def task_lookup(binary, merged, own):
    """The corpus's counts (one merged piece) of a part's own features (its piece)."""
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        m = _write(d, "merged.cddf", merged)
        o = _write(d, "own.cddf", own)
        out = os.path.join(d, "out")
        _run([binary, "df", "--lookup", m, "-o", out, o])
        with open(out, "rb") as f:
            return f.read()


def task_sketch(binary, units, skip, repeats, df_pieces, part, partitions, threads):
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        r = _write(d, "repeats.cdrp", repeats)
        f = os.path.join(d, "df.cddf")
        _run([binary, "df", "--join", "-o", f] +
             [_write(d, "df-%d.cddf" % k, p) for k, p in enumerate(df_pieces)])
        out = os.path.join(d, "sketch")
        _run([binary, "sketch", "--repeats", r, "--df", f, "--part", str(part), "--partitions",
              str(partitions), "--out-dir", out, "--threads", str(threads)] +
             _inputs(units, skip, d))
        return {"documents": _read(out, "documents.cdsd"),
                "features": _read(out, "features.cdft"),
                "pieces": [_read(out, "piece-%d.cdsk" % q) for q in range(partitions)]}


def _read(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def task_item(container, *path):
    """container[path[0]][path[1]]...: one piece of a task's result, as its own Dask key, so
    that a task receives only the pieces it needs."""
    for p in path:
        container = container[p]
    return container


def task_candidates(binary, pieces, parts):
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        inputs = [_write(d, "piece-%d.cdsk" % k, p) for k, p in enumerate(pieces)]
        out = os.path.join(d, "out")
        _run([binary, "candidates", "--parts", str(parts), "--out-dir", out] + inputs)
        return {"pairs": [_read(out, "pairs-%d.cdcp" % k) for k in range(parts)],
                "needs": [_read(out, "needs-%d.cdnd" % k) for k in range(parts)]}


def task_select(binary, features, needs, parts):
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        f = _write(d, "features.cdft", features)
        inputs = [_write(d, "needs-%d.cdnd" % q, n) for q, n in enumerate(needs)]
        out = os.path.join(d, "out")
        _run([binary, "select", "--features", f, "--out-dir", out] + inputs)
        return [_read(out, "features-for-%d.cdft" % k) for k in range(parts)]


def task_verify(binary, features, received, pairs, threshold, threads):
    with tempfile.TemporaryDirectory(prefix="claimdiff-") as d:
        inputs = [_write(d, "features.cdft", features)]
        inputs += [_write(d, "received-%d.cdft" % j, r) for j, r in enumerate(received)
                   if r is not None]
        inputs += [_write(d, "pairs-%d.cdcp" % q, p) for q, p in enumerate(pairs)]
        out = os.path.join(d, "pairs.cdpr")
        _run([binary, "verify", "--threshold", repr(threshold), "--threads", str(threads),
              "-o", out] + inputs)
        with open(out, "rb") as f:
            return f.read()


def size_of(data):
    return 0 if data is None else len(data)


# ---------------------------------------------------------------------------------------------
# The driver.


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="claimdiff compare on a Dask cluster (the report of "
        "`claimdiff compare --candidates lsh`).")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="input files and folders (.txt, .jsonl, .ndjson) or - (JSON Lines on "
                   "standard input), as for compare")
    p.add_argument("--scheduler", help="address of a running Dask scheduler "
                   "(tcp://host:8786); default: a LocalCluster on 127.0.0.1")
    p.add_argument("--workers", type=int, default=2,
                   help="LocalCluster worker processes (1 thread each; default 2)")
    p.add_argument("--parts", type=int, default=0,
                   help="parts the input is split into (default: 2 per worker thread)")
    p.add_argument("--shuffle-partitions", type=int, default=0,
                   help="band-key partitions, one candidates task each (default: one per "
                   "worker thread)")
    p.add_argument("--reduce-partitions", type=int, default=0,
                   help="hash partitions of the corpus-wide counts (repeats, document "
                   "frequencies), one merge task each (default: one per worker thread)")
    p.add_argument("--threshold", type=float, default=0.30,
                   help="similarity two spans need to be one claim (default 0.30)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads of each claimdiff run on a worker (default 1)")
    p.add_argument("--cluster-threads", type=int, default=0,
                   help="threads of the final cluster step on this machine (default: all)")
    p.add_argument("--format", default="json", choices=["json", "text", "markdown", "html"])
    p.add_argument("-o", "--output", default="-", help="report file (default: standard output)")
    p.add_argument("--claimdiff", default=default_binary(),
                   help="the claimdiff binary, at the same path on every worker")
    p.add_argument("--keep-stages", metavar="DIR",
                   help="keep the cluster step's input (pairs, part documents) in DIR")
    p.add_argument("--stats", metavar="FILE",
                   help="write timings and data volumes as JSON to FILE")
    p.add_argument("--spool-dir", metavar="DIR",
                   help="where standard input (PATH -) is saved for the workers to read; on a "
                   "cluster, a shared folder (default: the temporary folder)")
    p.add_argument("--quiet", action="store_true", help="no stage lines on standard error")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    try:
        from distributed import Client, LocalCluster, wait
    except ImportError:
        print("claimdiff-dask: this python3 (%s) has no 'distributed' module: install Debian's "
              "python3-distributed and python3-dask (scripts/deps.sh does) and run it with "
              "/usr/bin/python3" % sys.executable, file=sys.stderr)
        return 2

    log = (lambda *a: None) if args.quiet else (lambda *a: print("claimdiff-dask:", *a,
                                                                   file=sys.stderr, flush=True))
    binary = os.path.abspath(args.claimdiff) if os.path.sep in args.claimdiff else args.claimdiff
    cluster = None
    started = time.monotonic()
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    stats = {"workers": 0, "stages": {}}
    spools = []
    try:
        worker_threads = sum(w["nthreads"] for w in
                             client.scheduler_info()["workers"].values()) or 1
        stats["workers"] = len(client.scheduler_info()["workers"])
        parts = args.parts or 2 * worker_threads
        stdin_file = None
        if "-" in args.paths:
            # Standard input, saved where the workers can read it (--spool-dir).
            spool = tempfile.mkdtemp(prefix="claimdiff-stdin-", dir=args.spool_dir)
            spools.append(spool)
            stdin_file = os.path.join(spool, "stdin.jsonl")
            with open(stdin_file, "wb") as f:
                shutil.copyfileobj(sys.stdin.buffer, f, 1 << 22)
        plan = plan_parts(args.paths, parts, stdin_file)
        shuffle = args.shuffle_partitions or worker_threads
        reduces = args.reduce_partitions or worker_threads
        stats.update(parts=len(plan), shuffle_partitions=shuffle, reduce_partitions=reduces,
                     cluster_start_s=round(time.monotonic() - started, 3))
        log("%d workers, %d parts, %d shuffle partitions" % (stats["workers"], len(plan), shuffle))
        run = uuid.uuid4().hex[:8]
        t = args.threads

        def stage(name, futures):
            begin = time.monotonic()
            wait(futures)
            for f in futures:
                if f.status == "error":
                    f.result()  # raises the task's error
            stats["stages"][name] = round(time.monotonic() - begin, 3)
            log("%-11s %7.2f s" % (name, stats["stages"][name]))

        if plan:
            ids = [client.submit(task_ids, binary, units, key="ids-%s-%d" % (run, k))
                   for k, units in enumerate(plan)]
            stage("ids", ids)
            skip = duplicate_copies(client.gather(ids), plan)
            stats["duplicate_copies_left_out"] = sum(len(s) for s in skip)
            del ids
            n = len(plan)

            def item(name, source, *path):
                return client.submit(task_item, source, *path,
                                     key="%s-%s-%s" % (name, run, "-".join(map(str, path))))

            # Partitioned reduces: piece r of every part's table goes to reduce task r.
            rep_maps = [client.submit(task_repeats, binary, units, skip[k], reduces, t,
                                      key="repeats-%s-%d" % (run, k))
                        for k, units in enumerate(plan)]
            rep_pieces = [[item("repeats-piece-%d" % k, m, r) for k, m in enumerate(rep_maps)]
                          for r in range(reduces)]
            rep_merged = [client.submit(task_table, binary, "repeats", "--merge", rep_pieces[r],
                                        ["--min-docs", "3"], key="repeats-merge-%s-%d" % (run, r))
                          for r in range(reduces)]
            repeats = client.submit(task_table, binary, "repeats", "--join", rep_merged,
                                    key="repeats-join-" + run)
            stage("repeats", [repeats])
            df_maps = [client.submit(task_df, binary, units, skip[k], repeats, reduces, t,
                                     key="df-%s-%d" % (run, k))
                       for k, units in enumerate(plan)]
            df_pieces = [[item("df-piece-%d" % k, m, r) for r in range(reduces)]
                         for k, m in enumerate(df_maps)]
            df_merged = [client.submit(task_table, binary, "df", "--merge",
                                       [df_pieces[k][r] for k in range(n)],
                                       key="df-merge-%s-%d" % (run, r))
                         for r in range(reduces)]
            df_own = [[client.submit(task_lookup, binary, df_merged[r], df_pieces[k][r],
                                     key="df-lookup-%s-%d-%d" % (run, k, r))
                       for r in range(reduces)] for k in range(n)]
            stage("df", [f for row in df_own for f in row])

            def total(futures):
                return sum(client.gather(client.map(
                    size_of, futures, key=["size-%s-%s" % (run, f.key) for f in futures])))

            stats["bytes"] = {
                "repeat_pieces": total([p for row in rep_pieces for p in row]),
                "repeats_table": total([repeats]),
                "df_pieces": total([p for row in df_pieces for p in row]),
                "df_lookups": total([p for row in df_own for p in row]),
            }
            del rep_maps, rep_pieces, rep_merged, df_maps, df_pieces, df_merged
            sketches = [client.submit(task_sketch, binary, units, skip[k], repeats, df_own[k], k,
                                      shuffle, t, key="sketch-%s-%d" % (run, k))
                        for k, units in enumerate(plan)]
            stage("sketch", sketches)

            features = [item("features-%d" % k, s, "features") for k, s in enumerate(sketches)]
            documents = [item("documents-%d" % k, s, "documents") for k, s in enumerate(sketches)]
            pieces = [[item("piece-%d" % k, s, "pieces", q) for k, s in enumerate(sketches)]
                      for q in range(shuffle)]
            candidates = [client.submit(task_candidates, binary, pieces[q], n,
                                        key="candidates-%s-%d" % (run, q))
                          for q in range(shuffle)]
            stage("candidates", candidates)
            owned = [[item("owned-%d" % q, c, "pairs", k) for q, c in enumerate(candidates)]
                     for k in range(n)]
            needs = [[item("needs-%d" % q, c, "needs", j) for q, c in enumerate(candidates)]
                     for j in range(n)]
            selections = [client.submit(task_select, binary, features[j], needs[j], n,
                                        key="select-%s-%d" % (run, j)) for j in range(n)]
            stage("select", selections)
            received = [[item("received-%d" % j, selections[j], k) for j in range(n) if j != k]
                        for k in range(n)]
            pairs = [client.submit(task_verify, binary, features[k], received[k], owned[k],
                                   args.threshold, t, key="verify-%s-%d" % (run, k))
                     for k in range(n)]
            stage("verify", pairs)
            stats["bytes"].update({
                "key_pieces": total([p for row in pieces for p in row]),
                "candidate_pairs": total([p for row in owned for p in row]),
                "feature_requests": total([p for row in needs for p in row]),
                "features_sent": total([p for row in received for p in row]),
                "features_kept": total(features),
            })
            # What may cross the network (a task placed where its input is moves nothing):
            # the repeats table goes to every df and sketch task, a df piece to its merge and
            # to its lookup; features_kept stays with its part.
            b = stats["bytes"]
            stats["shuffled_bytes"] = (b["repeat_pieces"] + 2 * n * b["repeats_table"] +
                                       2 * b["df_pieces"] + b["df_lookups"] + b["key_pieces"] +
                                       b["candidate_pairs"] + b["feature_requests"] +
                                       b["features_sent"])
            pairs_data = client.gather(pairs)
            documents_data = client.gather(documents)
            del sketches, pieces, candidates, owned, needs, selections, received, pairs
            del features, documents, repeats, df_own
        else:
            pairs_data, documents_data = [], []
        stats["pairs_bytes"] = sum(len(p) for p in pairs_data)
        stage_dir = args.keep_stages or tempfile.mkdtemp(prefix="claimdiff-stages-")
        os.makedirs(stage_dir, exist_ok=True)
        try:
            for q, data in enumerate(pairs_data):
                _write(stage_dir, "pairs-%06d.cdpr" % q, data)
            for k, data in enumerate(documents_data):
                _write(stage_dir, "part-%06d.cdsd" % k, data)
            stats["spans"] = sum(_span_count(d) for d in documents_data)
            begin = time.monotonic()
            argv = [binary, "cluster", "--stages", stage_dir, "--threshold", repr(args.threshold),
                    "--format", args.format, "--threads", str(args.cluster_threads), "-o",
                    args.output] + list(args.paths)
            if stdin_file is not None:
                with open(stdin_file, "rb") as f:  # read again as "-", as compare reads it
                    code = subprocess.call(argv, stdin=f)
            else:
                code = subprocess.call(argv)
            stats["stages"]["cluster"] = round(time.monotonic() - begin, 3)
            log("%-11s %7.2f s" % ("cluster", stats["stages"]["cluster"]))
        finally:
            if not args.keep_stages:
                shutil.rmtree(stage_dir, ignore_errors=True)
        stats["total_s"] = round(time.monotonic() - started, 3)
        if stats.get("spans"):
            stats["shuffled_bytes_per_span"] = round(stats.get("shuffled_bytes", 0) /
                                                     stats["spans"], 1)
        if args.stats:
            with open(args.stats, "w") as f:
                json.dump(stats, f, indent=1)
        return code
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        for spool in spools:
            shutil.rmtree(spool, ignore_errors=True)


def _span_count(documents):
    """Spans listed in a part's documents (CDSD: magic, version, part, count, entries)."""
    import struct
    (count,) = struct.unpack_from("<Q", documents, 12)
    pos, spans = 20, 0
    for _ in range(count):
        n, size = struct.unpack_from("<II", documents, pos)
        spans += n
        pos += 8 + size
    return spans


if __name__ == "__main__":
    sys.exit(main())
