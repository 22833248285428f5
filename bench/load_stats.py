"""Pure helpers of the load benchmark: percentiles, ``/proc`` parsing, the analysts' action plans.

Nothing here starts a process or a browser, so :mod:`tests.unit.test_load_stats` checks it
without timing anything.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from urllib.parse import parse_qsl

from core.analysis.filters import (
    DENSITY_SCHEMES,
    QPV_RELATIONS,
    RURAL_CHOICES,
    SCHEME_LABELS,
    Filters,
    filters_from_query,
)
from core.domain.classifications import COHORTS

# The pages an analyst goes through during the benchmark (URL stems of dashboard.py's pages).
LOAD_PAGES: tuple[str, ...] = (
    "vue_ensemble",
    "carte",
    "quartiers_prioritaires",
    "territoires_ruraux",
    "couverture_equite",
    "fiche_territoire",
)
PLAN_STEPS = 1_000  # steps planned per session: more than a session can go through in its time
# The sidebar filters a step changes, by the name of their field in core.analysis.filters.Filters.
LOAD_WIDGETS: tuple[str, ...] = ("cohorts", "regions", "density_scheme", "qpv_relation", "rural")
# Their labels in the sidebar (ui/sidebar.py).
WIDGET_LABELS: dict[str, str] = {
    "cohorts": "Cohorte",
    "regions": "Région",
    "density_scheme": "Grille de densité",
    "qpv_relation": "Relation aux QPV",
    "rural": "Ruralité",
}


@dataclass(frozen=True)
class Step:
    """One step of an analyst: open ``page``, then set the sidebar filter ``widget`` to ``value``.

    ``value`` is a tuple for the multiselects (``cohorts``, ``regions``) and a string otherwise;
    it always differs from the filter's value before the step, so every step reruns the app and
    changes the URL.
    """

    page: str
    widget: str
    value: tuple[str, ...] | str


def display_value(widget: str, value: tuple[str, ...] | str, region_names: Mapping[str, str]) -> list[str] | str:
    """What the sidebar shows for a filter value: the option(s) an analyst clicks.

    Examples
    --------
    >>> display_value("regions", ("53",), {"53": "Bretagne"})
    ['Bretagne']
    >>> display_value("density_scheme", "4", {})
    '4 niveaux'
    """
    if widget == "cohorts":
        return list(value)
    if widget == "regions":
        return [region_names.get(code, code) for code in value]
    if widget == "density_scheme":
        return SCHEME_LABELS[value]
    return {"qpv_relation": QPV_RELATIONS, "rural": RURAL_CHOICES}[widget][value]


def compute_percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile of ``values`` by linear interpolation between order statistics.

    Parameters
    ----------
    values
        The sample, in any order; not modified.
    q
        Percentile between 0 and 100.

    Returns
    -------
    float
        The same figure as ``numpy.percentile(values, q)`` (its default "linear" method).

    Raises
    ------
    ValueError
        If ``values`` is empty or ``q`` is outside [0, 100].

    Examples
    --------
    >>> compute_percentile([4.0, 1.0, 3.0, 2.0], 50)
    2.5
    >>> compute_percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95)
    4.8
    """
    if not values:
        raise ValueError("no values: a percentile needs at least one measure")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q!r} is outside [0, 100]")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def url_shows_filters(search: str, filters: Filters) -> bool:
    """Return True when the query string ``search`` (``location.search``) holds ``filters``.

    Lists compare as sets: the sidebar writes a multiselect's values in the order they were
    picked. Parameters that are not filters (the map view, the territory) are ignored.

    Examples
    --------
    >>> url_shows_filters("?cohorte=2023%2C2020-2021&vue=Corse", Filters())
    True
    >>> url_shows_filters("?qpv=dans", Filters())
    False
    """
    shown, _ = filters_from_query(dict(parse_qsl(search.lstrip("?"))))
    for f in fields(Filters):
        a, b = getattr(shown, f.name), getattr(filters, f.name)
        if (set(a) != set(b)) if isinstance(b, tuple) else (a != b):
            return False
    return True


def parse_vmrss_kb(status_text: str) -> int:
    """Return the resident set size in kB from the text of a ``/proc/<pid>/status`` file.

    A zombie or a kernel thread has no ``VmRSS`` line: it holds no memory, so 0 is returned.

    Examples
    --------
    >>> parse_vmrss_kb("Name:\\tpython\\nVmRSS:\\t  123456 kB\\nThreads:\\t9\\n")
    123456
    """
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            fields = line.split()
            if len(fields) < 2 or not fields[1].isdigit():
                raise ValueError(f"unreadable VmRSS line {line!r}: expected 'VmRSS: <number> kB'")
            return int(fields[1])
    return 0


def parse_ppid(stat_text: str) -> int:
    """Return the parent pid from the text of a ``/proc/<pid>/stat`` file.

    The command name (second field) is in parentheses and may itself hold spaces or ``)``, so the
    fields are read after its last closing parenthesis.

    Examples
    --------
    >>> parse_ppid("4242 (python3 -m x) S 4000 4242 4000 0 -1")
    4000
    """
    _, sep, rest = stat_text.rpartition(")")
    fields = rest.split()
    if not sep or len(fields) < 2 or not fields[1].lstrip("-").isdigit():
        raise ValueError(f"unreadable /proc stat line {stat_text[:80]!r}")
    return int(fields[1])


