"""AppTest helpers: the dashboard run on the fixture world's marts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture
def marts(fixture_build, monkeypatch):
    monkeypatch.setenv("FABT_MARTS_DIR", str(fixture_build["marts"]))
    return fixture_build["marts"]


@pytest.fixture
def fabriques(marts):
    """The fixture's Fabriques, read directly (independent of the app)."""
    return gpd.read_parquet(marts / "fabriques.parquet")


def open_page(page: str | None = None, params: dict | None = None) -> AppTest:
    """Run the dashboard (optionally with query parameters) and switch to ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    return at


def summaries(at: AppTest) -> list[str]:
    """The one-line summaries ("En bref") of a page."""
    return [m.value for m in at.markdown if m.value.startswith("**En bref")]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table_with(at: AppTest, column: str):
    """The first table of the page that has ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise KeyError(f"no table with a column {column!r}")


def exported_tables(at: AppTest) -> int:
    """The tables a page shows and exports: its table widgets and the HTML tables of its maps'
    lists (no table widget there, see :mod:`ui.map_list`)."""
    lists = sum(h.proto.body.count("<table") for h in at.get("html") if "fabt-map-list" in h.proto.body)
    return len(at.dataframe) + lists
