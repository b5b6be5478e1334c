"""Scheduled runs with Prefect's own schedules: `python -m flows serve --cron "0 2 * * *"`.

Prefect refuses schedules on its temporary server, so unless PREFECT_API_URL already
points at a server (yours, or Prefect Cloud), `serve` starts `prefect server start` on
loopback, waits for it to answer, and serves the flow against it until interrupted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from prefect import flow

from flows.pipeline import DEFAULT_MAX_BYTES, run_pipeline

SERVER_START_SECONDS = 120


@flow(name="scheduled-pipeline")
def scheduled_pipeline(raw: str, out: str, wait_seconds: float = 600.0, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """One scheduled run: the same run as `python -m flows run`, waiting for a run already under way."""
    summary = run_pipeline(Path(raw), Path(out), max_bytes=max_bytes, wait_seconds=wait_seconds)
    return {"run_id": summary.run_id, **summary.counts}


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def local_server(host: str, port: int) -> Iterator[str]:
    """A `prefect server start` on loopback for the duration of the block; yields its API URL."""
    api_url = f"http://{host}:{port}/api"
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _healthy(api_url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not start on {host}:{port}")
            time.sleep(0.5)
        yield api_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def serve(raw: Path, out: Path, *, cron: str | None, interval: float | None, host: str, port: int) -> None:
    """Serve the pipeline on a schedule until interrupted."""
    parameters = {"raw": str(raw.resolve()), "out": str(out.resolve())}
    schedule = {"cron": cron} if cron else {"interval": interval}

    def serve_here() -> None:
        scheduled_pipeline.serve(name="extremism-pipeline", parameters=parameters, **schedule)

    if os.environ.get("PREFECT_API_URL"):
        serve_here()
        return
    with local_server(host, port) as api_url:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        # In the environment too: the runner starts each flow run as a child process.
        os.environ["PREFECT_API_URL"] = api_url
        print(f"Prefect server at {api_url.removesuffix('/api')}; serving {schedule} on {raw} -> {out}", flush=True)
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            serve_here()
