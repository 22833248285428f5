"""The network page's two heavy computations on the real marts: the reach of the 382 Fabriques over
the 1,512 places of the 2019 census (X = 15 km) and the fuzzy matching of the 382 to the census of
their communes."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from core.analysis.network import (
    CENSUS_VIEW_COLUMNS,
    DEFAULT_DISTANCE_KM,
    compute_hub_links,
    compute_nearest_hub,
    compute_places_without_hub,
    compute_reach,
    compute_reach_by_typology,
    project_census,
)
from core.analysis.relabelling import compute_matches
from core.paths import require_mart

FABRIQUE_COLUMNS = ["fabrique_id", "nom", "insee_com", "nom_com", "insee_dep", "cohort", "longitude", "latitude"]


def load_frames(directory: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Fabriques and the 2019 census from the published marts (read only, timed apart)."""
    fabriques = pd.read_parquet(require_mart("fabriques", directory), columns=FABRIQUE_COLUMNS)
    census = pd.read_parquet(require_mart("tiers_lieux_2019", directory), columns=CENSUS_VIEW_COLUMNS)
    return fabriques, census


def run_reach(fabriques: pd.DataFrame, census: pd.DataFrame, distance_m: float) -> pd.DataFrame:
    """What the page computes for the network from scratch: the census projected, links, reach,
    nearest Fabrique of each place, places without one, counts by typology."""
    points = project_census(census)
    links = compute_hub_links(fabriques, census, distance_m, points)
    compute_reach(fabriques, census, links)
    with_distance = census.assign(distance_fabrique_m=compute_nearest_hub(fabriques, census, points))
    compute_places_without_hub(with_distance, links)
    compute_reach_by_typology(census, links)
    return links


def _best(function, repeat: int) -> tuple[float, float, object]:
    """First and best wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times[0], min(times), result


def measure_hubs(directory: str | Path | None = None, repeat: int = 5) -> dict[str, float]:
    """Time the reach (all Fabriques × all census places, X = 15 km) and the census match.

    Returns
    -------
    dict
        ``hubs_reach_s`` and ``hubs_match_s`` (best of ``repeat``), ``hubs_reach_first_s`` and
        ``hubs_match_first_s`` (the first call, CRS transformers and rapidfuzz not yet warm),
        ``hubs_fabriques``, ``hubs_census`` (rows), ``hubs_links`` (pairs within 15 km) and
        ``hubs_match_pairs`` (name pairs scored: Fabrique × census place of its commune).
    """
    fabriques, census = load_frames(directory)
    distance_m = DEFAULT_DISTANCE_KM * 1000.0
    reach_first, reach_best, links = _best(lambda: run_reach(fabriques, census, distance_m), repeat)
    match_first, match_best, matches = _best(lambda: compute_matches(fabriques, census), repeat)
    return {
        "hubs_reach_s": reach_best,
        "hubs_reach_first_s": reach_first,
        "hubs_match_s": match_best,
        "hubs_match_first_s": match_first,
        "hubs_fabriques": float(len(fabriques)),
        "hubs_census": float(len(census)),
        "hubs_links": float(len(links)),
        "hubs_match_pairs": float(matches["candidats"].sum()),
    }
