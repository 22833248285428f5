"""Cached readers of the marts; the only place the app touches files.

Caches are keyed by the resolved path of the marts folder and the file's modification time,
so a new ETL build is picked up on the next run without restarting the app.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import streamlit as st

from core.paths import MissingMartError, marts_dir, report_path, require_mart


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


@st.cache_data(show_spinner=False, max_entries=4)
def _read_report(path: str, _stamp: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_report() -> dict:
    """The build report; raises :class:`MissingMartError` when no build was published."""
    path = report_path()
    if not path.exists():
        raise MissingMartError(
            f"Aucune donnée construite dans {marts_dir()}. Construisez-les avec : python -m etl build"
        )
    resolved = path.resolve()
    return _read_report(str(resolved), _stamp(resolved))


# The marts are read once per file version and shared by every session (``cache_resource``: no
# pickled copy per run, which under load cost memory per concurrent run and CPU to unpickle).
# Callers get a shallow copy: with pandas' copy-on-write, changing it never changes the shared frame.
@st.cache_resource(show_spinner="Chargement des données…", max_entries=32)
def _read_table(path: str, _stamp: int) -> pd.DataFrame:
    columns = [c for c in pq.read_schema(path).names if c != "geometry"]
    return pd.read_parquet(path, columns=columns)


@st.cache_resource(show_spinner="Chargement des contours…", max_entries=16)
def _read_geo(path: str, _stamp: int) -> gpd.GeoDataFrame:
    return gpd.read_parquet(path)


def mart_version(name: str) -> tuple[str, int]:
    """The mart's resolved path and modification time: a cache key for what is derived from it."""
    path = require_mart(name).resolve()
    return str(path), _stamp(path)


def load_table_version(version: tuple[str, int]) -> pd.DataFrame:
    """The mart of :func:`mart_version` ``version``, without geometry: what is derived from it and
    cached under that key is made from that very file, even if a new build is published meanwhile."""
    return _read_table(*version).copy(deep=False)


def load_geo_version(version: tuple[str, int]) -> gpd.GeoDataFrame:
    """As :func:`load_table_version`, with the geometries."""
    return _read_geo(*version).copy(deep=False)


def load_table(name: str) -> pd.DataFrame:
    """A mart without its geometry column (fast, for tables and indicators)."""
    path = require_mart(name).resolve()
    return _read_table(str(path), _stamp(path)).copy(deep=False)


def load_geo(name: str) -> gpd.GeoDataFrame:
    """A mart with its geometries (for maps)."""
    path = require_mart(name).resolve()
    return _read_geo(str(path), _stamp(path)).copy(deep=False)
