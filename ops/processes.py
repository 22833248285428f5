"""Stopping what we started: by its pid, first politely, then for good."""

from __future__ import annotations

import os
import signal
import subprocess


def stop_process(proc: subprocess.Popen, first: int = signal.SIGTERM, timeout: float = 10.0) -> None:
    """Send ``first`` to ``proc`` (by its pid) and wait; SIGKILL if it has not exited within ``timeout``."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, first)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
