"""The whole build on the fixture world: golden marts, report, cache, rebuild."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from core.paths import MART_NAMES
from etl.build import run_build
from tests.fixture_world import FABRIQUES, SQUARES, write_world
from tests.upload_corpus import shapefile_zip

GOLDEN = Path(__file__).with_name("golden")
GOLDEN_COLUMNS = {
    "fabriques": [
        "fabrique_id",
        "nom",
        "insee_com",
        "insee_com_source",
        "cohort",
        "wave",
        "vague",
        "montant",
        "montant_source",
        "adresse",
        "fnt",
        "location_precision",
        "insee_dep",
        "insee_reg",
        "siren_epci",
        "insee_arr",
        "densite_niveau",
        "densite_4",
        "rural_insee",
        "frr",
        "commune_qpv",
        "dans_qpv",
        "qpv_contenant",
        "qpv_plus_proche",
        "distance_qpv_m",
        "pvd",
        "longitude",
        "latitude",
    ],
    "communes": [
        "insee_com",
        "nom_com",
        "population",
        "siren_epci",
        "densite_3",
        "typologie_ruralite",
        "centralite",
        "montagne",
        "frr_classe",
        "qpv_nombre",
        "qpv_population",
        "fabriques_2020_2021",
        "fabriques_2023",
        "tiers_lieux_2019",
        "distance_fabrique_m",
        "a_polygone",
        "pvd",
        "france_services",
    ],
    "qpv": [
        "code_qp",
        "communes",
        "noms_communes",
        "insee_reg",
        "pop_qpv",
        "fabriques_dedans",
        "fabrique_plus_proche",
        "distance_fabrique_m",
        "area_zero",
        "generation",
    ],
    "departements": [
        "insee_dep",
        "nom_dep",
        "communes",
        "population",
        "fabriques",
        "fabriques_pour_100k",
        "qpv_nombre",
        "qpv_population",
        "part_population_rurale",
    ],
}


def _as_text(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.6g")


@pytest.mark.parametrize("mart", list(GOLDEN_COLUMNS))
def test_marts_match_golden_files(fixture_build, mart):
    frame = gpd.read_parquet(fixture_build["marts"] / f"{mart}.parquet")
    text = _as_text(pd.DataFrame(frame[GOLDEN_COLUMNS[mart]]))
    golden = GOLDEN / f"{mart}.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_every_mart_is_written_with_geometry_where_expected(fixture_build):
    for name in MART_NAMES:
        path = fixture_build["marts"] / f"{name}.parquet"
        assert path.exists()
    assert gpd.read_parquet(fixture_build["marts"] / "communes.parquet").crs.to_epsg() == 4326
    assert "geometry" not in pd.read_parquet(fixture_build["marts"] / "programmes.parquet").columns


def test_report_counts_drops_and_remaps(fixture_build):
    report = json.loads((fixture_build["marts"] / "_report.json").read_text(encoding="utf-8"))
    assert report["marts"]["fabriques"]["rows"] == len(FABRIQUES)
    polygons = report["sources"]["communes_polygones_2018"]["staging"][0]
    counts = {e["reason"].split(" (")[0].split(":")[0]: e["count"] for e in polygons["events"]}
    assert polygons["rows_in"] == len(SQUARES) and polygons["rows_out"] == len(SQUARES) - 1  # 01340 dissolved
    assert counts["2018 commune merged into a 2026 commune"] == 1
    assert counts["invalid polygon repaired with make_valid"] == 1
    qpv = report["sources"]["qpv_indicateurs"]["staging"][0]
    assert (qpv["rows_in"], qpv["rows_out"]) == (6, 5)  # QN00101M is on two rows
    for source in report["sources"].values():
        for step in source.get("staging", []):
            dropped = sum(e["count"] for e in step["events"] if e["kind"] == "dropped")
            if step["step"] in ("fabriques", "tiers_lieux_2019", "qpv_2024"):
                assert step["rows_in"] - dropped <= step["rows_out"]
    assert all(len(f["sha256"]) == 64 for s in report["sources"].values() for f in s.get("files", []))


def test_personal_data_never_reaches_a_mart(fixture_build):
    for name in MART_NAMES:
        frame = pd.read_parquet(fixture_build["marts"] / f"{name}.parquet")
        text = frame.drop(columns=["geometry"], errors="ignore").astype(str).to_csv()
        assert "@example.org" not in text
        assert "Jeanne Martin" not in text and "Paul Durand" not in text
        assert not {"CONTACT", "MAIL", "contact", "mail"} & set(frame.columns)


def test_unchanged_rebuild_is_skipped_and_cache_reused(tmp_path):
    catalogue = write_world(tmp_path / "raw")
    args = dict(download=False, catalogue=catalogue, progress=False)
    first = run_build(tmp_path / "raw", tmp_path / "marts", None, tmp_path / "cache", **args)
    assert not first.skipped and len(list((tmp_path / "cache").glob("*.pkl"))) >= 20
    second = run_build(tmp_path / "raw", tmp_path / "marts", None, tmp_path / "cache", **args)
    assert second.skipped and second.report["build_key"] == first.report["build_key"]
    forced = run_build(tmp_path / "raw", tmp_path / "marts", None, tmp_path / "cache", force=True, **args)
    assert not forced.skipped
    assert forced.report["marts"] == first.report["marts"]
    # the marts folder is a link swapped atomically; only the current and previous builds remain
    assert (tmp_path / "marts").is_symlink()
    assert len([p for p in tmp_path.iterdir() if p.name.startswith(".marts-")]) <= 2


def build_with_qpv_2015(tmp_path, catalogue, qpv_2015):
    """Build the fixture world (no cache) with a user-supplied 2015 QPV file."""
    return run_build(
        tmp_path / "raw",
        tmp_path / "marts",
        None,
        None,
        download=False,
        catalogue=catalogue,
        progress=False,
        qpv_2015=qpv_2015,
    )


def test_user_supplied_qpv_2015_is_added_with_its_generation(tmp_path):
    """A 2015 file in ANCT's own column names (CODE_QP, NOM_QP), no commune codes."""
    catalogue = write_world(tmp_path / "raw")
    qpv_2015 = tmp_path / "qp2015.geojson"
    qpv_2015.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"CODE_QP":"QP001001",'
        '"NOM_QP":"Ancien quartier","COMMUNE_QP":"Alpha"},"geometry":{"type":"Polygon","coordinates":'
        "[[[5.04,46.04],[5.06,46.04],[5.06,46.06],[5.04,46.06],[5.04,46.04]]]}}]}",
        encoding="utf-8",
    )
    result = build_with_qpv_2015(tmp_path, catalogue, qpv_2015)
    qpv = gpd.read_parquet(tmp_path / "marts" / "qpv.parquet")
    assert qpv["generation"].value_counts().to_dict() == {"2024": 6, "2015": 1}
    assert qpv.loc[qpv["code_qp"] == "QP001001", "insee_dep"].item() == "01"
    fab = gpd.read_parquet(tmp_path / "marts" / "fabriques.parquet").set_index("fabrique_id")
    assert fab.loc[1, "dans_qpv_2015"] and fab.loc[1, "qpv_2015_contenant"] == "QP001001"
    assert not fab.loc[81, "dans_qpv_2015"] and fab.loc[81, "distance_qpv_2015_m"] > 5000
    assert result.report["sources"]["qpv_2015"]["files"][0]["sha256"]


