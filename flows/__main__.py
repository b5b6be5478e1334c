"""Command line: `python -m flows run --raw data/raw --out data/processed`.

Exit codes: 0 when the run completed (rejected sources included), 1 when it could not
complete (the reason on stderr), 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def summary_text(summary) -> str:
    """The one-screen report printed at the end of a run."""
    c = summary.counts
    lines = [
        f"run {summary.run_id} finished in {summary.seconds:.1f} s -> {summary.out_dir / 'warehouse.duckdb'}",
        f"sources: {c['seen']} seen, {c['added']} added, {c['changed']} changed, {c['removed']} removed, "
        f"{c['unchanged']} unchanged, {c['rejected']} rejected",
        "rows: " + ", ".join(f"{name} {n}" for name, n in summary.rows.items()
                             if name not in ("manifest", "runs", "rejected_sources")),
        "seconds: " + ", ".join(f"{stage} {s:.1f}" for stage, s in
                                {"start-up": summary.seconds - sum(summary.stages.values()), **summary.stages}.items()),
    ]
    for path, reason, detail in summary.rejected.select("source_path", "reason", "detail").head(10).iter_rows():
        lines.append(f"  rejected {path}: {reason} ({detail})")
    if summary.rejected.height > 10:
        lines.append(f"  ... and {summary.rejected.height - 10} more: select * from rejected_sources")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the pipeline once on a folder of sources")
    run.add_argument("--raw", type=Path, default=Path("data/raw"), help="folder of sources (default data/raw)")
    run.add_argument("--out", type=Path, default=Path("data/processed"), help="output folder (default data/processed)")
    run.add_argument("--max-bytes", type=int, default=None, help="reject sources larger than this (default 20 MiB)")
    run.add_argument("--batch-size", type=int, default=None, help="documents per extraction batch")
    run.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another run on the same --out")
    run.add_argument("--runner", choices=["auto", "process", "thread", "dask"], default="auto",
                     help="where extraction batches run (default: processes when there are many sources)")
    run.add_argument("--workers", type=int, default=None, help="processes (or Dask workers) for the batches")
    run.add_argument("--address", help="a Dask scheduler address for --runner dask, e.g. tcp://10.0.0.5:8786")
    serve = commands.add_parser("serve", help="run on a schedule (starts a local Prefect server unless PREFECT_API_URL is set)")
    serve.add_argument("--raw", type=Path, default=Path("data/raw"))
    serve.add_argument("--out", type=Path, default=Path("data/processed"))
    when = serve.add_mutually_exclusive_group()
    when.add_argument("--cron", help='a cron schedule, e.g. "0 2 * * *" (nightly at 02:00)')
    when.add_argument("--interval", type=float, help="seconds between runs (default 86400)")
    serve.add_argument("--host", default="127.0.0.1", help="where the local Prefect server listens")
    serve.add_argument("--port", type=int, default=4200)
    dictionary = commands.add_parser("dictionary", help="write the data dictionary generated from the pandera models")
    dictionary.add_argument("--out", type=Path, default=Path("docs/DATA_DICTIONARY.md"))
    args = parser.parse_args(argv)

    if args.command == "dictionary":
        from flows.dictionary import data_dictionary

        args.out.write_text(data_dictionary(), encoding="utf-8")
        print(f"wrote {args.out}")
        return 0

    if args.command == "serve":
        from flows.schedule import serve as serve_on_schedule

        serve_on_schedule(args.raw, args.out, cron=args.cron, interval=args.interval or (None if args.cron else 86400.0),
                          host=args.host, port=args.port)
        return 0

    from flows.pipeline import DEFAULT_BATCH_SIZE, DEFAULT_MAX_BYTES, DEFAULT_WORKERS, run_pipeline

    try:
        summary = run_pipeline(args.raw, args.out, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
                               batch_size=args.batch_size or DEFAULT_BATCH_SIZE, wait_seconds=args.wait,
                               runner=args.runner, workers=args.workers or DEFAULT_WORKERS, address=args.address)
    except Exception as exc:  # the run could not complete: say why, exit non-zero
        print(f"run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(summary_text(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
