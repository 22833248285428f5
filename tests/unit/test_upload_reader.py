"""The upload corpus: each file as agents' tools make it, hostile or not, and its expected outcome (a frame, or a
clear refusal). Every file is built by the test (tests/upload_corpus.py)."""

from __future__ import annotations

import datetime as dt
import json
import time

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from bench.crafted_files import crafted_zip, make_bomb_xlsx, make_far_cell_xlsx, repeated_deflate
from core.uploads.reader import UploadError, UploadLimits, read_upload
from core.uploads.sandbox import running_workers
from tests.upload_corpus import (
    WGS84_PLACES,
    excel_unicode_text,
    geojson_bytes,
    geopackage_bytes,
    ods_bytes,
    places_frame,
    shapefile_zip,
    zip_of,
)
from tests.upload_corpus import xlsx_bytes as workbook_bytes


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    return workbook_bytes({"Feuil1": rows})


def feature_collection(features: list[dict], crs: str | None = None) -> bytes:
    body: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        body["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(body).encode()


POINT = {
    "type": "Feature",
    "properties": {"nom": "Lieu", "code": "01001"},
    "geometry": {"type": "Point", "coordinates": [5.05, 46.05]},
}


@pytest.mark.parametrize(
    ("name", "data", "columns", "first_row", "encoding", "separator"),
    [
        ("bom.csv", "\ufeffnom;insee\nLieu;01001\n".encode(), ["nom", "insee"], ["Lieu", "01001"], "UTF-8", ";"),
        ("comma.csv", b"nom,insee\nLieu,01001\n", ["nom", "insee"], ["Lieu", "01001"], "UTF-8", ","),
        ("tab.csv", b"nom\tinsee\nLieu\t01001\n", ["nom", "insee"], ["Lieu", "01001"], "UTF-8", "\t"),
        (
            "cp1252.csv",
            "nom;commune\nÉcole;Orléans\n".encode("cp1252"),
            ["nom", "commune"],
            ["École", "Orléans"],
            "Windows-1252",
            ";",
        ),
        # The leading zero survives: cells are read as text.
        ("zero.csv", b"nom;insee\nLieu;01001\n", ["nom", "insee"], ["Lieu", "01001"], "UTF-8", ";"),
        ("quoted.csv", b'nom;montant\n"A; B";"150 000,50"\n', ["nom", "montant"], ["A; B", "150 000,50"], "UTF-8", ";"),
        ("spaces.csv", b" nom ; insee \n  Lieu ; 01001 \n", ["nom", "insee"], ["Lieu", "01001"], "UTF-8", ";"),
        (
            "formula.csv",
            b'nom;x\n=HYPERLINK("http://x");1\n',
            ["nom", "x"],
            ['=HYPERLINK("http://x")', "1"],
            "UTF-8",
            ";",
        ),
        (
            "script.csv",
            b"nom;x\n<script>alert(1)</script>;1\n",
            ["nom", "x"],
            ["<script>alert(1)</script>", "1"],
            "UTF-8",
            ";",
        ),
        ("trailing.csv", b"nom;insee;\nLieu;01001;\n", ["nom", "insee"], ["Lieu", "01001"], "UTF-8", ";"),
    ],
)
def test_csv_files_are_read_as_text(name, data, columns, first_row, encoding, separator):
    table = read_upload(data, name)
    assert list(table.frame.columns) == columns
    assert table.frame.iloc[0].tolist() == first_row
    assert (table.encoding, table.separator) == (encoding, separator)


def test_windows_1252_is_said():
    table = read_upload("nom\nÉcole\n".encode("cp1252"), "a.csv")
    assert any("Windows-1252" in note for note in table.notes)


def test_duplicate_rows_are_kept_for_validation():
    table = read_upload(b"nom;insee\nA;01001\nA;01001\n", "a.csv")
    assert len(table.frame) == 2


def test_xlsx_is_read_with_codes_as_text():
    table = read_upload(xlsx_bytes([["nom", "insee"], ["Lieu", "01001"]]), "a.xlsx")
    assert table.frame.to_dict("records") == [{"nom": "Lieu", "insee": "01001"}]


def test_geojson_points_give_coordinates():
    polygon = {
        "type": "Feature",
        "properties": {"nom": "Zone"},
        "geometry": {"type": "Polygon", "coordinates": [[[5, 46], [5.1, 46], [5.1, 46.1], [5, 46.1], [5, 46]]]},
    }
    table = read_upload(feature_collection([POINT, polygon], "urn:ogc:def:crs:OGC:1.3:CRS84"), "a.geojson")
    assert table.frame.loc[0, ["longitude", "latitude"]].tolist() == ["5.05", "46.05"]
    assert 5 < float(table.frame.loc[1, "longitude"]) < 5.1
    assert any("non ponctuelles" in note for note in table.notes)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "vide"),
        ("bom-only.csv", b"\xef\xbb\xbf\r\n", "vide"),
        ("header-only.csv", b"nom;insee\n", "aucune ligne de données"),
        ("dup.csv", b"nom;insee;nom\nA;1;B\n", "plusieurs colonnes nommées nom"),
        ("dup-case.csv", b"Nom;nom\nA;B\n", "plusieurs colonnes"),
        ("binary.csv", xlsx_bytes([["nom"], ["A"]]), "contenu est binaire"),
        ("fake.xlsx", b"nom;insee\nA;01001\n", "n'est pas un classeur Excel"),
        ("fake.ods", b"nom;insee\nA;01001\n", "n'est pas un classeur LibreOffice"),
        ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "protégé par un mot de passe"),
        ("broken.xlsx", b"PK\x03\x04not really a zip", "n'a pas pu être lu"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "format .xls"),
        ("lieux.shp", b"\x00\x00\x27\x0a", "zip"),
        ("fake.zip", b"nom\nA\n", "n'est pas une archive zip"),
        ("fake.gpkg", b"nom\nA\n", "n'est pas un GeoPackage"),
        ("a.pdf", b"%PDF-1.4", "extension"),
        ("noext", b"nom\nA\n", "extension"),
        ("bad.geojson", b"{not json", "GeoJSON valide"),
        ("list.geojson", b"[1, 2]", "FeatureCollection"),
        ("ragged.csv", b'nom;insee\n"A;01001\nB;"x";y\n', "colonnes régulières"),
        ("wider.csv", b"nom;insee\nA;01001;extra\n", "colonnes régulières"),
        ("utf16-bom-only.txt", b"\xff\xfe", "vide"),
    ],
)
def test_hostile_files_are_refused_with_a_message(name, data, message):
    with pytest.raises(UploadError, match=message):
        read_upload(data, name)


