"""The Fabriques' selection kept per filters and shared by the sessions: right rows, never changed
by a page, and a new build is picked up."""

from __future__ import annotations

import shutil

import pandas as pd

from core.analysis.filters import Filters, apply_filters
from ui import state
from ui.context import page_context, territory_names


def _context(filters: Filters):
    state.set_filter_widgets(filters)
    return page_context()


def test_the_kept_selection_is_the_filtered_fabriques_and_pages_cannot_change_it(marts, fabriques):
    region = fabriques["insee_reg"].iloc[0]
    filters = Filters(regions=(region,))
    expected = apply_filters(pd.read_parquet(marts / "fabriques.parquet").drop(columns="geometry"), filters)
    first = _context(filters).fabriques
    assert 0 < len(first) < len(fabriques)
    pd.testing.assert_frame_equal(first, expected)
    # A page changing its selection (values, a column) leaves the kept one intact.
    first["nom"] = "changé"
    first.loc[first.index[0], "insee_reg"] = "autre"
    del first["cohort"]
    again = _context(filters).fabriques
    pd.testing.assert_frame_equal(again, expected)
    assert len(_context(Filters()).fabriques) == len(fabriques)


def test_selection_and_names_follow_a_new_build(marts, fabriques, tmp_path, monkeypatch):
    first_build, second_build = tmp_path / "build1", tmp_path / "build2"
    shutil.copytree(marts, first_build)
    shutil.copytree(marts, second_build)
    frame = pd.read_parquet(second_build / "fabriques.parquet")
    frame.iloc[:-1].to_parquet(second_build / "fabriques.parquet")  # one place fewer
    communes = pd.read_parquet(second_build / "communes.parquet")
    communes["nom_reg"] = communes["nom_reg"] + " (nouveau)"
    communes.to_parquet(second_build / "communes.parquet")
    monkeypatch.setenv("FABT_MARTS_DIR", str(first_build))
    before = _context(Filters())
    names_before = territory_names()
    monkeypatch.setenv("FABT_MARTS_DIR", str(second_build))
    after = _context(Filters())
    assert len(after.fabriques) == len(before.fabriques) - 1
    # the régions' names are the communes' (Saint-Martin, a place without commune in the marts, keeps its own)
    renamed = territory_names().regions
    assert all(name.endswith(" (nouveau)") for code, name in renamed.items() if code != "978")
    assert not any(name.endswith(" (nouveau)") for name in names_before.regions.values())