def test_user_supplied_qpv_2015_as_a_lambert93_shapefile_is_reprojected(tmp_path):
    """The same 2015 QPV as QGIS exports it for French data: a zipped shapefile in Lambert-93."""
    catalogue = write_world(tmp_path / "raw")
    square = gpd.GeoDataFrame(
        {"CODE_QP": ["QP001001"], "NOM_QP": ["Ancien quartier"]},
        geometry=[box(5.04, 46.04, 5.06, 46.06)],
        crs="EPSG:4326",
    ).to_crs("EPSG:2154")
    path = tmp_path / "qp2015.zip"
    path.write_bytes(shapefile_zip({"QP_2015": square}))
    result = build_with_qpv_2015(tmp_path, catalogue, path)
    fab = gpd.read_parquet(tmp_path / "marts" / "fabriques.parquet").set_index("fabrique_id")
    assert fab.loc[1, "dans_qpv_2015"] and fab.loc[1, "qpv_2015_contenant"] == "QP001001"
    reading = result.report["sources"]["qpv_2015"]["lecture"]
    assert reading["format"] == "Shapefile" and reading["couche"] == "QP_2015"
    assert any("Lambert-93 (EPSG:2154) en WGS 84" in note for note in reading["remarques"])


def test_qpv_file_without_a_code_column_is_refused(tmp_path):
    from etl.errors import SourceFormatError

    catalogue = write_world(tmp_path / "raw")
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"x"},'
        '"geometry":{"type":"Point","coordinates":[5,46]}}]}',
        encoding="utf-8",
    )
    with pytest.raises(SourceFormatError, match=r"bad\.geojson: no column for code_qp, lib_qp"):
        build_with_qpv_2015(tmp_path, catalogue, bad)


def test_every_mart_conforms_to_its_declared_schema(fixture_build):
    from core.mart_schemas import check_mart

    for name in MART_NAMES:
        path = fixture_build["marts"] / f"{name}.parquet"
        frame = pd.read_parquet(path) if name in ("programmes", "codes_communes") else gpd.read_parquet(path)
        assert check_mart(name, frame) == [], name


def test_a_mart_breaking_its_schema_is_never_published(tmp_path, monkeypatch):
    from etl.errors import EtlError
    from etl.marts import territories

    real = territories.build_territory

    def without_population(*args, **kwargs):
        return real(*args, **kwargs).drop(columns="population")

    monkeypatch.setattr("etl.build.build_territory", without_population)
    catalogue = write_world(tmp_path / "raw")
    with pytest.raises(EtlError, match=r"epci: population: missing column"):
        run_build(tmp_path / "raw", tmp_path / "marts", None, None, download=False, catalogue=catalogue, progress=False)
    assert not (tmp_path / "marts").exists()
