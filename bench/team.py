"""Team mode: the load harness through nginx with 1 then 2 replicas, and a replica's first read of the
marts from PostGIS.

The stack is the one of ``scripts/team.sh`` (:func:`ops.stack.start_stack`): a throwaway PostgreSQL +
PostGIS holding the real marts, N replicas, nginx. The sessions are the load harness's websocket
clients (:mod:`bench.load`), each with an affinity cookie of its own as a browser gets from nginx, at
the sustained pace (pauses of 0.5 to 2 s before and after each change), N = 20, 60 s per level. Every
replica is warmed up directly first (one session through the pages), so a level does not start on a
cold replica. Throughput is timed filter changes per second; ``team_r2_over_r1_throughput`` compares
the two levels, which run one after the other on this machine.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from bench.load import ProcSampler, _run_levels
from bench.load_session import warm_up
from bench.load_stats import compute_descendants, figures_prefix
from bench.load_types import Level
from bench.load_ws import WebsocketClients, WebsocketSession
from core.paths import MART_NAMES, REBUILD_COMMAND, MissingMartError, marts_dir, require_mart

ROOT = Path(__file__).resolve().parent.parent
THINK_S = (0.5, 2.0)
FIRST_READ = """
import sys, time
import sqlalchemy as sa
from core.marts_db import current_schema, read_mart
from core.paths import MART_NAMES
engine = sa.create_engine(sys.argv[1])
start = time.perf_counter()
schema = current_schema(engine)
for name in MART_NAMES:
    read_mart(engine, schema, name)
print(time.perf_counter() - start)
"""
FIRST_READ_FILES = """
import time
import geopandas as gpd, pandas as pd, pyarrow.parquet as pq
from core.paths import MART_NAMES, mart_path
start = time.perf_counter()
for name in MART_NAMES:
    path = mart_path(name)
    (gpd.read_parquet if b"geo" in (pq.read_schema(path).metadata or {}) else pd.read_parquet)(path)