def test_limits_are_enforced():
    limits = UploadLimits(max_bytes=100, max_rows=2, max_columns=3)
    with pytest.raises(UploadError, match="au-delà de la limite"):
        read_upload(b"nom\n" + b"A\n" * 100, "big.csv", limits)
    with pytest.raises(UploadError, match="3 lignes"):
        read_upload(b"nom\nA\nB\nC\n", "rows.csv", limits)
    with pytest.raises(UploadError, match="4 colonnes"):
        read_upload(b"a;b;c;d\n1;2;3;4\n", "cols.csv", limits)


def test_frame_cells_are_strings():
    table = read_upload(xlsx_bytes([["nom", "montant", "date"], ["A", 150000.5, "2021-03-30"]]), "a.xlsx")
    assert all(isinstance(v, str) for v in table.frame.iloc[0])
    assert pd.api.types.is_object_dtype(table.frame["montant"]) or pd.api.types.is_string_dtype(table.frame["montant"])


# --- text as spreadsheet tools export it -------------------------------------------------------


@pytest.mark.parametrize("big_endian", [False, True], ids=["LE", "BE"])
def test_excel_unicode_text_is_read(big_endian):
    """Excel's « Texte Unicode »: UTF-16 with a BOM, tabs, CRLF, accents."""
    data = excel_unicode_text([["Nom du lieu", "Code INSEE"], ["École de Bâgé", "01025"]], big_endian)
    table = read_upload(data, "export.txt")
    assert table.frame.to_dict("records") == [{"Nom du lieu": "École de Bâgé", "Code INSEE": "01025"}]
    assert (table.encoding, table.separator) == ("UTF-16 BE" if big_endian else "UTF-16 LE", "\t")


