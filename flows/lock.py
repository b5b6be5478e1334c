"""One run at a time per output folder (an advisory lock on OUT/.lock)."""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


class OutputBusy(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def output_lock(out_dir: Path, wait_seconds: float = 0.0, poll_seconds: float = 0.2) -> Iterator[None]:
    """Hold OUT/.lock for the block; wait up to wait_seconds for another run, then stop clearly.

    The kernel releases the lock when its holder dies, so a killed run never blocks the next.
    """
    path = out_dir / ".lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = path.read_text(encoding="utf-8").strip() or "another process"
                    raise OutputBusy(f"{out_dir} is in use by a run ({holder}); "
                                     f"wait for it to finish or pass --wait SECONDS") from None
                time.sleep(poll_seconds)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}".encode())
        yield
    finally:
        os.close(fd)
