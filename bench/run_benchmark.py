"""Scaling benchmark: the pipeline end to end on generated corpora of growing size.

    .venv/bin/python bench/run_benchmark.py                      # sizes 1000,10000,100000
    .venv/bin/python bench/run_benchmark.py --sizes 1000,10000

For each size: generate the corpus (cached under --work per size, seed and vocabulary),
run `python -m flows run --raw CORPUS --out OUT` as a user would, on an empty OUT; add
one new source and run again (the incremental run); then time typical DuckDB queries on
the warehouse views (median of --repeats). Results for the sizes run are merged into
bench/results.json, and bench/RESULTS.md and bench/scaling.svg are rewritten from it.

Peak memory is measured two ways, both Linux-only and dependency-free: the sum of the
resident sets of the whole process tree (the flow, its batch worker processes and
Prefect's temporary server), sampled from /proc every --poll seconds, and the exact
peak of the largest single process, from wait4().
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import duckdb  # noqa: E402
import generate_corpus  # noqa: E402  (a sibling script, not a package)

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PAGE = os.sysconf("SC_PAGE_SIZE")
EXTRA_DIR = "zz-incremental"   # where the incremental run's new source goes; removed afterwards
TARGETS = {"full_seconds_at_10000": 60.0, "incremental_seconds_at_10000": 10.0, "peak_mb_at_100000": 1536.0}

QUERIES = {
    "events per country per month": """
        select country_iso2, date_trunc('month', coalesce(event_date_start, published_date)) as month, count(*) as n
        from events group by all order by all""",
    "top perpetrators": """
        select perpetrator, count(*) as n_events, sum(killed_high) as killed
        from (select unnest(perpetrator_names) as perpetrator, killed_high from events)
        group by perpetrator order by n_events desc limit 20""",
    "competing claims joined to events": """
        select c.claimant_name, c.claim_type, e.event_type, e.location_name, e.country_iso2, e.killed_high
        from claims c join events e using (event_id)
        where c.competing order by e.killed_high desc nulls last""",
    "allegation network top edges": "select * from allegation_network order by n_allegations desc limit 25",
    "full-text ilike over documents.text": "select count(*) from documents where text ilike '%suicide bomber%'",
}


# --- measuring a child process ---------------------------------------------------------

def process_parents() -> dict[int, int]:
    """pid -> parent pid for every process visible in /proc."""
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    stat = f.read()
            except OSError:   # the process ended while we looked
                continue
            parents[int(entry.name)] = int(stat[stat.rindex(b")") + 2:].split()[1])
    return parents


def tree_memory(root: int) -> tuple[int, int]:
    """(RSS, PSS) bytes of `root` and all its descendants right now. RSS counts the pages
    processes share (the interpreter, polars, the reference data a worker forked with) once
    per process; PSS divides each shared page among its sharers, so the tree's PSS is the
    memory the run really takes."""
    parents = process_parents()
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    rss = pss = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                rss += int(f.read().split()[1]) * PAGE
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                pss += next(int(line.split()[1]) * 1024 for line in f if line.startswith(b"Pss:"))
        except (OSError, StopIteration):
            continue
    return rss, pss


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str], poll: float) -> dict:
    """Run `cmd`, returning wall time, exit code, output, and peak memory (tree sum and largest process)."""
    peak = [0, 0]
    done = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def sample():
        while not done.wait(poll):
            peak[:] = [max(a, b) for a, b in zip(peak, tree_memory(proc.pid))]

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # Read the pipes in threads so a chatty child never blocks; reap with wait4 for its rusage.
    out, err = [], []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((proc.stdout, out), (proc.stderr, err))]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    for r in readers:
        r.join()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall_seconds": round(wall, 3), "exit_code": proc.returncode, "stdout": "".join(out), "stderr": "".join(err),
            "peak_tree_rss_mb": round(peak[0] / 2**20, 1), "peak_tree_pss_mb": round(peak[1] / 2**20, 1),
            "peak_process_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2)}


def summary_numbers(stdout: str) -> dict:
    """The run's own duration and row counts, from the summary `python -m flows run` prints."""
    found = {}
    if m := re.search(r"finished in ([\d.]+) s", stdout):
        found["flow_seconds"] = float(m.group(1))
    if m := re.search(r"^sources: (.*)$", stdout, re.M):
        found["sources"] = {k: int(v) for v, k in re.findall(r"(\d+) (\w+)", m.group(1))}
    if m := re.search(r"^rows: (.*)$", stdout, re.M):
        found["rows"] = {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", m.group(1))}
    return found


# --- corpus ------------------------------------------------------------------------------

def corpus_dir(work: Path, n: int, seed: int, vocab: generate_corpus.Vocabulary) -> Path:
    return work / f"corpus-{n}-s{seed}-g{generate_corpus.GENERATOR_VERSION}-v{vocab.digest()}"


def cached_corpus(work: Path, n: int, seed: int, vocab: generate_corpus.Vocabulary) -> tuple[Path, dict]:
    """The corpus for (n, seed, vocabulary), generated unless a complete copy is cached.

    The summary is kept in a dot-file, which the pipeline ignores like any dot-file."""
    folder = corpus_dir(work, n, seed, vocab)
    marker = folder / ".corpus.json"
    shutil.rmtree(folder / EXTRA_DIR, ignore_errors=True)   # left over if an earlier run was killed
    if marker.is_file():
        return folder, {**json.loads(marker.read_text()), "cached": True}
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    summary = generate_corpus.generate(folder, n, seed, vocab)
    summary["generate_seconds"] = round(time.perf_counter() - started, 2)
    summary["sidecars"] = sum(1 for _ in folder.rglob("*.meta.json"))
    marker.write_text(json.dumps(summary, sort_keys=True))
    return folder, {**summary, "cached": False}


def add_one_source(corpus: Path, n: int, seed: int, vocab: generate_corpus.Vocabulary) -> Path:
    """Source number n (the next one) written to a side folder of the corpus; returns that folder."""
    extra = corpus / EXTRA_DIR
    extra.mkdir()
    text, _ = generate_corpus.article(vocab, seed, n)   # no sidecar: the run should read one new file
    (extra / f"{n:06d}_incremental.txt").write_text(text, encoding="utf-8")
    return extra


# --- queries -------------------------------------------------------------------------------

def time_queries(warehouse: Path, repeats: int) -> dict:
    """Median and all timings (ms) of each query over `repeats` runs, after one untimed warm-up."""
    results = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, sql in QUERIES.items():
            try:
                rows = len(con.sql(sql).fetchall())
                runs = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    con.sql(sql).fetchall()
                    runs.append(round((time.perf_counter() - started) * 1000, 2))
                results[name] = {"median_ms": statistics.median(runs), "runs_ms": runs, "rows": rows}
            except duckdb.Error as exc:   # a view another worker is still changing: report, go on
                results[name] = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    return results


# --- one size ---------------------------------------------------------------------------------

def pipeline_cmd(python: Path, raw: Path, out: Path) -> list[str]:
    return [str(python), "-m", "flows", "run", "--raw", str(raw), "--out", str(out)]


def measured_run(args, raw: Path, out: Path, env: dict, source_bytes: int, docs: int) -> dict:
    """One pipeline run with its throughput; a failed run (killed for memory, say) has `failed` set."""
    result = run_measured(pipeline_cmd(args.python, raw, out), args.project, env, args.poll)
    wall = result["wall_seconds"]
    found = {**{k: v for k, v in result.items() if k not in ("stdout", "stderr")}, **summary_numbers(result["stdout"]),
             "docs_per_second": round(docs / wall, 1), "mb_per_second": round(source_bytes / 2**20 / wall, 3)}
    if result["exit_code"] != 0:
        killed = " (killed by a signal: out of memory?)" if result["exit_code"] < 0 else ""
        found["failed"] = f"exit {result['exit_code']}{killed}: {result['stderr'].strip()[-500:]}"
    return found


def bench_size(n: int, args, vocab: generate_corpus.Vocabulary, env: dict) -> dict:
    """Full run, incremental run and query latencies for a corpus of n sources."""
    print(f"[{n}] corpus ...", flush=True)
    corpus, summary = cached_corpus(args.work, n, args.seed, vocab)
    out = args.work / f"out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    print(f"[{n}] full run on {corpus} ...", flush=True)
    full = measured_run(args, corpus, out, env, summary["bytes"], n)
    print(f"[{n}] full run: {full['wall_seconds']} s, peak tree PSS {full['peak_tree_pss_mb']} MB {full.get('failed', '')}",
          flush=True)
    record = {"n": n, "seed": args.seed, "measured_at": utc_now(), "load_average_before": os.getloadavg(),
              "corpus": {k: summary.get(k) for k in ("bytes", "sidecars", "generate_seconds", "cached", "vocabulary")},
              "full": full}
    if "failed" in full:
        return record
    extra = add_one_source(corpus, n, args.seed, vocab)
    try:
        incremental = measured_run(args, corpus, out, env, 0, 1)
    finally:
        shutil.rmtree(extra)
    print(f"[{n}] incremental run: {incremental['wall_seconds']} s", flush=True)
    queries = time_queries(out / "warehouse.duckdb", args.repeats)
    for name, q in queries.items():
        print(f"[{n}] query {name}: {q.get('median_ms', q.get('error'))} ms", flush=True)
    return {**record, "incremental": incremental, "queries": queries,
            "warehouse_mb": round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20, 1)}


