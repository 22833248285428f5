"""Table exports: French CSV, XLSX with its "À propos" sheet, hostile cells, personal data."""

import io
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from core.domain.permalink import make_permalink
from core.exports.tables import ExportContext, neutralise, prepare_export, to_csv_bytes, to_xlsx_bytes


@pytest.fixture
def table():
    """Two rows: a decimal, a code with a leading zero, and hostile text cells."""
    return pd.DataFrame(
        {
            "insee_dep": ["01", "2A"],
            "nom": ['=HYPERLINK("http://x","clic")', "Brest"],
            "pour_100k": [1.25, 0.5],
            "commentaire": ["+33 6 00 00 00 00", "@SUM(A1:A2)"],
            "mail": ["a@b.fr", "c@d.fr"],
            "geometry": [None, None],
        }
    )


HOSTILE = ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Brest", "", "1,5", 3, -3.5, None])
def test_other_cells_are_kept(value):
    assert neutralise(value) == value


def test_prepare_export_drops_personal_data_and_geometry(table):
    out = prepare_export(table.assign(note=["écrire à jean@exemple.fr", "x"]))
    assert "mail" not in out.columns and "geometry" not in out.columns
    assert out.loc[0, "note"] == "écrire à [adresse retirée]"
    assert out.loc[0, "nom"].startswith("'=")
    assert table.loc[0, "nom"].startswith("=")  # the input is not modified


def test_french_csv_round_trip(table):
    data = to_csv_bytes(table, ";")
    assert data.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", dtype={"insee_dep": str}, encoding="utf-8-sig")
    assert back["pour_100k"].tolist() == [1.25, 0.5]
    assert back["insee_dep"].tolist() == ["01", "2A"]
    assert back["nom"].iloc[0].startswith("'=") and back["commentaire"].iloc[1] == "'@SUM(A1:A2)"
    assert "mail" not in back.columns
    comma = pd.read_csv(io.BytesIO(to_csv_bytes(table, ",")), encoding="utf-8-sig")
    assert comma["pour_100k"].tolist() == [1.25, 0.5]
    with pytest.raises(ValueError, match="separator"):
        to_csv_bytes(table, "|")


def test_xlsx_has_data_and_about_sheet(table):
    context = ExportContext(
        "QPV sans Fabrique",
        "Filtres : cohorte 2023",
        ["ANCT, QPV 2024"],
        {"commentaire": "Texte libre."},
        datetime(2026, 11, 23, 10, 30),
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table, context)))
    assert book.sheetnames == ["Données", "À propos"]
    data = book["Données"]
    assert [c.value for c in data[1]] == ["insee_dep", "nom", "pour_100k", "commentaire"]
    assert data["A2"].value == "01" and data["C2"].value == 1.25
    assert data["B2"].value.startswith("'=") and data["D3"].value == "'@SUM(A1:A2)"
    assert all(cell.data_type != "f" for row in data.iter_rows() for cell in row)  # no formula anywhere
    about = {row[0]: row[1] for row in book["À propos"].iter_rows(values_only=True) if row and row[0]}
    assert about["Titre"] == "QPV sans Fabrique"
    assert about["Filtres actifs"] == "Filtres : cohorte 2023"
    assert about["Exporté le"] == "23/11/2026 10:30"
    assert about["commentaire"] == "Texte libre."
    assert about["insee_dep"].startswith("Code du département")


def test_hostile_context_is_neutralised_too(table):
    context = ExportContext("=titre", "=filtres", ["=source"])
    about = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(table, context)))["À propos"]
    values = [c.value for row in about.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=titre" in values and "'=filtres" in values and "'=source" in values


def test_permalink_is_stable():
    assert (
        make_permalink("http://h/qpv", {"dep": "29", "cohorte": "2023", "vide": ""})
        == "http://h/qpv?cohorte=2023&dep=29"
    )
