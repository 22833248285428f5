"""Integration: build from the real mirror (when beside the project) and check invariants."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from core.domain.text import EMAIL_RE
from core.paths import MART_NAMES
from etl.build import run_build
from etl.catalogue import load_catalogue
from tests.conftest import MIRROR

pytestmark = [
    pytest.mark.mirror,
    pytest.mark.skipif(not MIRROR.is_dir(), reason="no mirror beside the project"),
]


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    root = tmp_path_factory.mktemp("mirror-build")
    run_build(root / "raw", root / "marts", MIRROR, None, download=False, progress=False)
    return root / "marts"


def read(marts, name):
    return (
        gpd.read_parquet(marts / f"{name}.parquet")
        if name not in ("programmes", "codes_communes")
        else pd.read_parquet(marts / f"{name}.parquet")
    )


def test_fabriques_invariants(marts):
    fab = read(marts, "fabriques")
    assert len(fab) == 382 and fab["fabrique_id"].is_unique
    assert sorted(fab["fabrique_id"]) == list(range(1, 383))
    assert fab["cohort"].value_counts().to_dict() == {"2020-2021": 300, "2023": 82}
    assert (fab["wave"] == 1).sum() == 80 and fab.loc[fab["wave"] == 1, "fabrique_id"].max() == 80
    for col in ("insee_com", "nom_com", "insee_dep", "nom_dep", "insee_reg", "nom_reg"):
        assert fab[col].notna().all(), col
    brest = fab.loc[fab["fabrique_id"] == 194, "nom"].item()
    assert "Bretagne & Les Fabriques du Ponant" in brest
    assert fab.loc[fab["fabrique_id"] == 210, "nom"].item().endswith("Ressources & Compétences")
    assert not fab["nom"].str.contains("\n|&amp;").any()
    assert fab.loc[fab["insee_com"] == "97801", "location_precision"].item().startswith("aucune")
    assert fab.loc[fab["insee_com_source"] == "49069", "insee_com"].item() == "49126"
    # no detailed file: the detail columns are there, unknown, and the funding is the estimate
    assert fab["montant"].isna().all() and (fab["montant_source"] == "estimation").all()
    assert (fab["vague"] == 1).sum() == 80 and fab["vague"].isna().sum() == 302


def test_codes_communes_rebuild_the_code_map(marts):
    from core.domain.codes import code_map_from_mart

    codes = read(marts, "codes_communes")
    assert codes["ancien_code"].is_unique and not codes["ancien_code"].isin(read(marts, "communes")["insee_com"]).any()
    code_map = code_map_from_mart(read(marts, "communes"), codes)
    fab = read(marts, "fabriques")
    metro_drom = fab[fab["insee_com"] != "97801"]
    mapped = code_map.map_series(metro_drom["insee_com_source"])
    assert (mapped["code_2026"] == metro_drom["insee_com"]).all()


def test_qpv_invariants(marts):
    qpv = read(marts, "qpv")
    assert len(qpv) == 1609 and qpv["code_qp"].is_unique
    assert qpv.geometry.is_valid.all()
    assert set(qpv.loc[qpv["area_zero"], "code_qp"]) == {"QN09105I", "QN09113I", "QN09503I"}
    assert qpv["pop_qpv"].sum() == pytest.approx(5.93e6, rel=0.01)


def test_communes_sum_to_cog_total(marts):
    communes = read(marts, "communes")
    cog = json.loads((MIRROR / "etalab-decoupage-administratif-6.0.0/communes.json").read_text(encoding="utf-8"))
    expected = sum(
        c.get("population", 0) for c in cog if c["type"] == "commune-actuelle" and c["zone"] in ("metro", "drom")
    )
    assert len(communes) == 34875 and communes["insee_com"].is_unique
    assert communes["population"].sum() == expected
    assert communes["a_polygone"].sum() == 34875 - 7
    assert communes["fabriques"].sum() == 381  # Saint-Martin is a COM, outside the communes mart
    for level in ("departements", "regions"):
        assert read(marts, level)["population"].sum() == expected


def test_no_email_in_any_mart(marts):
    for name in MART_NAMES:
        frame = read(marts, name).drop(columns=["geometry"], errors="ignore")
        for col in frame.columns:
            values = frame[col].dropna().astype(str)
            assert not values.str.contains(EMAIL_RE).any(), f"{name}.{col}"


def test_report_covers_every_catalogue_source(marts):
    report = json.loads((marts / "_report.json").read_text(encoding="utf-8"))
    assert set(report["sources"]) == {e.source_id for e in load_catalogue()}
    assert report["marts"]["fabriques"]["rows"] == 382


def test_the_scope_rule_on_the_real_marts(marts, monkeypatch):
    """The two cases the scope issue reported, on the real data (counts checked by hand on the marts)."""
    from tests.app.conftest import open_page, summaries

    monkeypatch.setenv("FABT_MARTS_DIR", str(marts))
    communes = read(marts, "communes")
    breton = communes.loc[communes["insee_reg"] == "53", "siren_epci"].dropna().unique()
    assert len(breton) == 61
    at = open_page("couverture_equite", {"reg": "53", "echelle": "epci"})
    assert not at.exception
    expected = "43 EPCI sur 61 sans aucune Fabrique de la sélection (42 sur 59 entièrement dans le périmètre)"
    assert expected in summaries(at)[0]
    at = open_page("quartiers_prioritaires", {"reg": "11", "cohorte": "2023"})
    assert " QPV sur 298 du périmètre " in summaries(at)[1]
    # Territoire de Belfort has no Fabrique: it is still a département of its région, and can be chosen.
    at = open_page(None, {"reg": "27"})
    assert any(option.startswith("90") for option in at.sidebar.multiselect(key="f_departements").options)
