"""The dashboard's replicas: ``streamlit run dashboard.py`` processes on loopback ports, each with a data
folder of its own, sharing only the database URL and one cookie secret (what replicas on several hosts
would share too); started and stopped by their pid.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ops.postgres import process_alive
from ops.processes import stop_process

ROOT = Path(__file__).resolve().parent.parent
HEALTH_PATH = "/_stcore/health"


class ReplicaFailed(RuntimeError):
    """A replica did not answer its health check in time (its log is quoted)."""


def new_cookie_secret() -> str:
    """A random secret for the session and sign-in cookies, shared by every replica."""
    return secrets.token_urlsafe(32)


def healthy(base: str, timeout: float = 2.0) -> bool:
    """Whether the server at ``base`` answers ``/_stcore/health`` with 200."""
    try:
        with urllib.request.urlopen(base + HEALTH_PATH, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Replica:
    """One replica: its number, loopback port, data folder, process (its pid) and log."""

    index: int
    host: str
    port: int
    data_dir: Path
    env: dict[str, str]
    extra: tuple[str, ...] = ()
    proc: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"

    @property
    def pid(self) -> int:
        return self.proc.pid if self.proc else 0

    @property
    def log(self) -> Path:
        return self.data_dir / "streamlit.log"

    def start(self) -> Replica:
        """Start the process (a new one with a new pid; the same port and folder)."""
        for name in ("marts", "cache", "raw"):
            (self.data_dir / name).mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.headless",
            "true",
            "--server.address",
            self.host,
            "--server.port",
            str(self.port),
            "--browser.gatherUsageStats",
            "false",
            *self.extra,
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and process_alive(self.pid)

    def wait_healthy(self, timeout: float = 90.0) -> None:
        """Return once the replica answers its health check.

        Raises
        ------
        ReplicaFailed
            It exited or did not answer within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                break
            if healthy(self.url, timeout=2):
                return
            time.sleep(0.2)
        tail = self.log.read_text(errors="replace")[-1500:] if self.log.exists() else ""
        raise ReplicaFailed(f"La réplique {self.index} ({self.address}) ne répond pas : {tail}")

    def kill(self) -> None:
        """SIGKILL, as a crash would (tests)."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the process by its pid (SIGTERM, then SIGKILL if it lingers)."""
        if self.proc is not None:
            stop_process(self.proc, signal.SIGTERM, timeout)


def replica_env(
    data_dir: Path,
    database_url: str,
    cookie_secret: str,
    *,
    base: dict[str, str] | None = None,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a replica: the shared database and cookie secret, its own data folders."""
    env = dict(os.environ if base is None else base)
    env.update(
        {
            "FABT_DATABASE_URL": database_url,
            "FABT_MARTS_DIR": str(data_dir / "marts"),  # empty: the marts come from PostGIS
            "FABT_CACHE_DIR": str(data_dir / "cache"),
            "FABT_RAW_DIR": str(data_dir / "raw"),
            "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
        }
    )
    env.update(extra or {})
    return env


def start_replicas(
    count: int,
    root: Path,
    database_url: str,
    cookie_secret: str,
    ports: list[int],
    *,
    host: str = "127.0.0.1",
    secrets_file: Path | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = 90.0,
) -> list[Replica]:
    """Start ``count`` replicas on ``ports`` (folders ``root/replica-<i>``), all at once; return them
    once every one answers its health check (those started are stopped if one fails)."""
    replicas = []
    for index, port in enumerate(ports[:count], start=1):
        data_dir = Path(root) / f"replica-{index}"
        env = replica_env(data_dir, database_url, cookie_secret, extra=extra_env)
        # The secrets ([auth] of the sign-in) from this file only, the same on every replica.
        flags = ("--secrets.files", str(secrets_file)) if secrets_file is not None else ()
        replicas.append(Replica(index, host, port, data_dir, env, flags).start())
    try:
        with ThreadPoolExecutor(len(replicas)) as pool:
            list(pool.map(lambda r: r.wait_healthy(timeout), replicas))
    except ReplicaFailed:
        for replica in replicas:
            replica.stop()
        raise
    return replicas
