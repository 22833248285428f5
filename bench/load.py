"""Load: N analysts at once against the real server: filter-change latency, errors and memory.

One ``streamlit run dashboard.py`` on a free loopback port, on the real marts, warmed up by one
session going through the pages. For each level N, N sessions run together, each following its
own seeded plan (:func:`bench.load_stats.plan_session`): open a page, think, change one sidebar
filter, wait for the updated view, think, until the level's time is up. The level's clock starts
once all sessions have opened their first page (or after :data:`OPEN_WAIT_S`).

The sessions are websocket clients by default (:mod:`bench.load_ws`: Streamlit's own protocol,
the figures ``load_n{N}_*``): they cost the machine almost nothing, so the figures are the
server's. ``--browser`` runs them as Chromium contexts instead (:mod:`bench.load_browser`,
figures ``load_browser_n{N}_*``): the real front end, but N browsers share the server's CPU.

Analysts think between actions: :data:`THINK_S` seconds, drawn uniformly, before and after each
filter change (an analyst reads the updated view before the next change). ``--think A B`` changes
it; the bench output says which was used.

Errors are counted, never raised: an exception shown by the app, a view without the page's key
element or without the new filters in its URL, a timeout (the session then reopens its page from
the link of its planned filters and goes on), the server's exit. The server's resident memory (its
process and children) is sampled every 0.5 s from ``/proc``; each level reports its peak and the
server's CPU time over its wall time (one busy core = 100 %: the app's script runs hold Python's
GIL, so one core is its ceiling).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from bench.load_session import run_plan, warm_up
from bench.load_stats import (
    THINK_S,
    compute_descendants,
    compute_load_figures,
    figures_prefix,
    parse_cpu_ticks,
    parse_ppid,
    parse_vmrss_kb,
)
from bench.load_types import OPEN_WAIT_S, Level
from core.paths import MART_NAMES, REBUILD_COMMAND, MissingMartError, require_mart

ROOT = Path(__file__).resolve().parent.parent
QUICK = {"ns": (5,), "duration_s": 30.0}  # ``python -m bench load --quick``
SEED = 2026
SAMPLE_S = 0.5
ERRORS_SHOWN = 5
HEADER = (
    f"{'N':>3} {'open s':>8} {'actions':>8} {'errors':>7} {'p50 s':>7} {'p95 s':>7} {'server RSS MB':>14}"
    f" {'server CPU':>10}"
)


class ProcSampler:
    """Sample the resident memory of a process and its children in a thread; keep the peak."""

    def __init__(self, pid: int, period_s: float = SAMPLE_S) -> None:
        self.pid = pid
        self.period_s = period_s
        self._peak_kb = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _tree(self) -> set[int]:
        parents = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError):
                    parents[int(entry.name)] = parse_ppid((entry / "stat").read_text())
        return compute_descendants(self.pid, parents)

    def cpu_s(self) -> float:
        """CPU seconds used so far by the process and its living descendants."""
        total = 0
        for pid in self._tree():
            with contextlib.suppress(OSError, ValueError):
                total += parse_cpu_ticks(Path(f"/proc/{pid}/stat").read_text())
        return total / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        """Sum of VmRSS over the process and its descendants, now (shared pages counted twice)."""
        total = 0
        for pid in self._tree():
            with contextlib.suppress(OSError, ValueError):
                total += parse_vmrss_kb(Path(f"/proc/{pid}/status").read_text())
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            sample = self.rss_kb()
            with self._lock:
                self._peak_kb = max(self._peak_kb, sample)
            self._stop.wait(self.period_s)

    def take_peak(self) -> int:
        """The peak in kB since the previous call (or the start), then start a new window."""
        with self._lock:
            peak, self._peak_kb = self._peak_kb, 0
        return peak

    def __enter__(self) -> ProcSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


async def _run_levels(clients, ns, duration_s, think_s, base, server, sampler, regions) -> dict[str, float]:
    figures: dict[str, float] = {}
    prefix = figures_prefix(clients.prefix, think_s)
    async with clients:
        start = time.monotonic()
        warm = Level(base, server, regions, 1, 0.0)
        carried = await warm_up(clients.new_session(warm), warm)
        print(f"sessions: {clients.label}; think time {think_s[0]:g}–{think_s[1]:g} s before and after each change")
        print(f"warm-up: {time.monotonic() - start:.1f} s, server RSS {sampler.rss_kb() / 1024:.0f} MB")
        print(f"open s: time for the N sessions to open their first page (at most {OPEN_WAIT_S:g} s: the level's")
        print("clock starts then); timed steps come after.")
        print(f"server CPU: its CPU time over the level's wall time (one core = 100 %, {os.cpu_count()} here)")
        print(HEADER)
        for n in ns:
            level = Level(base, server, regions, n, duration_s, errors=carried)
            carried = []
            sampler.take_peak()
            start, cpu_start = time.monotonic(), sampler.cpu_s()
            cap = asyncio.get_running_loop().call_later(OPEN_WAIT_S, level.start_clock)
            seeds = [SEED * 1000 + n * 100 + i for i in range(n)]
            await asyncio.gather(
                *(run_plan(clients.new_session(level), i, seed, level, think_s) for i, seed in enumerate(seeds))
            )
            cap.cancel()
            opening = None if level.deadline is None else level.deadline - duration_s - start
            cpu = (sampler.cpu_s() - cpu_start) / (time.monotonic() - start)
            if server.poll() is not None:
                level.errors.append(f"the server exited with code {server.returncode}")
            level_figures = compute_load_figures(
                n, level.latencies, len(level.errors), sampler.take_peak(), prefix=prefix
            )
            figures.update(level_figures)
            _print_level(f"{prefix}_n{n}_", n, level_figures, level.errors, opening, cpu)
            if server.poll() is not None:
                break
    return figures


def _print_level(
    key: str, n: int, figures: dict[str, float], errors: list[str], opening: float | None, cpu: float
) -> None:
    p50, p95 = figures.get(f"{key}p50_s"), figures.get(f"{key}p95_s")
    print(
        f"{n:>3} {'-' if opening is None else f'{opening:.1f}':>8} {figures[f'{key}actions']:>8.0f} "
        f"{figures[f'{key}errors']:>7.0f} {'-' if p50 is None else f'{p50:.2f}':>7} "
        f"{'-' if p95 is None else f'{p95:.2f}':>7} {figures[f'{key}server_rss_mb']:>14.0f} {cpu:>10.0%}"
    )
    if not figures[f"{key}actions"]:
        print("      error: no filter change was timed before the end of the level")
    kinds = Counter(errors)
    for message, count in kinds.most_common(ERRORS_SHOWN):
        print(f"      error ×{count}: {message[:300]}")
    if len(kinds) > ERRORS_SHOWN:
        print(f"      … and {len(kinds) - ERRORS_SHOWN} other kinds")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def measure_load(
    ns: tuple[int, ...] = (1, 5, 20),
    duration_s: float = 60.0,
    browser: bool = False,
    think_s: tuple[float, float] = THINK_S,
) -> dict[str, float]:
    """N analysts at once for ``duration_s`` seconds, for each N in ``ns``.

    Parameters
    ----------
    ns
        Numbers of simultaneous sessions, run one level after the other on one server.
    duration_s
        Seconds during which each level's sessions start new steps.
    browser
        Chromium sessions (figures ``load_browser_n{N}_*``) instead of websocket clients
        (``load_n{N}_*``).
    think_s
        Range of an analyst's pause before and after each filter change, in seconds; another pace
        than :data:`bench.load_stats.THINK_S` names its figures apart (``load_think0.5_2_n{N}_*``).

    Returns
    -------
    dict[str, float]
        For each N: ``_errors``, ``_actions`` (timed filter changes), ``_p50_s`` and ``_p95_s``
        (seconds from the change to the updated view; absent with no timed change, which counts as
        an error) and ``_server_rss_mb`` (peak over the level). Errors of the warm-up count in the
        first level.

    Raises
    ------
    SystemExit
        If a mart, the vendored Leaflet or (with ``browser``) Chromium is missing (with what to run).
    """
    from bench.load_browser import BrowserClients
    from bench.load_ws import WebsocketClients
    from bench.server import start_server
    from core.exports.browser import chromium_path

    CHROMIUM = chromium_path()

    try:
        for name in MART_NAMES:
            require_mart(name)
    except MissingMartError as exc:
        raise SystemExit(f"{exc}\nbench load needs the real marts: run {REBUILD_COMMAND}") from exc
    if not (ROOT / "static" / "vendor" / "leaflet.js").exists():
        raise SystemExit("static/vendor/leaflet.js is missing: run bash scripts/setup.sh")
    if browser and not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    fabriques = pd.read_parquet(require_mart("fabriques"), columns=["insee_reg", "nom_reg"])
    regions = dict(fabriques.dropna().drop_duplicates("insee_reg").itertuples(index=False, name=None))
    clients = BrowserClients() if browser else WebsocketClients()
    server, base = start_server("dashboard.py", {})
    try:
        with ProcSampler(server.pid) as sampler:
            return asyncio.run(
                _run_levels(clients, tuple(ns), duration_s, tuple(think_s), base, server, sampler, regions)
            )
    finally:
        _stop(server)