def test_utf16_without_a_bom_is_recognised_by_its_zero_bytes():
    table = read_upload("nom;insee\r\nÉcole;01001\r\n".encode("utf-16-le"), "a.csv")
    assert table.frame.iloc[0].tolist() == ["École", "01001"] and table.encoding == "UTF-16 LE"


TITLED_CSV = (
    "Lauréats de l'appel à projets 2023 — Lot-et-Garonne;;\n"
    "Source : préfecture, mise à jour du 12/03/2024;;\n"
    ";;\n"
    "Nom du lieu;Code INSEE;Montant\n"
    "La Fabrique;47001;50 000\n"
    "\n"
    "Le Hangar;47002;20 000\n"
).encode()


def test_title_rows_above_the_header_are_skipped_and_said():
    table = read_upload(TITLED_CSV, "laureats.csv")
    assert list(table.frame.columns) == ["Nom du lieu", "Code INSEE", "Montant"]
    assert table.frame["Nom du lieu"].tolist() == ["La Fabrique", "Le Hangar"]
    assert table.header_row == 4 and table.lines == [5, 7]  # the blank line 6 is no row
    assert any("ligne 4" in note for note in table.notes)


def test_the_header_line_can_be_chosen():
    table = read_upload(TITLED_CSV, "laureats.csv", header_row=2)
    assert table.header_row == 2 and table.frame.columns[0] == "Source : préfecture, mise à jour du 12/03/2024"
    assert table.lines[0] == 4 and any("ligne choisie" in note for note in table.notes)
    with pytest.raises(UploadError, match="à partir de la ligne 40"):
        read_upload(TITLED_CSV, "laureats.csv", header_row=40)


def test_a_line_of_countless_separators_is_refused_before_splitting():
    with pytest.raises(UploadError, match="plus de 600 champs"):
        read_upload(b"nom\n" + b";" * 5_000_000 + b"\n", "wide.csv")


# --- workbooks -----------------------------------------------------------------------------------

NOTICE = [["Notice"], ["Une ligne par lieu lauréat."], ["Les montants sont en euros."]]
DATA = [
    ["Liste des lauréats 2023"],
    [],
    ["nom", "insee", "montant", "date"],
    ["Lieu A", "01001", 150000.5, dt.datetime(2021, 3, 30)],
    ["Lieu B", 1001, 50000, None],
]


@pytest.mark.parametrize(("name", "build"), [("liste.xlsx", workbook_bytes), ("liste.ods", ods_bytes)])
def test_workbook_with_a_notice_first_reads_the_data_sheet(name, build):
    sheets = {"Notice": NOTICE, "Données": DATA} if name.endswith("xlsx") else {"Notice": NOTICE, "Données": DATA[:4]}
    table = read_upload(build(sheets), name)
    assert table.sheet == "Données"
    assert [(s.name, s.rows) for s in table.sheets] == [("Notice", 3), ("Données", len(sheets["Données"]) - 1)]
    assert table.header_row == 3 and list(table.frame.columns) == ["nom", "insee", "montant", "date"]
    first = table.frame.iloc[0].tolist()
    assert first[:3] == ["Lieu A", "01001", "150000.5"]
    assert any("Feuille « Données »" in note for note in table.notes)


def test_workbook_numbers_and_dates_read_as_typed():
    table = read_upload(workbook_bytes({"Données": DATA}), "liste.xlsx")
    assert table.frame.to_dict("records") == [
        {"nom": "Lieu A", "insee": "01001", "montant": "150000.5", "date": "2021-03-30"},
        {"nom": "Lieu B", "insee": "1001", "montant": "50000", "date": ""},
    ]
    assert table.lines == [4, 5]


