"""Cached readers of the marts; the only place the app touches files."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import streamlit as st

from core.paths import MissingMartError, marts_dir, report_path, require_mart


def _stamp(path) -> float:
    return path.stat().st_mtime_ns if path.exists() else 0.0


@st.cache_data(show_spinner=False)
def _read_report(path: str, _stamp: float) -> dict:
    return json.loads(open(path, encoding="utf-8").read())


def load_report() -> dict:
    """The build report; raises :class:`MissingMartError` when no build was published."""
    path = report_path()
    if not path.exists():
        raise MissingMartError(
            f"Aucune donnée construite dans {marts_dir()}. Construisez-les avec : python -m etl build"
        )
    return _read_report(str(path.resolve()), _stamp(path.resolve()))


@st.cache_data(show_spinner="Chargement des données…")
def _read_mart(path: str, _stamp: float) -> pd.DataFrame:
    frame = pd.read_parquet(path)
    if "geometry" in frame.columns:
        return gpd.read_parquet(path)
    return frame


def load_mart(name: str) -> pd.DataFrame:
    """A mart, cached until the ETL publishes a new build (the path changes with it)."""
    path = require_mart(name).resolve()
    return _read_mart(str(path), _stamp(path))
