"""Growth benchmark: the place-dependent build steps and page computations at 1×, 10×, 100× places.

The places are SYNTHETIC (:mod:`bench.synthetic`): drawn in memory from the real communes, never
written anywhere the app reads. Everything else is the real marts in ``data/marts``: the
34,875 communes, the 1,609 QPV, the territories. Each step calls the real functions of the build
(``etl/marts``) and of the pages (``core``); only what depends on the number of places is timed:
what the build does once whatever the places (polygon simplification, EPCI dissolution,
staging) is left out.
"""

from __future__ import annotations

import gc
import os
import re
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from bench.synthetic import REAL_PLACES, make_synthetic_places
from core.analysis.coverage import compute_rate_per_100k, compute_territories_without
from core.analysis.distances import compute_commune_distances, compute_qpv_distances, selection_points
from core.analysis.filters import Filters, apply_filters
from core.analysis.key_figures import compute_key_figures
from core.analysis.map_indicators import compute_choropleth_values
from core.analysis.scope import compute_scope
from core.domain.classifications import COHORT_2023
from core.geo.crs import project_by_zone, project_shapes_by_zone
from core.mart_schemas import check_mart
from core.paths import require_mart
from etl.marts.communes import compute_place_columns
from etl.marts.fabriques import build_fabriques
from etl.marts.fabriques_detail import add_fabriques_detail
from etl.marts.qpv import build_qpv
from etl.marts.territories import compute_territory_indicators

# Columns of the qpv mart that come from staging (``stage_qpv``) rather than from ``build_qpv``.
QPV_STAGED = ["code_qp", "lib_qp", "insee_dep", "insee_reg", "insee_com_principale", "generation", "area_zero"]
QPV_INDICATORS = [
    "pop_qpv",
    "taux_pauvrete",
    "taux_logements_sociaux",
    "taux_emploi",
    "indice_jeunesse",
    "part_pop_immigree",
]
STEPS = (
    "fabriques_mart",
    "qpv_mart",
    "communes",
    "territories",
    "page_filters",
    "page_choropleth",
    "page_qpv_distances",
    "page_commune_distances",
)
PAGE_FILTERS = (
    Filters(),
    Filters(cohorts=(COHORT_2023,)),
    Filters(qpv_relation="500"),
    Filters(rural="rural", density_scheme="3", density_classes=("Rural",)),
    Filters(regions=("93",), programmes=("pvd",)),
)
SEED = 2026


def load_inputs(directory: str | Path | None = None) -> dict[str, object]:
    """The real marts the steps need, reshaped into the build's inputs (no synthetic data here).

    Returns
    -------
    dict
        ``communes`` (mart), ``attributes`` (its columns without geometry: the build's
        attribute hub restricted to métropole and DROM), ``perimeters`` (QPV as staged:
        ``communes`` as lists), ``indicators`` (QPV indicators by ``code_qp``), ``qpv_2024``
        (mart, generation 2024), ``departements`` (mart without geometry), and what the app keeps
        per build (ui/distances.py): ``qpv_2024_projected`` (perimeters in their metric CRS) and
        ``centroids_projected`` (communes' centroids in theirs).
    """
    communes = gpd.read_parquet(require_mart("communes", directory))
    qpv = gpd.read_parquet(require_mart("qpv", directory))
    departements = pd.read_parquet(require_mart("departements", directory)).drop(columns="geometry")
    perimeters = qpv[[*QPV_STAGED, "geometry"]].assign(communes=qpv["communes"].str.split(", "))
    qpv_2024 = qpv[qpv["generation"] == "2024"]
    return {
        "communes": communes,
        "attributes": pd.DataFrame(communes.drop(columns="geometry")),
        "perimeters": gpd.GeoDataFrame(perimeters, geometry="geometry", crs=qpv.crs),
        "indicators": pd.DataFrame(qpv[["code_qp", *QPV_INDICATORS]]),
        "qpv_2024": qpv_2024,
        "departements": departements,
        "qpv_2024_projected": project_shapes_by_zone(qpv_2024.geometry, qpv_2024["insee_dep"]),
        "centroids_projected": project_by_zone(
            communes["centroide_lon"], communes["centroide_lat"], communes["insee_dep"]
        ),
    }


