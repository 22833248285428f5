"""The upload corpus: each hostile file and its expected outcome (a frame, or a clear refusal)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from openpyxl import Workbook

from core.uploads.reader import UploadError, UploadLimits, read_upload


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def geojson_bytes(features: list[dict], crs: str | None = None) -> bytes:
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
    table = read_upload(geojson_bytes([POINT, polygon], "urn:ogc:def:crs:OGC:1.3:CRS84"), "a.geojson")
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
        ("broken.xlsx", b"PK\x03\x04not really a zip", "n'a pas pu être lu"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "format .xls"),
        ("a.pdf", b"%PDF-1.4", "extension"),
        ("noext", b"nom\nA\n", "extension"),
        ("bad.geojson", b"{not json", "GeoJSON valide"),
        ("list.geojson", b"[1, 2]", "FeatureCollection"),
        ("lambert.geojson", geojson_bytes([POINT], "urn:ogc:def:crs:EPSG::2154"), "WGS 84"),
        ("ragged.csv", b'nom;insee\n"A;01001\nB;"x";y\n', "colonnes régulières"),
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
