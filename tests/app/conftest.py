"""AppTest helpers: the dashboard run on the fixture world's marts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture
def marts(fixture_build, monkeypatch, tmp_path):
    """The fixture world's marts, and a workspace of this test's own (never the project's data/)."""
    monkeypatch.setenv("FABT_MARTS_DIR", str(fixture_build["marts"]))
    monkeypatch.setenv("FABT_DATABASE_URL", f"sqlite:///{tmp_path / 'espace.sqlite'}")
    return fixture_build["marts"]


@pytest.fixture
def fabriques(marts):
    """The fixture's Fabriques, read directly (independent of the app)."""
    return gpd.read_parquet(marts / "fabriques.parquet")


def open_page(
    page: str | None = None, params: dict | None = None, *, secrets: dict | None = None, user: dict | None = None
) -> AppTest:
    """Run the dashboard (optionally with query parameters, secrets and a seeded ``st.user``) and switch
    to ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update(secrets or {})
    if user is not None:
        at.user = user
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


def show_chart_tables(at: AppTest) -> AppTest:
    """Switch every chart of the page to its table (the « Graphique | Tableau » toggle)."""
    toggles = [control for control in at.segmented_control if str(control.key).endswith("_affichage")]
    for control in toggles:
        control.set_value("Tableau")
    return at.run() if toggles else at


def table_with(at: AppTest, column: str):
    """The first table of the page that has ``column`` (a chart's table is shown for it if needed)."""
    for attempt in range(2):
        for frame in at.dataframe:
            if column in frame.value.columns:
                return frame.value
        if attempt == 0:
            show_chart_tables(at)
    raise KeyError(f"no table with a column {column!r}")


def exported_tables(at: AppTest) -> int:
    """The tables a page shows and exports: its table widgets and the HTML tables of its maps'
    lists (no table widget there, see :mod:`ui.map_list`)."""
    lists = sum(h.proto.body.count("<table") for h in at.get("html") if "fabt-map-list" in h.proto.body)
    return len(at.dataframe) + lists
