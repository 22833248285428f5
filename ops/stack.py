"""The team deployment on one machine: PostgreSQL + PostGIS, N Streamlit replicas sharing one cookie
secret, nginx in front, and a supervisor that probes every replica's ``/_stcore/health``, takes a dead
or silent one out of nginx, restarts it and puts it back. Everything is stopped by its pid.

``python -m ops.stack`` (``bash scripts/team.sh``) runs it until Ctrl-C; the tests and the benchmarks
call :func:`start_stack`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ops.nginx import Nginx, Upstream, start_nginx
from ops.ports import free_port
from ops.postgres import Cluster, start_cluster, temporary_root
from ops.replicas import ROOT, Replica, ReplicaFailed, healthy, new_cookie_secret, start_replicas

PROBE_S = 1.0  # the supervisor's period
FAILURES_BEFORE_OUT = 2  # failed probes of a living replica before it is taken out (a dead one: at once)
HUNG_S = 60.0  # a replica out for so long without answering is restarted even if its process lives


@dataclass
class Supervisor:
    """Probes the replicas; takes out of nginx, restarts and puts back the ones that fail.

    ``events`` records what it did: ``(monotonic time, "out" | "restarted" | "back", replica index)``.
    """

    replicas: list[Replica]
    nginx: Nginx
    extra_upstreams: tuple[str, ...] = ()
    period_s: float = PROBE_S
    restart: bool = True
    events: list[tuple[float, str, int]] = field(default_factory=list)
    _out: set[int] = field(default_factory=set)
    _failures: dict[int, int] = field(default_factory=dict)
    _since: dict[int, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def upstreams(self) -> list[Upstream]:
        own = [Upstream(r.address, down=r.index in self._out) for r in self.replicas]
        return own + [Upstream(a) for a in self.extra_upstreams]

    def probe_once(self) -> None:
        """One round: every replica probed; one that fails is taken out of nginx (reload), restarted
        when its process is gone (or hung for :data:`HUNG_S`), and put back once healthy again."""
        now = time.monotonic()
        for replica in self.replicas:
            i = replica.index
            if replica.alive() and healthy(replica.url, timeout=2):
                self._failures[i] = 0
                if i in self._out:
                    self._out.discard(i)
                    self._change("back", i)
                continue
            self._failures[i] = self._failures.get(i, 0) + 1
            dead = not replica.alive()
            if i not in self._out and (dead or self._failures[i] >= FAILURES_BEFORE_OUT):
                self._out.add(i)
                self._since[i] = now
                self._change("out", i)
            hung = now - self._since.get(i, now) > HUNG_S
            if self.restart and i in self._out and (dead or hung):
                replica.stop(timeout=5)
                replica.start()
                self._since[i] = now
                self.events.append((time.monotonic(), "restarted", i))

    def _change(self, what: str, index: int) -> None:
        self.events.append((time.monotonic(), what, index))
        self.nginx.reload(self.upstreams())

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            try:
                self.probe_once()
            except (OSError, ReplicaFailed) as error:  # never let the supervisor die
                print(f"superviseur : {error}", file=sys.stderr)

    def start(self) -> Supervisor:
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


@dataclass
class Stack:
    """A running team deployment (see :func:`start_stack`)."""

    root: Path
    database_url: str
    cookie_secret: str
    replicas: list[Replica]
    nginx: Nginx | None
    supervisor: Supervisor | None
    cluster: Cluster | None = None
    own_root: bool = False

    @property
    def url(self) -> str:
        """Where the users go: nginx, or the first replica without it."""
        return self.nginx.url if self.nginx else self.replicas[0].url

    def pids(self) -> dict[str, int]:
        """The pid of everything the stack started."""
        pids = {f"replica-{r.index}": r.pid for r in self.replicas}
        if self.nginx:
            pids["nginx"] = self.nginx.pid
        if self.cluster:
            pids["postgres"] = self.cluster.pid
        return pids

    def stop(self) -> None:
        """Stop the supervisor, nginx, the replicas and PostgreSQL, each by its pid."""
        if self.supervisor:
            self.supervisor.stop()
        if self.nginx:
            self.nginx.stop()
        for replica in self.replicas:
            replica.stop()
        if self.cluster:
            self.cluster.stop()
        if self.own_root:
            shutil.rmtree(self.root, ignore_errors=True)


def start_stack(
    replicas: int | None = None,
    *,
    port: int | None = None,
    host: str = "127.0.0.1",
    replica_host: str = "127.0.0.1",
    replica_ports: list[int] | None = None,
    root: Path | None = None,
    database_url: str | None = None,
    prepare_database: Callable[[str], None] | None = None,
    cookie_secret: str | None = None,
    secrets_file: Path | None = None,
    extra_env: dict[str, str] | None = None,
    extra_upstreams: tuple[str, ...] = (),
    nginx: bool = True,
    supervise: bool = True,
    tls: tuple[str, str] | None = None,
) -> Stack:
    """Start the team deployment; return it once nginx and every replica answer.

    Parameters
    ----------
    replicas
        Number of Streamlit processes (default: one per core).
    port
        nginx's port (default: a free one), on ``host`` (loopback by default).
    replica_host, replica_ports
        Where the replicas listen (loopback and free ports by default; another host's nginx needs
        them on a network address and known ports).
    database_url
        An existing PostgreSQL with PostGIS (replicas on several hosts share it); by default a
        cluster of our own is started in ``root`` (unix socket only) with a database ``fabt``.
    prepare_database
        Called with the database URL before the replicas start (publish the marts there:
        ``python -m etl build``).
    cookie_secret
        Shared by every replica (default: a new random one).
    extra_upstreams
        Replicas started elsewhere (``host:port``), served by nginx too (not supervised here).

    Raises
    ------
    ops.postgres.PostgresUnavailable, ops.nginx.NginxUnavailable, ops.replicas.ReplicaFailed
        What could not start (whatever was started is stopped first).
    """
    count = replicas or os.cpu_count() or 1
    own_root = root is None
    root = Path(root) if root else temporary_root("fabt-equipe-")
    root.mkdir(parents=True, exist_ok=True)
    if own_root:
        root.chmod(0o755)  # PostgreSQL runs as its own user, nginx's workers too
    stack = Stack(root, database_url or "", cookie_secret or new_cookie_secret(), [], None, None, own_root=own_root)
    try:
        if not database_url:
            stack.cluster = start_cluster(root / "postgres", port=free_port())
            exists = stack.cluster.psql("SELECT 1 FROM pg_database WHERE datname = 'fabt'").strip()
            stack.database_url = (
                stack.cluster.url("fabt") if exists else stack.cluster.create_database("fabt", extensions=("postgis",))
            )
        if prepare_database is not None:
            prepare_database(stack.database_url)
        ports = replica_ports or [free_port() for _ in range(count)]
        stack.replicas = start_replicas(
            count,
            root,
            stack.database_url,
            stack.cookie_secret,
            ports,
            host=replica_host,
            secrets_file=secrets_file,
            extra_env=extra_env,
        )
        if nginx:
            upstreams = [Upstream(r.address) for r in stack.replicas] + [Upstream(a) for a in extra_upstreams]
            stack.nginx = start_nginx(root / "nginx", port or free_port(), upstreams, host=host, tls=tls)
            if supervise:
                stack.supervisor = Supervisor(stack.replicas, stack.nginx, tuple(extra_upstreams)).start()
    except BaseException:
        stack.stop()
        raise
    return stack


def publish_with_etl(url: str) -> None:
    """Build the marts if needed and publish them into ``url`` (``python -m etl build``)."""
    env = {**os.environ, "FABT_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "etl", "build"], cwd=ROOT, env=env, check=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m ops.stack``: start the team deployment and keep it up until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m ops.stack", description="Déploiement en équipe")
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 1, help="processus Streamlit")
    parser.add_argument("--port", type=int, default=8080, help="port de nginx")
    parser.add_argument("--listen", default="127.0.0.1", help="adresse de nginx (0.0.0.0 pour le réseau)")
    parser.add_argument("--database-url", help="PostgreSQL + PostGIS existant (sinon un cluster démarré ici)")
    parser.add_argument("--root", help="dossier de l'instance (défaut : data/equipe)")
    parser.add_argument("--secrets", help="fichier secrets.toml ([auth] de la connexion), le même pour toutes")
    parser.add_argument("--upstream", action="append", default=[], help="réplique d'un autre hôte, hôte:port")
    parser.add_argument("--no-nginx", action="store_true", help="répliques seules (hôte secondaire, sur --listen)")
    parser.add_argument("--replica-port", type=int, help="port de la première réplique (les suivantes : +1, +2…)")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="nginx termine TLS avec ce certificat")
    args = parser.parse_args(argv)
    root = Path(args.root) if args.root else ROOT / "data" / "equipe"
    secret_file = root / "cookie_secret"
    root.mkdir(parents=True, exist_ok=True)
    if os.environ.get("FABT_COOKIE_SECRET"):
        secret = os.environ["FABT_COOKIE_SECRET"]
    elif secret_file.exists():
        secret = secret_file.read_text().strip()
    else:
        secret = new_cookie_secret()
        secret_file.touch(mode=0o600)
        secret_file.write_text(secret)
    stack = start_stack(
        args.replicas,
        port=args.port,
        host=args.listen,
        replica_host=args.listen if args.no_nginx else "127.0.0.1",
        replica_ports=[args.replica_port + i for i in range(args.replicas)] if args.replica_port else None,
        root=root,
        database_url=args.database_url,
        prepare_database=None if args.no_nginx else publish_with_etl,  # the host of nginx publishes the marts
        cookie_secret=secret,
        secrets_file=Path(args.secrets) if args.secrets else None,
        extra_upstreams=tuple(args.upstream),
        nginx=not args.no_nginx,
        tls=tuple(args.tls) if args.tls else None,
    )
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    replicas = ", ".join(r.address for r in stack.replicas)
    print(f"Déploiement en équipe : {stack.url} (répliques {replicas}) ; pids {stack.pids()}")
    print("Ctrl-C pour tout arrêter.")
    try:
        stopping.wait()
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