print(time.perf_counter() - start)
"""


class StackSampler(ProcSampler):
    """:class:`bench.load.ProcSampler` over every process of the stack (the replicas and nginx)."""

    def __init__(self, pids: list[int]) -> None:
        super().__init__(pids[0])
        self.pids = pids

    def _tree(self) -> set[int]:
        parents = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        return set().union(*(compute_descendants(pid, parents) for pid in self.pids))


class TeamClients(WebsocketClients):
    """Websocket sessions through nginx, each with its own affinity cookie (as nginx gives a browser)."""

    label = "websocket clients through nginx, one affinity cookie each"

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def new_session(self, level: Level) -> WebsocketSession:
        return WebsocketSession(level, {"Cookie": f"fabt_replica={secrets.token_hex(16)}"})


def _first_read(script: str, *args: str) -> float:
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def _sessions_per_replica(access_log: Path) -> dict[str, int]:
    pattern = re.compile(r'"GET /_stcore/stream .*upstream=(\S+)')
    return dict(Counter(m.group(1) for m in map(pattern.search, access_log.read_text().splitlines()) if m))


def measure_team(n: int = 20, duration_s: float = 60.0, think_s: tuple[float, float] = THINK_S) -> dict[str, float]:
    """1 then 2 replicas behind nginx under ``n`` sessions; and the first read of the marts from PostGIS.

    Returns
    -------
    dict[str, float]
        ``team_r{1,2}_n{n}_*`` (errors, actions, p50_s, p95_s, server_rss_mb: the load harness's figures),
        ``team_r{1,2}_n{n}_actions_per_s``, ``team_r2_over_r1_throughput``, ``team_marts_from_postgis_s``
        (a fresh process reading every mart with its geometries from PostGIS) beside
        ``team_marts_from_geoparquet_s`` (the same from the GeoParquet files).

    Raises
    ------
    SystemExit
        Without the real marts, nginx, PostgreSQL or PostGIS (with what to run).
    """
    from etl.publish_postgis import publish_to_postgis
    from ops.nginx import nginx_binary
    from ops.ports import free_port
    from ops.postgres import postgis_installed, start_cluster, temporary_root
    from ops.stack import start_stack

    try:
        for name in MART_NAMES:
            require_mart(name)
    except MissingMartError as exc:
        raise SystemExit(f"{exc}\nbench team needs the real marts: run {REBUILD_COMMAND}") from exc
    if not (nginx_binary() and postgis_installed()):
        raise SystemExit("bench team needs nginx and PostGIS: run bash scripts/setup.sh")
    figures: dict[str, float] = {}
    fabriques = pd.read_parquet(require_mart("fabriques"), columns=["insee_reg", "nom_reg"])
    regions = dict(fabriques.dropna().drop_duplicates("insee_reg").itertuples(index=False, name=None))
    root = temporary_root("fabt-bench-equipe-")
    root.chmod(0o755)
    cluster = start_cluster(root / "postgres", port=free_port())
    secrets_file = Path(tempfile.mkdtemp()) / "secrets.toml"
    secrets_file.write_text("# no [auth]: no sign-in in the benchmark\n")
    try:
        url = cluster.create_database("fabt", extensions=("postgis",))
        published = publish_to_postgis(marts_dir().resolve(), url)
        print(f"marts published into PostGIS in {published.seconds} s ({published.schema})")
        figures["team_marts_from_postgis_s"] = _first_read(FIRST_READ, url)
        figures["team_marts_from_geoparquet_s"] = _first_read(FIRST_READ_FILES)
        print(
            f"first read of every mart by a fresh process: PostGIS {figures['team_marts_from_postgis_s']:.2f} s, "
            f"GeoParquet {figures['team_marts_from_geoparquet_s']:.2f} s"
        )
        for count in (1, 2):
            figures.update(_measure_level(count, n, duration_s, think_s, url, secrets_file, regions, start_stack))
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(secrets_file.parent, ignore_errors=True)
    one, two = figures.get(f"team_r1_n{n}_actions", 0.0), figures.get(f"team_r2_n{n}_actions", 0.0)
    if one:
        figures["team_r2_over_r1_throughput"] = two / one
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return figures


def _measure_level(count, n, duration_s, think_s, url, secrets_file, regions, start_stack) -> dict[str, float]:
    print(f"\n== {count} replica(s) behind nginx, N = {n}, load average {os.getloadavg()[0]:.2f}")
    stack = start_stack(
        count, database_url=url, secrets_file=secrets_file, extra_env={"FABT_SIGN_IN": "off"}, supervise=True
    )
    try:

        async def warm_each() -> list[str]:
            errors = []
            for replica in stack.replicas:
                level = Level(replica.url, stack.nginx.proc, regions, 1, 0.0)
                errors += await warm_up(WebsocketSession(level), level)
            return errors

        warm_errors = asyncio.run(warm_each())
        if warm_errors:
            print(f"warm-up errors: {warm_errors[:3]}")
        prefix = f"team_r{count}"
        clients = TeamClients(prefix)
        with StackSampler([r.pid for r in stack.replicas] + [stack.nginx.pid]) as sampler:
            started = time.monotonic()
            raw = asyncio.run(
                _run_levels(clients, (n,), duration_s, tuple(think_s), stack.url, stack.nginx.proc, sampler, regions)
            )
            wall = time.monotonic() - started
        named = figures_prefix(prefix, think_s)
        figures = {k.replace(named, prefix, 1) if tuple(think_s) == THINK_S else k: v for k, v in raw.items()}
        key = f"{prefix if tuple(think_s) == THINK_S else named}_n{n}_"
        figures[f"{key}actions_per_s"] = figures[f"{key}actions"] / duration_s
        print(f"sessions per replica (websockets in nginx's log): {_sessions_per_replica(stack.nginx.access_log)}")
        print(f"level wall time {wall:.0f} s; supervisor events {stack.supervisor.events if stack.supervisor else []}")
        return figures
    finally:
        stack.stop()