def parse_cpu_ticks(stat_text: str) -> int:
    """Return the CPU time a process has used (user + system, in clock ticks) from ``/proc/<pid>/stat``.

    Examples
    --------
    >>> parse_cpu_ticks("4242 (python) S 4000 4242 4000 0 -1 4194560 10 0 0 0 150 25 0 0 20 0")
    175
    """
    fields = stat_text.rpartition(")")[2].split()
    # After the command name: state is field 3 of the line, utime and stime are fields 14 and 15.
    if len(fields) < 13 or not (fields[11].isdigit() and fields[12].isdigit()):
        raise ValueError(f"unreadable /proc stat line {stat_text[:80]!r}")
    return int(fields[11]) + int(fields[12])


def compute_descendants(root: int, parents: Mapping[int, int]) -> set[int]:
    """Return ``root`` and every process below it, given each pid's parent pid.

    Examples
    --------
    >>> sorted(compute_descendants(10, {10: 1, 11: 10, 12: 11, 13: 1}))
    [10, 11, 12]
    """
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = {root}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _next_value(widget: str, current: tuple[str, ...] | str, rng: random.Random, regions: Sequence[str]):
    if widget == "cohorts":
        # One interaction per step: drop one cohort, or add back the missing one.
        return (rng.choice(COHORTS),) if len(current) == len(COHORTS) else COHORTS
    if widget == "regions":
        return (rng.choice(list(regions)),) if not current else ()
    choices = {"density_scheme": DENSITY_SCHEMES, "qpv_relation": QPV_RELATIONS, "rural": RURAL_CHOICES}[widget]
    return rng.choice([c for c in choices if c != current])


def plan_session(seed: int, steps: int, regions: Sequence[str]) -> list[Step]:
    """Return the first ``steps`` steps of an analyst's session, the same for the same seed.

    The session starts from the default filters. Each step opens another page than the previous
    one and changes one filter to a value it does not hold yet: a cohort is dropped or added back,
    a region chosen or cleared, a density grid, QPV relation or rurality picked among the others.

    Parameters
    ----------
    seed
        Seed of the session's own random generator.
    steps
        Number of steps to plan.
    regions
        Region codes a step may choose (``insee_reg`` of the Fabriques).

    Returns
    -------
    list[Step]
        ``steps`` steps.

    Raises
    ------
    ValueError
        If ``regions`` is empty.
    """
    if not regions:
        raise ValueError("no region to choose from: pass the insee_reg codes of the fabriques mart")
    rng = random.Random(seed)
    state: dict[str, tuple[str, ...] | str] = {
        "cohorts": COHORTS,
        "regions": (),
        "density_scheme": "7",
        "qpv_relation": "toutes",
        "rural": "tous",
    }
    page = ""
    plan = []
    for _ in range(steps):
        page = rng.choice([p for p in LOAD_PAGES if p != page])
        widget = rng.choice(LOAD_WIDGETS)
        state[widget] = _next_value(widget, state[widget], rng, sorted(regions))
        plan.append(Step(page, widget, state[widget]))
    return plan


THINK_S = (3.0, 10.0)  # an analyst reads the updated view before the next change (--think to change)


def figures_prefix(clients_prefix: str, think_s: tuple[float, float]) -> str:
    """The prefix of a level's figures: the clients' own at the analysts' pace (:data:`THINK_S`),
    with the pace in it otherwise, so that a stress run never replaces the standard figures.

    Examples
    --------
    >>> figures_prefix("load", THINK_S)
    'load'
    >>> figures_prefix("load", (0.5, 2.0))
    'load_think0.5_2'
    """
    if tuple(think_s) == THINK_S:
        return clients_prefix
    return f"{clients_prefix}_think{think_s[0]:g}_{think_s[1]:g}"


def compute_load_figures(
    n: int, latencies: Sequence[float], errors: int, rss_peak_kb: int, prefix: str = "load"
) -> dict[str, float]:
    """Name the figures of one load level: errors, p50 and p95 seconds, actions, peak RSS in MB.

    With no measured action the percentiles are left out and the level counts one more error: a
    level where nothing could be measured has failed. ``prefix`` tells the clients apart
    (``load`` for websocket clients, ``load_browser`` for Chromium sessions).

    Examples
    --------
    >>> compute_load_figures(5, [1.0, 2.0, 3.0], 0, 512_000)["load_n5_server_rss_mb"]
    500.0
    """
    prefix = f"{prefix}_n{n}_"
    figures = {
        f"{prefix}errors": float(errors + (0 if latencies else 1)),
        f"{prefix}actions": float(len(latencies)),
        f"{prefix}server_rss_mb": rss_peak_kb / 1024,
    }
    if latencies:
        figures[f"{prefix}p50_s"] = compute_percentile(latencies, 50)
        figures[f"{prefix}p95_s"] = compute_percentile(latencies, 95)
    return figures