def run_steps(places: gpd.GeoDataFrame, inputs: dict[str, object]) -> dict[str, Callable[[], object]]:
    """The place-dependent steps as closures, in order (each reads what the previous ones made)."""
    state: dict[str, object] = {}
    communes = inputs["communes"]

    def fabriques_mart() -> None:
        # As in etl.build.build_marts, without a detailed file; the mart must keep its declared schema.
        state["fabriques"] = add_fabriques_detail(
            build_fabriques(places, inputs["attributes"], inputs["perimeters"]), None
        )
        problems = check_mart("fabriques", state["fabriques"])
        if problems:
            raise AssertionError(f"the synthetic fabriques mart breaks its schema: {problems}")

    def qpv_mart() -> None:
        state["qpv"] = build_qpv(inputs["perimeters"], inputs["indicators"], inputs["attributes"], state["fabriques"])

    def communes_step() -> None:
        # The place-dependent columns of etl.marts.communes.build_communes over the 34,875 communes.
        centroids = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(communes["centroide_lon"], communes["centroide_lat"]),
            index=communes.index,
            crs=communes.crs,
        )
        places = compute_place_columns(communes, centroids, state["fabriques"])
        state["communes"] = pd.DataFrame(communes.drop(columns="geometry")).assign(**places)
        problems = check_mart("communes", state["communes"].assign(geometry=None))
        if problems:
            raise AssertionError(f"the synthetic communes mart breaks its schema: {problems}")

    def territories() -> None:
        state["territories"] = {
            level: compute_territory_indicators(state["communes"], level)
            for level in ("epci", "arrondissements", "departements", "regions")
        }

    def page_filters() -> None:
        # As ui.context.page_context: the selection and the scope of its territory.
        fabriques = pd.DataFrame(state["fabriques"].drop(columns="geometry"))
        selections = [apply_filters(fabriques, f) for f in PAGE_FILTERS]
        scopes = [compute_scope(f.regions, f.departements, state["communes"], inputs["qpv_2024"]) for f in PAGE_FILTERS]
        state["selections"] = selections
        state["figures"] = [compute_key_figures(s) for s in selections]
        state["without"] = [
            compute_territories_without(
                compute_rate_per_100k(state["territories"]["epci"], s, "siren_epci"), "epci", scope
            )
            for s, scope in zip(selections, scopes, strict=True)
        ]

    def page_choropleth() -> None:
        fabriques = state["fabriques"]
        state["choropleth"] = [
            compute_choropleth_values(table, level, fabriques, indicator)
            for table, level in ((inputs["departements"], "departements"), (state["communes"], "communes"))
            for indicator in ("pour_100k", "fabriques")
        ]

    def page_qpv_distances() -> None:
        # As ui.distances.qpv_distances: perimeters projected once per build, the selection's points here.
        table = pd.DataFrame(inputs["qpv_2024"].drop(columns="geometry"))
        points = selection_points(state["fabriques"])
        state["qpv_distances"] = compute_qpv_distances(table, inputs["qpv_2024_projected"], points)

    def page_commune_distances() -> None:
        # As ui.distances.commune_distances: centroids projected once per build.
        points = selection_points(state["fabriques"])
        state["commune_distances"] = compute_commune_distances(
            inputs["attributes"], inputs["centroids_projected"], points
        )

    return {
        "fabriques_mart": fabriques_mart,
        "qpv_mart": qpv_mart,
        "communes": communes_step,
        "territories": territories,
        "page_filters": page_filters,
        "page_choropleth": page_choropleth,
        "page_qpv_distances": page_qpv_distances,
        "page_commune_distances": page_commune_distances,
    }


@dataclass
class StepFigures:
    """One step at one factor: best wall and CPU seconds, traced and resident memory (MB)."""

    wall_s: float = float("inf")
    cpu_s: float = float("inf")
    traced_mb: float = 0.0
    rss_mb: float = 0.0
    peak_rss_mb: float = 0.0


