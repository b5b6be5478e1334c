"""Scheduled runs: `python -m flows serve` runs on Prefect's schedule and picks up new sources."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import ROOT, SAMPLES

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def runs(out) -> list[tuple]:
    try:
        con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    except duckdb.IOException:
        return []
    try:
        return con.execute("select sources_seen, sources_added from runs where status = 'succeeded' order by started_at").fetchall()
    finally:
        con.close()


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(1)
    return False


def test_served_flow_runs_on_its_interval_and_picks_up_an_added_source(raw_dir, tmp_path):
    names = sorted(p.name for p in SAMPLES.iterdir())
    shutil.copy(SAMPLES / names[0], raw_dir / names[0])
    out = tmp_path / "out"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"),
           # a fast scheduler loop and runner poll, so a test needs seconds, not minutes
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2", "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    env.pop("PREFECT_API_URL", None)
    serve = subprocess.Popen([sys.executable, "-m", "flows", "serve", "--raw", str(raw_dir), "--out", str(out),
                              "--interval", "5", "--port", str(free_port())],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_for(lambda: (1, 1) in runs(out), 180), "no scheduled run published the first source"
        shutil.copy(SAMPLES / names[1], raw_dir / names[1])
        assert wait_for(lambda: (2, 1) in runs(out), 120), "the next scheduled run did not pick up the added source"
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
