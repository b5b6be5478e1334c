"""Prefect settings for a quiet, self-contained local run.

Set before Prefect is imported. Values the user already exported win, so pointing
PREFECT_API_URL at a real server (see the README) still works.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STATE_DIR = Path(__file__).resolve().parent.parent / ".state"

QUIET_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "DASK_DISTRIBUTED__LOGGING__DISTRIBUTED": "warning",
    # The temporary server's default 20 s start-up limit is exceeded on a loaded 2-core machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def configure_prefect(state_dir: Path = STATE_DIR) -> None:
    """Keep Prefect's home inside the project's ignored state, and its logs quiet."""
    home = Path(os.environ.setdefault("PREFECT_HOME", str(state_dir / "prefect")))
    home.mkdir(parents=True, exist_ok=True)
    for key, value in QUIET_DEFAULTS.items():
        os.environ.setdefault(key, value)


@contextmanager
def api_shared_with_workers() -> Iterator[None]:
    """Inside a flow run on Prefect's temporary server, point the batch worker processes at it.

    Prefect hands a process pool its explicitly set settings only, and the temporary server's
    address is not one: without this each worker starts a temporary server of its own (seconds
    of start-up and some 200 MB each). The variable is set only for the flow's duration.
    """
    if "PREFECT_API_URL" in os.environ:
        yield
        return
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        os.environ["PREFECT_API_URL"] = str(client.api_url)
    try:
        yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)
