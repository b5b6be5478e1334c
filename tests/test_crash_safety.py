"""A run killed at any moment leaves the published warehouse whole; the next run recovers."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import polars as pl
import psutil
import pytest

from conftest import ROOT, SAMPLES
from flows.schemas import TABLES

pytestmark = pytest.mark.e2e

KILL_AFTER_SECONDS = (0.5, 2.0, 4.0, 5.5, 6.5, 7.5)
PER_DOCUMENT = ("sentences", "mentions", "date_mentions", "events", "event_mentions", "claims", "allegations")


def command(raw, out) -> list[str]:
    return [sys.executable, "-m", "flows", "run", "--raw", str(raw), "--out", str(out)]


def assert_whole(out) -> int:
    """The warehouse opens, every view answers, and no row points to a missing document."""
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    try:
        for view in TABLES:
            con.execute(f"select count(*) from {view}").fetchone()
        for view in PER_DOCUMENT:
            orphans = con.execute(f"select count(*) from {view} where doc_id not in (select doc_id from documents)").fetchone()
            assert orphans == (0,), view
        return con.execute("select count(*) from documents").fetchone()[0]
    finally:
        con.close()


def tables(out) -> dict[str, pl.DataFrame]:
    found = {name: pl.read_parquet(out / name / "*.parquet") for name in TABLES if name not in ("runs", "rejected_sources")}
    found["documents"] = found["documents"].drop("ingested_at")
    return found


def test_killed_runs_leave_the_warehouse_whole_and_the_next_run_recovers(tmp_path):
    names = sorted(p.name for p in SAMPLES.iterdir())
    raw, out, clean = tmp_path / "raw", tmp_path / "out", tmp_path / "clean"
    raw.mkdir()
    for name in names[:2]:
        shutil.copy(SAMPLES / name, raw / name)
    assert subprocess.run(command(raw, out), cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    for name in names[2:]:
        shutil.copy(SAMPLES / name, raw / name)
    for delay in KILL_AFTER_SECONDS:
        run = subprocess.Popen(command(raw, out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        # Prefect's temporary server outlives a SIGKILLed parent: stop it once the run is killed.
        children = psutil.Process(run.pid).children(recursive=True)
        run.send_signal(signal.SIGKILL)
        run.wait()
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        assert assert_whole(out) in (2, len(names)), f"killed after {delay} s"
    assert subprocess.run(command(raw, out), cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    assert subprocess.run(command(raw, clean), cwd=ROOT, capture_output=True, timeout=300).returncode == 0
    assert assert_whole(out) == len(names)
    recovered, expected = tables(out), tables(clean)
    for name in expected:
        assert recovered[name].sort(recovered[name].columns).equals(expected[name].sort(expected[name].columns)), name