def _status_kb(field: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of ``/proc/self/status``, in kB (0 where there is none)."""
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) if match else 0


def reset_peak_rss() -> bool:
    """Reset the process's peak resident size (``VmHWM``) to the current one; False if refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def measure_steps(places: gpd.GeoDataFrame, inputs: dict[str, object], repeat: int) -> dict[str, StepFigures]:
    """Time each step (best of ``repeat`` runs of the sequence), then trace its memory in one more run.

    Wall and CPU time are both kept: on a shared machine the wall time also counts the waits for
    a processor, the CPU time does not. ``rss_mb`` is the largest rise of the resident size during
    the step (peak minus the size before it) over the timed runs, ``peak_rss_mb`` the process's
    peak resident size during it (both 0 where the peak cannot be reset); ``traced_mb`` the
    tracemalloc peak (Python and numpy allocations: GEOS and Arrow buffers are not traced),
    measured in a run of its own because tracing slows the code down.
    """
    figures = {name: StepFigures() for name in STEPS}
    can_reset = reset_peak_rss()
    for _ in range(repeat):
        for name, step in run_steps(places, inputs).items():
            gc.collect()
            if can_reset:
                reset_peak_rss()
            before_kb = _status_kb("VmRSS")
            w0, c0 = time.perf_counter(), time.process_time()
            step()
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            fig = figures[name]
            fig.wall_s, fig.cpu_s = min(fig.wall_s, wall), min(fig.cpu_s, cpu)
            if can_reset:
                peak_kb = _status_kb("VmHWM")
                fig.rss_mb = max(fig.rss_mb, (peak_kb - before_kb) / 1e3)
                fig.peak_rss_mb = max(fig.peak_rss_mb, peak_kb / 1e3)
    for name, step in run_steps(places, inputs).items():
        gc.collect()
        tracemalloc.start()
        step()
        figures[name].traced_mb = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return figures


def measure_growth(
    factors: tuple[int, ...] = (1, 10, 100), directory: str | Path | None = None, repeat: int = 3
) -> dict[str, float]:
    """Time and memory of the place-dependent steps at ``factors`` × 382 SYNTHETIC places.

    Parameters
    ----------
    factors : tuple of int
        Multiples of the 382 real Fabriques; growth factors are relative to the first one.
    directory : path, optional
        The marts folder (default: the ``marts_dir`` setting), only read.
    repeat : int
        Runs of the whole sequence per factor; each step keeps its best time.

    Returns
    -------
    dict
        Per factor ``f``: ``scale_{f}x_places``, ``scale_{f}x_s`` and ``scale_{f}x_cpu_s`` (sum of
        the steps' wall and CPU seconds), ``scale_{f}x_{step}_s`` (wall),
        ``scale_{f}x_{step}_mb`` (tracemalloc peak), ``scale_{f}x_peak_rss_mb`` (process peak
        resident size during that factor's runs). Per later factor ``g``:
        ``scale_growth_{g}x`` and ``scale_growth_{g}x_cpu`` = total at ``g`` / total at the first
        factor (linear growth: ``g``). ``scale_load_avg``: the machine's 1-minute load average
        at the end, to read the wall times with.
    """
    inputs = load_inputs(directory)
    # Warm-up on the real count: CRS transformers and pandas code paths are built once.
    measure_steps(make_synthetic_places(inputs["communes"], REAL_PLACES, seed=SEED), inputs, repeat=1)
    figures: dict[str, float] = {}
    results: dict[int, dict[str, StepFigures]] = {}
    for factor in factors:
        n = factor * REAL_PLACES
        places = make_synthetic_places(inputs["communes"], n, seed=SEED + factor)
        if not places["synthetique"].all():
            raise AssertionError("every benchmark place must be labelled synthetic")
        results[factor] = steps = measure_steps(places, inputs, repeat)
        figures[f"scale_{factor}x_places"] = n
        figures[f"scale_{factor}x_s"] = sum(s.wall_s for s in steps.values())
        figures[f"scale_{factor}x_cpu_s"] = sum(s.cpu_s for s in steps.values())
        for name, step in steps.items():
            figures[f"scale_{factor}x_{name}_s"] = step.wall_s
            figures[f"scale_{factor}x_{name}_mb"] = step.traced_mb
        if any(s.peak_rss_mb for s in steps.values()):
            figures[f"scale_{factor}x_peak_rss_mb"] = max(s.peak_rss_mb for s in steps.values())
    base = factors[0]
    for factor in factors[1:]:
        label = f"scale_growth_{factor // base}x"
        figures[label] = figures[f"scale_{factor}x_s"] / figures[f"scale_{base}x_s"]
        figures[f"{label}_cpu"] = figures[f"scale_{factor}x_cpu_s"] / figures[f"scale_{base}x_cpu_s"]
    figures["scale_load_avg"] = os.getloadavg()[0]
    print_growth(factors, results)
    return figures


def print_growth(factors: tuple[int, ...], results: dict[int, dict[str, StepFigures]]) -> None:
    """Print two tables per step: seconds with growth beside linear growth, then memory."""
    base = factors[0]
    counts = ", ".join(f"{f * REAL_PLACES:,}" for f in factors)
    print(f"SYNTHETIC places ({counts}): scale benchmark on generated points, not data")

    def total(f: int, attr: str) -> float:
        return sum(getattr(s, attr) for s in results[f].values())

    rows = [*STEPS, "total"]
    print(f"{'time (s)':24s}" + "".join(f"{f'{f}x wall':>11s}{f'{f}x cpu':>10s}" for f in factors), end="")
    print("".join(f"{f'cpu ×{f // base}':>9s}{'/linear':>8s}" for f in factors[1:]))
    for row in rows:

        def get(f: int, attr: str, row: str = row) -> float:
            return total(f, attr) if row == "total" else getattr(results[f][row], attr)

        cells = "".join(f"{get(f, 'wall_s'):11.3f}{get(f, 'cpu_s'):10.3f}" for f in factors)
        growth = ""
        for f in factors[1:]:
            g = get(f, "cpu_s") / max(get(base, "cpu_s"), 1e-9)
            growth += f"{g:9.2f}{g / (f / base):8.3f}"
        print(f"{row:24s}{cells}{growth}")
    print(f"{'memory (MB)':24s}" + "".join(f"{f'{f}x traced':>12s}{f'{f}x rss':>10s}" for f in factors))
    for row in STEPS:
        cells = "".join(f"{results[f][row].traced_mb:12.1f}{results[f][row].rss_mb:10.1f}" for f in factors)
        print(f"{row:24s}{cells}")
