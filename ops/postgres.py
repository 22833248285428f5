"""A PostgreSQL cluster of Debian's packages, started in a folder of our own and stopped by its pid.

Used by the team deployment (``scripts/team.sh``), the tests and the benchmarks. The server
listens only on a unix socket in the cluster's folder (no TCP port unless asked, and then on
loopback only). As root, PostgreSQL's tools run as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed, or the cluster would not start."""


def postgres_bindir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``/``postgres`` (Debian keeps them out of the PATH), or None."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def postgis_installed() -> bool:
    """Whether PostGIS is installed for the PostgreSQL of :func:`postgres_bindir` (Debian's
    ``postgresql-15-postgis-3``)."""
    bindir = postgres_bindir()
    if bindir is None:
        return False
    version = bindir.parent.name
    return bool(glob.glob(f"/usr/share/postgresql/{version}/extension/postgis.control"))


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs (an exited process not yet reaped by its parent — a zombie — does not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = next((line for line in status.splitlines() if line.startswith("State:")), "")
    return "Z" not in state.split(":", 1)[-1].split()[0:1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """``cmd`` run as the postgres user when we are root (initdb refuses to run as root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class Cluster:
    """A running cluster: its folder, socket folder, port and postmaster pid."""

    root: Path
    port: int
    pid: int
    listen_tcp: bool = False

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        """The SQLAlchemy URL of ``database`` (over the unix socket, or loopback TCP when listening)."""
        if self.listen_tcp:
            return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"
        return f"{driver}://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` with psql as the postgres user; its output."""
        cmd = ["psql", "-h", str(self.socket_dir), "-p", str(self.port), "-d", database, "-Atc", sql]
        done = subprocess.run(_as_postgres(cmd), capture_output=True, text=True, check=True)
        return done.stdout

    def create_database(self, name: str, extensions: tuple[str, ...] = ()) -> str:
        """Create database ``name`` (with ``extensions``, e.g. ``postgis``) and return its URL."""
        self.psql(f'CREATE DATABASE "{name}"')
        for extension in extensions:
            self.psql(f"CREATE EXTENSION IF NOT EXISTS {extension}", database=name)
        return self.url(name)

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the postmaster by its pid (fast shutdown), waiting for it to exit."""
        try:
            os.kill(self.pid, signal.SIGINT)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process_alive(self.pid):
                return
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)


def temporary_root(prefix: str = "fabt-pg-") -> Path:
    """A new folder directly under the system's temporary folder, which the postgres user can reach
    (a test's own temporary folder is usually closed to other users)."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=prefix))


def start_cluster(root: Path, port: int = 5432, listen_tcp: bool = False, timeout: float = 60.0) -> Cluster:
    """Create (if needed) and start a cluster in ``root``; return it once it accepts connections.

    Raises
    ------
    PostgresUnavailable
        PostgreSQL is not installed (``bash scripts/setup.sh`` installs it) or did not start (its log
        is quoted).
    """
    bindir = postgres_bindir()
    if bindir is None:
        raise PostgresUnavailable("PostgreSQL n'est pas installé : lancez bash scripts/setup.sh (paquet postgresql).")
    root = Path(root)
    data, socket_dir, log = root / "data", root / "socket", root / "postgres.log"
    root.mkdir(parents=True, exist_ok=True)
    socket_dir.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket_dir, "postgres")
        if subprocess.run(_as_postgres(["test", "-w", str(root)])).returncode != 0:
            raise PostgresUnavailable(
                f"L'utilisateur postgres ne peut pas écrire dans {root} (un dossier parent lui est fermé) : "
                "choisissez un dossier sous /tmp ou /var/lib (voir temporary_root)."
            )
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            _as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
    options = f"-k {socket_dir} -p {port} -c listen_addresses={'127.0.0.1' if listen_tcp else chr(39) * 2}"
    started = subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                str(int(timeout)),
                "start",
            ]
        ),
        capture_output=True,
        text=True,
    )
    pid_file = data / "postmaster.pid"
    if started.returncode != 0 or not pid_file.exists():
        tail = log.read_text(errors="replace")[-1500:] if log.exists() else started.stderr
        raise PostgresUnavailable(f"PostgreSQL n'a pas démarré dans {root} : {tail}")
    pid = int(pid_file.read_text().splitlines()[0])
    return Cluster(root, port, pid, listen_tcp)
