"""Région Sud page: EPCI profile and allocation simulator, on a fixture world moved into région 93."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pytest

from core.schemes.region_sud import load_call
from tests.app.conftest import exported_tables, metric, open_page, show_chart_tables, table_with

REGION = str(load_call()["insee_reg"])
ENVELOPE = int(load_call()["enveloppe"])
MOVED = ["01001", "01002", "97101"]


@pytest.fixture
def sud_marts(fixture_build, tmp_path, monkeypatch):
    """The fixture marts with communes 01001, 01002 and 97101 moved into région 93: EPCI
    200000001 (01001, 01002, 01015) straddles 93 and 84, CA Cap Excellence (97101) is wholly in 93."""
    marts = tmp_path / "marts"
    shutil.copytree(fixture_build["marts"], marts)
    communes = gpd.read_parquet(marts / "communes.parquet")
    moved = communes["insee_com"].isin(MOVED)
    communes.loc[moved, "insee_reg"] = REGION
    communes.loc[moved, "nom_reg"] = "Provence-Alpes-Côte d'Azur"
    communes.to_parquet(marts / "communes.parquet")
    monkeypatch.setenv("FABT_MARTS_DIR", str(marts))
    return communes


def allocation_amounts(at) -> list[int]:
    """The simulated amounts (the chart's numeric table, shown by its toggle: the table of the page
    has them as text)."""
    for attempt in range(2):
        for frame in at.dataframe:
            table = frame.value
            if "montant_simule" in table.columns and table["montant_simule"].dtype.kind == "i":
                return table["montant_simule"].tolist()
        if attempt == 0:
            show_chart_tables(at)
    raise KeyError("no numeric allocation table")


def test_profile_and_simulator_on_a_region_with_a_straddling_epci(sud_marts):
    in_region = sud_marts.loc[sud_marts["insee_reg"] == REGION, "siren_epci"].dropna().unique()
    members = sud_marts[sud_marts["siren_epci"].isin(in_region)]
    whole = members.groupby("siren_epci")["insee_reg"].agg(lambda s: set(s) == {REGION})
    at = open_page("region_sud")
    assert not at.exception, at.exception
    profile = table_with(at, "communes_region")
    assert len(profile) == len(in_region) == 2
    assert profile["entierement_dans_la_region"].sum() == whole.sum() == 1
    assert metric(at, "EPCI concernés") == str(len(in_region))
    assert metric(at, "Entièrement dans la région") == str(int(whole.sum()))
    # whole EPCI counted: the population includes 01015, outside the région
    assert profile["population"].sum() == members["population"].sum()
    assert profile["population_region"].sum() == sud_marts.loc[sud_marts["insee_reg"] == REGION, "population"].sum()
    assert sum(allocation_amounts(at)) == ENVELOPE
    assert "égal à l'enveloppe" in at.success[0].value


def test_methods_go_into_the_link_and_keep_the_total(sud_marts):
    at = open_page("region_sud")
    at.radio(key="rs_methode").set_value("population").run()
    assert not at.exception
    assert at.query_params["methode"] == "population"
    assert sum(allocation_amounts(at)) == ENVELOPE
    at.radio(key="rs_methode").set_value("besoin").run()
    at.selectbox(key="rs_besoin").set_value("communes").run()
    assert not at.exception
    assert at.query_params["indicateur"] == "communes"
    # 3 communes in the straddling EPCI, 1 in CA Cap Excellence: 375 000 / 125 000
    assert sorted(allocation_amounts(at)) == [ENVELOPE // 4, ENVELOPE * 3 // 4]
    at = open_page("region_sud", {"methode": "besoin", "indicateur": "communes"})
    assert at.radio(key="rs_methode").value == "besoin"


def test_infeasible_floor_shows_an_error(sud_marts):
    at = open_page("region_sud")
    at.number_input(key="rs_plancher").set_value(ENVELOPE // 2 + 1000).run()
    assert not at.exception
    assert "Plancher impossible" in at.error[0].value
    assert at.query_params["plancher"] == str(ENVELOPE // 2 + 1000)
    at.number_input(key="rs_plancher").set_value(1000).run()
    assert not at.error and sum(allocation_amounts(at)) == ENVELOPE


def test_candidates_can_be_narrowed_to_epci_wholly_in_the_region(sud_marts):
    at = open_page("region_sud")
    at.button(key="rs_entiers").click().run()
    assert not at.exception
    assert at.multiselect(key="rs_candidats").value == ["249710001"]
    assert allocation_amounts(at) == [ENVELOPE]
    at.multiselect(key="rs_candidats").set_value([]).run()
    assert any("Aucun EPCI candidat" in i.value for i in at.info)


def test_no_epci_in_the_region_says_so_and_stops(marts):
    at = open_page("region_sud")
    assert not at.exception
    assert any(f"Aucun EPCI n'a de commune dans la région {REGION}" in i.value for i in at.info)
    assert not at.dataframe


def test_every_table_offers_csv_and_excel_exports(sud_marts):
    at = open_page("region_sud")
    assert len(at.dataframe) == 2  # profile, allocation; the chart's data behind its toggle
    show_chart_tables(at)
    labels = [b.label for b in at.get("download_button")]
    assert len(at.dataframe) == 3
    for label in ("CSV (;)", "CSV (,)", "Excel"):
        assert labels.count(label) == exported_tables(at), (label, labels)
