"""AppTest of the dashboard on the marts of the fixture world."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")


@pytest.fixture
def app_env(fixture_build, monkeypatch):
    monkeypatch.setenv("FABT_MARTS_DIR", str(fixture_build["marts"]))
    return fixture_build


def test_data_page_shows_the_build_report(app_env):
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Données et méthodes"
    sources = at.dataframe[0].value
    assert "fabriques" in set(sources["source"])
    marts = at.dataframe[1].value
    assert marts.set_index("table").loc["fabriques", "lignes"] == 5
    events = at.dataframe[3].value
    assert (events["motif"].str.contains("make_valid")).any()


def test_missing_marts_say_which_command_rebuilds_them(tmp_path, monkeypatch):
    monkeypatch.setenv("FABT_MARTS_DIR", str(tmp_path / "nothing"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "python -m etl build" in at.error[0].value