# --- machine and reporting ----------------------------------------------------------------------

def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def command_output(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(python: Path, project: Path) -> dict:
    """What the numbers were measured on."""
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": cpu.group(1) if cpu else platform.processor(),
            "memory_gib": round(total_kb / 2**20, 1), "os": platform.platform(),
            "python": command_output([str(python), "-V"]), "date": utc_now(),
            "git_commit": command_output(["git", "rev-parse", "--short", "HEAD"]),
            "git_dirty": bool(command_output(["git", "status", "--porcelain", "--untracked-files=no"])),
            "project": "this repository" if project == ROOT else f"a copy at {project}"}


def merged(previous: dict, new_sizes: list[dict], machine_info: dict, argv: list[str]) -> dict:
    """Earlier results for sizes not rerun are kept, so 100k can be measured on its own."""
    by_n = {s["n"]: s for s in previous.get("sizes", [])}
    by_n.update({s["n"]: s for s in new_sizes})
    return {"machine": machine_info, "command": ".venv/bin/python bench/run_benchmark.py " + " ".join(argv),
            "sizes": [by_n[n] for n in sorted(by_n)]}


def target_rows(sizes: dict[int, dict]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for the three Scale targets."""
    def verdict(value, limit, n):
        if "failed" in sizes.get(n, {}).get("full", {}):
            return "NOT met (the run failed)"
        return "not measured" if value is None else ("met" if value < limit else "NOT met")
    full = sizes.get(10000, {}).get("full", {}).get("wall_seconds")
    inc = sizes.get(10000, {}).get("incremental", {}).get("wall_seconds")
    mem = sizes.get(100000, {}).get("full", {}).get("peak_tree_pss_mb")
    return [("10k sources end to end < 60 s", f"{full:.1f} s" if full else "-", verdict(full, TARGETS["full_seconds_at_10000"], 10000)),
            ("one source added to 10k < 10 s", f"{inc:.1f} s" if inc else "-", verdict(inc, TARGETS["incremental_seconds_at_10000"], 10000)),
            ("peak memory at 100k < 1.5 GB (PSS of the whole process tree)", f"{mem:,.0f} MB" if mem else "-", verdict(mem, TARGETS["peak_mb_at_100000"], 100000))]


def reproduce_command(results: dict) -> str:
    """The last command, with --sizes covering every size in the results (they may come from several runs)."""
    sizes = "--sizes " + ",".join(str(s["n"]) for s in results["sizes"])
    command = re.sub(r"--sizes[ =]\S+", sizes, results["command"])
    return command if sizes in command else f"{command} {sizes}"


def markdown(results: dict) -> str:
    """RESULTS.md: machine, targets, runs, queries, chart, and how to reproduce."""
    m, sizes = results["machine"], results["sizes"]
    lines = ["# Benchmark results", "",
             "Generated by `bench/run_benchmark.py`; see [README.md](README.md) for how to read it. "
             "The machine is shared with other jobs, so timings are noisy: the load average before each size is listed.", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB RAM, {m['os']}, {m['python']}. "
             f"Report written {m['date']}, when the repository was at {m['git_commit']}"
             f"{' plus uncommitted changes' if m['git_dirty'] else ''}; the pipeline ran from {m.get('project', 'this repository')}. "
             f"A warm-up run on the 5 sample sources took "
             f"{m.get('warm_up_seconds_on_samples', '-')} s (fixed costs: interpreter, imports, Prefect's server, reference data).", "",
             "## Targets (issue 9)", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {ok} |" for t, v, ok in target_rows({s["n"]: s for s in sizes})]
    lines += ["", "## End to end", "",
              "| sources | MB | full run s | docs/s | MB/s | flow s | CPU s | peak tree PSS MB | peak tree RSS MB "
              "| peak process RSS MB | +1 source s | +1 peak PSS MB | warehouse MB | load before | measured |",
              "|" + "---:|" * 15]
    for s in sizes:
        f, i = s["full"], s.get("incremental", {})
        lines.append(f"| {s['n']:,} | {s['corpus']['bytes'] / 2**20:.1f} | {f['wall_seconds']:.1f} | {f['docs_per_second']} "
                     f"| {f['mb_per_second']:.3f} | {f.get('flow_seconds', '-')} | {f['cpu_seconds']} "
                     f"| {f.get('peak_tree_pss_mb', '-')} | {f['peak_tree_rss_mb']} "
                     f"| {f['peak_process_rss_mb']} | {i.get('wall_seconds', '-')} | {i.get('peak_tree_pss_mb', '-')} "
                     f"| {s.get('warehouse_mb', '-')} | {' / '.join(f'{x:.1f}' for x in s['load_average_before'])} "
                     f"| {s['measured_at']} |")
    lines += [f"\n**The full run on {s['n']:,} sources failed**: {s['full']['failed']}" for s in sizes if "failed" in s["full"]]
    lines += ["", "Rows produced by the full run:", "", "| sources | " + " | ".join(ROW_TABLES) + " |",
              "|" + "---:|" * (len(ROW_TABLES) + 1)]
    for s in sizes:
        rows = s["full"].get("rows", {})
        lines.append(f"| {s['n']:,} | " + " | ".join(f"{rows.get(t, '-'):,}" if t in rows else "-" for t in ROW_TABLES) + " |")
    lines += ["", "## Query latency (median of the timed runs, ms)", "",
              "| query | " + " | ".join(f"{s['n']:,} sources" for s in sizes) + " |", "|---|" + "---:|" * len(sizes)]
    for name in QUERIES:
        cells = []
        for s in sizes:
            q = s.get("queries", {}).get(name, {})
            cells.append(f"{q['median_ms']:.1f} ({q['rows']} rows)" if "median_ms" in q else q.get("error", "-"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "## Scaling", "", "![time and memory against corpus size](scaling.svg)", "",
              "## Reproduce", "", "```sh", reproduce_command(results),
              ".venv/bin/python bench/generate_corpus.py --out /tmp/corpus-10k --n 10000 --seed 7   # a corpus alone",
              ".venv/bin/python -m flows run --raw /tmp/corpus-10k --out /tmp/out-10k               # the measured command",
              "```", "", "The queries:", ""]
    for name, sql in QUERIES.items():
        lines += [f"- {name}: `{' '.join(sql.split())}`"]
    return "\n".join(lines) + "\n"


ROW_TABLES = ("documents", "sentences", "mentions", "date_mentions", "events", "claims", "allegations")


def svg_chart(sizes: list[dict]) -> str:
    """Two log-log panels, wall time and peak memory against corpus size, with the targets dashed."""
    w, h, pad = 380, 280, 56
    panels = [("Wall time (s)", [("full run", "full", "wall_seconds", "#1f77b4"),
                                 ("+1 source", "incremental", "wall_seconds", "#ff7f0e")],
               [(10000, TARGETS["full_seconds_at_10000"], "60 s @10k"), (10000, TARGETS["incremental_seconds_at_10000"], "10 s @10k")]),
              ("Peak memory (MB)", [("process tree (PSS)", "full", "peak_tree_pss_mb", "#2ca02c"),
                                    ("largest process", "full", "peak_process_rss_mb", "#9467bd")],
               [(100000, TARGETS["peak_mb_at_100000"], "1.5 GB @100k")])]
    sizes = [s for s in sizes if "failed" not in s["full"]]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * w}" height="{h}" font-family="sans-serif" font-size="11">',
             f'<rect width="{2 * w}" height="{h}" fill="white"/>']
    xs = [s["n"] for s in sizes] or [1000]
    x_lo, x_hi = min(xs + [1000]) / 1.5, max(xs + [100000]) * 1.5
    for k, (title, series, targets) in enumerate(panels):
        values = [s[part][key] for _, part, key, _ in series for s in sizes] + [t[1] for t in targets]
        y_lo, y_hi = min(values) / 1.5, max(values) * 1.5
        x0, y0 = k * w + pad, h - pad

        def px(x, y):
            return (x0 + (w - pad - 16) * log_pos(x, x_lo, x_hi), y0 - (h - pad - 30) * log_pos(y, y_lo, y_hi))

        parts.append(f'<text x="{k * w + w / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>')
        parts.append(f'<line x1="{x0}" y1="{y0}" x2="{k * w + w - 16}" y2="{y0}" stroke="black"/>')
        parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="30" stroke="black"/>')
        for tick in log_ticks(x_lo, x_hi):
            tx, _ = px(tick, y_lo)
            parts.append(f'<text x="{tx:.1f}" y="{y0 + 14}" text-anchor="middle">{tick:,}</text>')
        for tick in log_ticks(y_lo, y_hi):
            _, ty = px(x_lo, tick)
            parts.append(f'<line x1="{x0 - 3}" y1="{ty:.1f}" x2="{k * w + w - 16}" y2="{ty:.1f}" stroke="#ddd"/>')
            parts.append(f'<text x="{x0 - 5}" y="{ty + 4:.1f}" text-anchor="end">{tick:g}</text>')
        parts.append(f'<text x="{x0 + (w - pad) / 2}" y="{h - 14}" text-anchor="middle">sources (log scale)</text>')
        for x, y, label in targets:
            tx, ty = px(x, y)
            parts.append(f'<line x1="{x0}" y1="{ty:.1f}" x2="{k * w + w - 16}" y2="{ty:.1f}" stroke="red" stroke-dasharray="4 3"/>')
            parts.append(f'<text x="{k * w + w - 18}" y="{ty - 3:.1f}" text-anchor="end" fill="red">target {label}</text>')
            parts.append(f'<circle cx="{tx:.1f}" cy="{ty:.1f}" r="5" fill="none" stroke="red"/>')
        for i, (label, part, key, colour) in enumerate(series):
            points = [px(s["n"], s[part][key]) for s in sizes]
            if len(points) > 1:
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                             + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
            parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in points]
            parts.append(f'<rect x="{x0 + 10}" y="{36 + 15 * i}" width="10" height="10" fill="{colour}"/>'
                         f'<text x="{x0 + 25}" y="{45 + 15 * i}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def log_pos(v: float, lo: float, hi: float) -> float:
    """Where v sits between lo and hi on a log scale, 0..1."""
    return (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))


def log_ticks(lo: float, hi: float) -> list[float]:
    """1, 2, 5 times powers of ten between lo and hi (only powers of ten when the range is wide)."""
    steps = (1, 2, 5) if math.log10(hi / lo) < 3 else (1,)
    return [m * 10 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
            for m in steps if lo <= m * 10 ** e <= hi]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query (median reported)")
    parser.add_argument("--poll", type=float, default=0.2, help="seconds between memory samples")
    parser.add_argument("--work", type=Path, default=BENCH / ".work", help="corpora, outputs and Prefect home")
    parser.add_argument("--python", type=Path, default=ROOT / ".venv" / "bin" / "python")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="folder to run `python -m flows` in and read the corpus names from (default this "
                             "repository); a frozen copy of flows/, sql/ and data/ measures one version while the "
                             "working tree changes")
    parser.add_argument("--results", type=Path, default=BENCH / "results.json")
    parser.add_argument("--fresh", action="store_true", help="drop earlier results instead of merging with them")
    parser.add_argument("--report-only", action="store_true", help="only rewrite RESULTS.md and scaling.svg from --results")
    args = parser.parse_args(argv)
    if args.report_only:
        write_reports(json.loads(args.results.read_text()), args.results)
        return 0
    args.work, args.project = args.work.resolve(), args.project.resolve()
    args.work.mkdir(parents=True, exist_ok=True)

    # Prefect's home inside the work folder, so its database is not shared with other runs on
    # the machine. A fresh home migrates its database on first start, which on a busy machine
    # can outlast Prefect's default 20 s server start-up timeout: allow more, then pay the
    # set-up once in a warm-up run on the sample sources rather than inside the first size.
    env = {"PREFECT_HOME": str(args.work / "prefect"), "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
           **os.environ}
    warm_up = measured_run(args, ROOT / "data" / "raw", args.work / "out-warm-up", env, 0, 1)
    if "failed" in warm_up:
        raise SystemExit(f"the pipeline does not run on data/raw: {warm_up['failed']}")
    shutil.rmtree(args.work / "out-warm-up")
    print(f"warm-up on data/raw: {warm_up['wall_seconds']} s", flush=True)
    vocab = generate_corpus.load_vocabulary(args.project / "data" / "reference")
    new = [bench_size(int(n), args, vocab, env) for n in args.sizes.split(",")]
    previous = {} if args.fresh or not args.results.is_file() else json.loads(args.results.read_text())
    results = merged(previous, new, {**machine(args.python, args.project), "warm_up_seconds_on_samples": warm_up["wall_seconds"]}, argv)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=1) + "\n")
    write_reports(results, args.results)
    return 0


def write_reports(results: dict, results_path: Path) -> None:
    """RESULTS.md and scaling.svg beside the results file."""
    (results_path.parent / "RESULTS.md").write_text(markdown(results))
    (results_path.parent / "scaling.svg").write_text(svg_chart(results["sizes"]))
    print(f"wrote {results_path}, RESULTS.md and scaling.svg beside it")


if __name__ == "__main__":
    sys.exit(main())