def test_another_sheet_can_be_chosen():
    data = workbook_bytes({"Notice": NOTICE, "Données": DATA})
    table = read_upload(data, "liste.xlsx", sheet="Notice")
    assert table.sheet == "Notice" and table.frame.iloc[:, 0].tolist() == NOTICE[1][:1] + NOTICE[2][:1]
    with pytest.raises(UploadError, match="pas de feuille « Autre »"):
        read_upload(data, "liste.xlsx", sheet="Autre")


def test_empty_workbook_is_refused():
    with pytest.raises(UploadError, match="vide"):
        read_upload(workbook_bytes({"Feuil1": []}), "vide.xlsx")


# --- vector files in any declared CRS ------------------------------------------------------------


def assert_at_places(frame: pd.DataFrame) -> None:
    """The two places are where they are in WGS 84 (within 0.02°, about 2 km)."""
    for _, row in frame.iterrows():
        lon, lat = WGS84_PLACES[row["nom"]]
        assert abs(float(row["longitude"]) - lon) < 0.02 and abs(float(row["latitude"]) - lat) < 0.02, row["nom"]


def test_lambert93_geojson_is_reprojected_and_said():
    table = read_upload(geojson_bytes(places_frame()), "lieux.geojson")
    assert table.frame["insee"].tolist() == ["01053", "69123"]
    assert_at_places(table.frame)
    assert any("Lambert-93 (EPSG:2154) en WGS 84" in note for note in table.notes)


def test_zipped_shapefile_in_a_folder_is_read_and_reprojected():
    table = read_upload(shapefile_zip({"lieux": places_frame()}, folder="export QGIS/"), "lieux.zip")
    assert table.kind == "Shapefile" and table.layer == "lieux"
    assert_at_places(table.frame)
    assert any("Lambert-93" in note for note in table.notes)


def test_zip_with_two_shapefiles_offers_the_choice():
    data = shapefile_zip({"un_lieu": places_frame().iloc[:1], "lieux": places_frame()})
    table = read_upload(data, "couches.zip")
    assert table.layer == "lieux" and [(s.name, s.rows) for s in table.layers] == [("un_lieu", 1), ("lieux", 2)]
    assert read_upload(data, "couches.zip", layer="un_lieu").frame["nom"].tolist() == ["Bourg-en-Bresse"]


def test_shapefile_without_its_prj_in_degrees_is_read_as_wgs84():
    table = read_upload(shapefile_zip({"lieux": places_frame("EPSG:4326")}, skip=(".prj",)), "lieux.zip")
    assert_at_places(table.frame)
    assert any("Aucun système de coordonnées déclaré" in note for note in table.notes)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (shapefile_zip({"lieux": places_frame()}, skip=(".prj",)), "pas de fichier .prj"),
        (shapefile_zip({"lieux": places_frame()}, skip=(".dbf",)), "il manque .dbf"),
        (zip_of({"lisez-moi.txt": b"rien"}), "aucun fichier .shp"),
    ],
    ids=["no-prj-lambert", "no-dbf", "no-shp"],
)
def test_incomplete_shapefiles_are_refused_with_what_to_do(data, message):
    with pytest.raises(UploadError, match=message):
        read_upload(data, "lieux.zip")


def test_geopackage_reads_the_largest_layer_and_offers_the_others():
    data = geopackage_bytes({"un_lieu": places_frame().iloc[:1], "lieux": places_frame()})
    table = read_upload(data, "lieux.gpkg")
    assert table.kind == "GeoPackage" and table.layer == "lieux"
    assert {(s.name, s.rows) for s in table.layers} == {("un_lieu", 1), ("lieux", 2)}
    assert_at_places(table.frame)
    assert read_upload(data, "lieux.gpkg", layer="un_lieu").frame["nom"].tolist() == ["Bourg-en-Bresse"]
    with pytest.raises(UploadError, match="pas de couche « autre »"):
        read_upload(data, "lieux.gpkg", layer="autre")


