"""Cached readers of the marts; the only place the app touches them.

Embedded default: the GeoParquet files of ``data/marts``; caches are keyed by the resolved path of
the marts folder and the file's modification time, so a new ETL build is picked up on the next run
without restarting the app. Team mode (``FABT_DATABASE_URL=postgresql…``, setting ``marts_source``):
the marts are read from PostGIS, keyed by the schema of the current build (:mod:`core.marts_db`),
which is asked for at most every :data:`CURRENT_TTL_S` seconds: a running replica keeps serving the
build it read and follows a new one within that time.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import sqlalchemy as sa
import streamlit as st

from core.marts_db import current_schema, marts_database_url, read_mart, read_report
from core.paths import MART_NAMES, MissingMartError, marts_dir, report_path, require_mart

POSTGIS = "postgis:"  # versions of marts read from PostGIS: ("postgis:<schema>.<mart>", 0)
CURRENT_TTL_S = 5.0


@st.cache_resource(show_spinner=False, max_entries=4)
def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, pool_pre_ping=True, pool_size=4)


@st.cache_data(ttl=CURRENT_TTL_S, show_spinner=False, max_entries=4)
def _current_schema(url: str) -> str:
    return current_schema(_engine(url))


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


@st.cache_data(show_spinner=False, max_entries=4)
def _read_report(path: str, _stamp: int) -> dict:
    if path.startswith(POSTGIS):
        return read_report(_engine(marts_database_url()), path.removeprefix(POSTGIS))
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_report() -> dict:
    """The build report; raises :class:`MissingMartError` when no build was published."""
    url = marts_database_url()
    if url is not None:
        return _read_report(POSTGIS + _current_schema(url), 0)
    path = report_path()
    if not path.exists():
        raise MissingMartError(
            f"Aucune donnée construite dans {marts_dir()}. Construisez-les avec : python -m etl build"
        )
    resolved = path.resolve()
    return _read_report(str(resolved), _stamp(resolved))


def _read_postgis(version: str, geometry: bool) -> pd.DataFrame:
    schema, name = version.removeprefix(POSTGIS).rsplit(".", 1)
    return read_mart(_engine(marts_database_url()), schema, name, geometry=geometry)


# The marts are read once per file version and shared by every session (``cache_resource``: no
# pickled copy per run, which under load cost memory per concurrent run and CPU to unpickle).
# Callers get a shallow copy: with pandas' copy-on-write, changing it never changes the shared frame.
@st.cache_resource(show_spinner="Chargement des données…", max_entries=32)
def _read_table(path: str, _stamp: int) -> pd.DataFrame:
    if path.startswith(POSTGIS):
        return _read_postgis(path, geometry=False)
    columns = [c for c in pq.read_schema(path).names if c != "geometry"]
    return pd.read_parquet(path, columns=columns)


@st.cache_resource(show_spinner="Chargement des contours…", max_entries=16)
def _read_geo(path: str, _stamp: int) -> gpd.GeoDataFrame:
    if path.startswith(POSTGIS):
        return _read_postgis(path, geometry=True)
    return gpd.read_parquet(path)


def mart_version(name: str) -> tuple[str, int]:
    """A cache key for what is derived from the mart: its resolved path and modification time, or in
    team mode the schema of the current build (``postgis:<schema>.<name>``)."""
    url = marts_database_url()
    if url is not None:
        return f"{POSTGIS}{_current_schema(url)}.{require_name(name)}", 0
    path = require_mart(name).resolve()
    return str(path), _stamp(path)


def require_name(name: str) -> str:
    """``name`` if it is a mart's name (KeyError otherwise)."""
    if name not in MART_NAMES:
        raise KeyError(f"unknown mart {name!r}; known marts: {', '.join(MART_NAMES)}")
    return name


def load_table_version(version: tuple[str, int]) -> pd.DataFrame:
    """The mart of :func:`mart_version` ``version``, without geometry: what is derived from it and
    cached under that key is made from that very file, even if a new build is published meanwhile."""
    return _read_table(*version).copy(deep=False)


def load_geo_version(version: tuple[str, int]) -> gpd.GeoDataFrame:
    """As :func:`load_table_version`, with the geometries."""
    return _read_geo(*version).copy(deep=False)


def load_table(name: str) -> pd.DataFrame:
    """A mart without its geometry column (fast, for tables and indicators)."""
    return load_table_version(mart_version(name))


def load_geo(name: str) -> gpd.GeoDataFrame:
    """A mart with its geometries (for maps)."""
    return load_geo_version(mart_version(name))
