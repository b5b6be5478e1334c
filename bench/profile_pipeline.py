"""Profile one in-process pipeline run and print where the time goes.

    .venv/bin/python bench/profile_pipeline.py --raw bench/.work/corpus-1000-s7-... --out /tmp/profile-out

Prefect runs the flow's tasks in worker threads (or processes), which pyinstrument and
cProfile do not see from the main thread. So this samples the stacks of every thread
of the process (sys._current_frames) every --interval seconds, and asks the pipeline
for its in-process runner (runner="thread") where it offers one. No dependency.

A thread counts only when its CPU clock advanced since the previous sample, so threads
waiting on a lock, a future, a child process or the network are left out and the shares
are of CPU time (Linux: per-thread CPU clocks). Two tables come out: functions by own
time (the frame on top of the stack; time in C code such as the regex engine counts to
the Python function that called it) and the project's functions (flows/) by inclusive
time (anywhere on the stack). The output folder is emptied first, so the run is a full
one, unless --keep-out: then it is a re-run on that folder's last snapshot (profile an
incremental run by pointing --out at a copy of a benchmark output, bench/.work/out-N).
"""

from __future__ import annotations

import argparse
import collections
import inspect
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUSY_SHARE = 0.1   # busy: on a CPU for at least this share of the interval (low, as the machine may be loaded)


class StackSampler:
    """Counts, for every thread but its own, the function on top of the stack and every function on it."""

    def __init__(self, interval: float):
        self.interval, self.samples = interval, 0
        self.own: collections.Counter = collections.Counter()
        self.inclusive: collections.Counter = collections.Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        me, cpu_before = threading.get_ident(), {}
        while not self._stop.wait(self.interval):
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                try:
                    cpu = time.clock_gettime(time.pthread_getcpuclockid(ident))
                except OSError:   # the thread ended meanwhile
                    continue
                if cpu - cpu_before.get(ident, cpu) >= BUSY_SHARE * self.interval:
                    self._record(frame)
                cpu_before[ident] = cpu

    def _record(self, frame):
        self.samples += 1
        self.own[where(frame)] += 1
        seen = set()
        while frame is not None:
            seen.add(where(frame))
            frame = frame.f_back
        self.inclusive.update(seen)


def where(frame) -> tuple[str, str, int]:
    """(function, file relative to the project or site-packages, first line)."""
    code = frame.f_code
    path = code.co_filename
    for marker in ("site-packages/", "/flows/", "/bench/"):
        if marker in path:
            path = path[path.index(marker):].lstrip("/")
            break
    return code.co_qualname, path, code.co_firstlineno


def report(sampler: StackSampler, seconds: float, top: int, title: str) -> str:
    """The two tables, as plain text."""
    n = max(sampler.samples, 1)
    lines = [title, f"{sampler.samples} busy samples in a {seconds:.1f} s run (every {sampler.interval * 1000:.0f} ms, all threads)", "",
             f"Top {top} by own time (share of busy samples):"]
    lines += [f"  {count / n:6.1%}  {name}  ({path}:{line})" for (name, path, line), count in sampler.own.most_common(top)]
    lines += ["", f"Top {top} project functions (flows/) by inclusive time:"]
    ours = [(k, c) for k, c in sampler.inclusive.most_common() if k[1].startswith("flows/")]
    lines += [f"  {count / n:6.1%}  {name}  ({path}:{line})" for (name, path, line), count in ours[:top]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, required=True, help="corpus folder (see generate_corpus.py)")
    parser.add_argument("--out", type=Path, required=True, help="scratch output folder (emptied first)")
    parser.add_argument("--project", type=Path, default=ROOT, help="project folder whose flows/ to profile")
    parser.add_argument("--report", type=Path, default=ROOT / "bench" / "profile.txt", help="where to write the report")
    parser.add_argument("--interval", type=float, default=0.005, help="seconds between samples")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--keep-out", action="store_true", help="re-run on the existing output instead of emptying it")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(args.project.resolve()))
    from flows.pipeline import run_pipeline   # imported before timing: import cost is not the pipeline's

    options = {"runner": "thread"} if "runner" in inspect.signature(run_pipeline).parameters else {}
    if not args.keep_out:
        shutil.rmtree(args.out, ignore_errors=True)
    started = time.perf_counter()
    with StackSampler(args.interval) as sampler:
        run_pipeline(args.raw, args.out, **options)
    title = f"run_pipeline({args.raw}, {args.out}, {options}){' on the existing output' if args.keep_out else ''}"
    text = report(sampler, time.perf_counter() - started, args.top, title)
    args.report.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
