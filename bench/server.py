"""A real dashboard server for the benchmarks and the browser tests: ``streamlit run`` on a free loopback
port, returned once it answers its health check."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ops.ports import free_port

ROOT = Path(__file__).resolve().parents[1]


def start_server(script: str, env: dict[str, str], extra: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run`` on a free loopback port; wait until it answers its health check."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        *(extra or []),
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start on {base}")