def test_geometry_mode_keeps_the_polygons_in_wgs84():
    squares = gpd.GeoDataFrame(
        {"CODE_QP": ["QP001001"], "NOM_QP": ["Quartier"]},
        geometry=[Point(872_800, 6_569_900).buffer(500)],
        crs="EPSG:2154",
    )
    table = read_upload(shapefile_zip({"qp": squares}), "qp2015.zip", keep_geometry=True)
    frame = table.frame
    assert isinstance(frame, gpd.GeoDataFrame) and frame.crs.to_epsg() == 4326
    assert frame["CODE_QP"].tolist() == ["QP001001"] and frame.geometry.iloc[0].geom_type == "Polygon"
    centre = frame.geometry.iloc[0].centroid
    assert abs(centre.x - WGS84_PLACES["Bourg-en-Bresse"][0]) < 0.02
    with pytest.raises(UploadError, match="n'est pas un fichier géographique"):
        read_upload(b"nom\nA\n", "a.csv", keep_geometry=True)


# --- archives inspected before inflation ----------------------------------------------------------


def test_an_inflating_workbook_is_refused_by_inspection():
    """300 Mo of rows deflated to under 1 Mo: refused from the central directory, nothing inflated."""
    data = make_bomb_xlsx(300)
    assert len(data) < 1024 * 1024
    with pytest.raises(UploadError, match=r"se décompresserait en 300,0 Mo .* refusé sans être ouvert"):
        read_upload(data, "bombe.xlsx")
    assert not running_workers()


def test_one_member_compressed_beyond_any_ordinary_file_is_refused():
    chunk = b"\x00" * (1 << 20)
    stream, crc = repeated_deflate(chunk, 50)
    data = crafted_zip([("lieux.shp", stream, 50 << 20, crc)])
    with pytest.raises(UploadError, match=r"comprimé .* fois .* fichier piégé"):
        read_upload(data, "lieux.zip")


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../../lieux.shp": b"x"}, "sort du dossier"),
        ({"/etc/lieux.shp": b"x"}, "sort du dossier"),
        ({"couche.zip": b"PK"}, "archives imbriquées"),
        ({f"f{i}.txt": b"" for i in range(501)}, "501 fichiers"),
    ],
    ids=["climbs", "absolute", "nested", "members"],
)
def test_hostile_archives_are_refused_before_inflation(members, message):
    with pytest.raises(UploadError, match=message):
        read_upload(zip_of(members), "lieux.zip")


# --- the worker's limits -------------------------------------------------------------------------


def test_a_workbook_asking_for_gigabytes_is_stopped_by_the_memory_limit():
    """5 kB whose far cell makes calamine allocate a dense 16 384 × 20 000 range (about 10 GB)."""
    with pytest.raises(UploadError, match="dépassé la mémoire permise"):
        read_upload(make_far_cell_xlsx(), "etendue.xlsx")
    assert read_upload(xlsx_bytes([["nom"], ["A"]]), "ensuite.xlsx").frame["nom"].tolist() == ["A"]


def test_a_read_over_the_time_limit_is_killed():
    data = xlsx_bytes([["nom", "insee", "montant"]] + [[f"Lieu {i}", "01001", i] for i in range(20_000)])
    with pytest.raises(UploadError, match="a dépassé 0,01 s et a été arrêtée"):
        read_upload(data, "lent.xlsx", UploadLimits(worker_timeout_s=0.01))
    deadline = time.monotonic() + 10
    while running_workers() and time.monotonic() < deadline:  # killed by its pid, then reaped by the server
        time.sleep(0.05)
    assert not running_workers()


def test_a_workbook_exported_by_the_dashboard_reads_back_its_data_not_its_notice():
    """A two-row table exported to Excel (its « À propos » sheet is longer) is read from its data sheet."""
    import pandas as pd

    from core.exports.tables import ExportContext, to_xlsx_bytes

    data = to_xlsx_bytes(
        pd.DataFrame({"nom": ["A", "B"], "insee_com": ["01001", "29001"]}), ExportContext("T", "F", [])
    )
    table = read_upload(data, "export.xlsx")
    assert table.sheet != "À propos" and table.frame["nom"].tolist() == ["A", "B"]
    assert [s.name for s in table.sheets][-1] == "À propos"
