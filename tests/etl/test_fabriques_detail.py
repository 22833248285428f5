"""The detailed Fabriques file (``--fabriques-detail``): reading, checks, merge, report, funding.

The fixture world's open list holds fabt-1 and fabt-2 (wave 1, 2020-2021), fabt-81 (2020-2021,
commune 01340 of 2023 → 01015), fabt-301 and fabt-364 (2023 cohort, Saint-Martin without a
point). Every detailed file below is hand-made in the format a user would supply.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from openpyxl import Workbook

from core.analysis.key_figures import (
    ESTIMATED_GRANT,
    compute_funding_note,
    compute_funding_sources,
    compute_key_figures,
)
from core.analysis.reconciliation import compute_reconciliation, load_reference_figures
from core.domain.text import EMAIL_RE, column_key, is_personal_column
from core.exports.reports import compute_detail_disagreements, compute_detail_refusals, compute_detail_summary
from etl.build import run_build
from etl.errors import MissingSourceError, SourceFormatError
from etl.marts.fabriques_detail import expected_waves
from etl.staging.fabriques_detail import (
    parse_amount,
    parse_fabrique_id,
    parse_flag,
    parse_wave,
)
from tests.fixture_world import write_world
from tests.upload_corpus import ods_bytes

NEW_COLUMNS = ["vague", "montant", "montant_source", "adresse", "fnt"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One fixture world per module; every build shares its staging cache."""
    root = tmp_path_factory.mktemp("detail-world")
    return {"root": root, "catalogue": write_world(root / "raw")}


def values(series: pd.Series) -> dict:
    """A column as ``{fabrique_id: value}``, missing values as None."""
    return {k: (None if pd.isna(v) else v) for k, v in series.items()}


def build(world, detail, out_name: str, **kwargs):
    """Build the fixture world with ``detail``; return the fabriques mart, the report and the result."""
    root = world["root"]
    result = run_build(
        root / "raw",
        root / out_name,
        None,
        root / "cache",
        download=False,
        catalogue=world["catalogue"],
        progress=False,
        fabriques_detail=detail,
        **kwargs,
    )
    fabriques = gpd.read_parquet(root / out_name / "fabriques.parquet").set_index("fabrique_id", drop=False)
    report = json.loads((root / out_name / "_report.json").read_text(encoding="utf-8"))
    return fabriques, report, result


# --- parsers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("150 000", 150_000.0),
        ("150 000,00 €", 150_000.0),
        ("150\u202f000,00\u00a0€", 150_000.0),
        ("150000.5", 150_000.5),
        ("150000,5", 150_000.5),
        ("1.234.567,89", 1_234_567.89),
        ("1,234,567.89", 1_234_567.89),
        ("75000 EUR", 75_000.0),
        ("", None),
    ],
)
def test_parse_amount_reads_french_and_plain_numbers(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("abc", "n'est pas un montant"),
        ("-5000", "négatif ou nul"),
        ("0", "négatif ou nul"),
        ("=150000", "formule"),
        ("150.000", "ambigu"),
        ("150,000", "ambigu"),
        ("12 rue", "n'est pas un montant"),
    ],
)
def test_parse_amount_refuses_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "wave"), [("3", 3), ("3.0", 3), ("vague 3", 3), ("3e vague", 3), ("Vague 10", 10), ("", None)]
)
def test_parse_wave(text, wave):
    assert parse_wave(text) == wave


@pytest.mark.parametrize("text", ["0", "11", "2,5", "trois", "-1"])
def test_parse_wave_refuses_what_the_programme_never_had(text):
    with pytest.raises(ValueError, match="vague"):
        parse_wave(text)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("oui", True),
        ("Non", False),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("x", True),
        ("faux", False),
        ("", None),
    ],
)
def test_parse_flag(text, flag):
    assert parse_flag(text) is flag


def test_parse_flag_refuses_other_words():
    with pytest.raises(ValueError, match="FNT"):
        parse_flag("peut-être")


@pytest.mark.parametrize(
    ("text", "fid"), [("fabt-12", 12), ("FABT-12", 12), ("12", 12), (" 12.0 ", 12), ("fabt12", 12), ("douze", None)]
)
def test_parse_fabrique_id(text, fid):
    assert parse_fabrique_id(text) == fid


@pytest.mark.parametrize(
    ("name", "personal"),
    [("Contact", True), ("E-mail", True), ("Téléphone", True), ("Mail du porteur", True), ("Adresse", False)],
)
def test_personal_columns_are_recognised_by_name(name, personal):
    assert is_personal_column(name) is personal


def test_column_names_are_normalised():
    assert column_key(" Montant total (€) ") == "montant total"
    assert column_key("Fabrique numérique") == "fabrique numerique"


def test_expected_waves_follow_the_id_ranges():
    assert expected_waves(80) == {1}
    assert expected_waves(81) == {2, 3, 4, 5, 6, 7, 8, 10}
    assert expected_waves(301) == {9, 10}


# --- good files ---------------------------------------------------------------------------------


GOOD_CSV = (
    "Identifiant;Nom;Vague;Montant (€);Adresse;Fabrique numérique;Code INSEE\r\n"
    'fabt-1;Atelier A;1;"150 000,00 €";"12 rue de la Paix, 01000 Alpha";oui;01001\r\n'
    "2;Fab Lab;1;120000;;non;97101\r\n"
    "fabt-81;Tiers-lieu Delta;4;75 000;3 place du Marché;0;01340\r\n"
    "301;Lieu C;9;50000.5;;;1001\r\n"
)
GOOD_AMOUNTS = {1: 150_000.0, 2: 120_000.0, 81: 75_000.0, 301: 50_000.5}


@pytest.fixture(scope="module")
def good_build(world):
    """The good CSV in Windows-1252 with ``;``: fabt-3, fabt-302 and fabt-364 are absent, so their grants stay
    estimated."""
    path = world["root"] / "detail-1252.csv"
    path.write_bytes(GOOD_CSV.encode("cp1252"))
    fabriques, report, _ = build(world, path, "marts-good")
    return {"path": path, "fabriques": fabriques, "report": report}


def test_windows_1252_csv_is_merged_into_the_mart(good_build):
    fab = good_build["fabriques"]
    assert fab["vague"].dtype == "Int64" and fab["fnt"].dtype == "boolean" and fab["montant"].dtype == "float64"
    assert values(fab["vague"]) == {1: 1, 2: 1, 3: 1, 81: 4, 301: 9, 302: None, 364: None}
    # the open-data rule, unchanged
    assert values(fab["wave"]) == {1: 1, 2: 1, 3: 1, 81: None, 301: None, 302: None, 364: None}
    assert fab.loc[[1, 2, 81, 301], "montant"].to_dict() == GOOD_AMOUNTS
    assert fab.loc[[3, 302, 364], "montant"].isna().all()
    assert fab["montant_source"].to_dict() == {
        1: "fichier détaillé",
        2: "fichier détaillé",
        3: "estimation",
        81: "fichier détaillé",
        301: "fichier détaillé",
        302: "estimation",
        364: "estimation",
    }
    assert fab.loc[1, "adresse"] == "12 rue de la Paix, 01000 Alpha"
    assert fab.loc[81, "adresse"] == "3 place du Marché"  # accents decoded from Windows-1252
    assert pd.isna(fab.loc[2, "adresse"])
    assert values(fab["fnt"]) == {1: True, 2: False, 3: None, 81: False, 301: None, 302: None, 364: None}
    # the open list's commune and name are kept
    assert fab.loc[81, "insee_com"] == "01015" and fab.loc[1, "nom"] == "Atelier A & B"
    assert list(fab.columns[list(fab.columns).index("wave") :][: len(NEW_COLUMNS) + 1]) == ["wave", *NEW_COLUMNS]


def test_good_file_report(good_build):
    report = good_build["report"]
    merge = report["fabriques_detail"]
    assert merge["file"] == "detail-1252.csv"
    assert len(merge["sha256"]) == 64
    assert (merge["rows_read"], merge["merged"], merge["rejected"], merge["unknown_ids"]) == (4, 4, 0, 0)
    # 01340 is 01015 in COG 2026 and "1001" lost its leading zero: neither disagrees with the open list
    assert merge["commune_disagreements"] == [] and merge["wave_disagreements"] == []
    assert merge["fields"] == {"vague": 4, "montant": 4, "adresse": 2, "fnt": 3}
    assert merge["montant_total"] == pytest.approx(sum(GOOD_AMOUNTS.values()))
    assert merge["columns"]["lues"]["montant"] == "Montant (€)"
    assert merge["columns"]["lues"]["fnt"] == "Fabrique numérique"
    assert merge["reading"]["encodage"] == "Windows-1252" and merge["reading"]["séparateur"] == ";"
    source = report["sources"]["fabriques_detail"]
    assert source["files"][0]["sha256"] == merge["sha256"]
    assert source["staging"][0]["rows_in"] == 4 and source["staging"][0]["rows_out"] == 4


def test_amounts_replace_the_estimate_in_the_key_figures(good_build):
    fab = good_build["fabriques"]
    k = compute_key_figures(fab)
    estimated = ESTIMATED_GRANT["2020-2021"] + 2 * ESTIMATED_GRANT["2023"]  # fabt-3, fabt-302, fabt-364
    assert k["financement_estime"] == pytest.approx(sum(GOOD_AMOUNTS.values()) + estimated)
    assert compute_funding_sources(fab) == {
        "fichier": 4,
        "estimation": 3,
        "cas": "mixte",
        "definition": "financement_mixte",
    }
    assert "estimation pour 3 " in compute_funding_note(fab)
    only_file = fab[~fab["fabrique_id"].isin([3, 302, 364])]
    assert compute_funding_sources(only_file)["definition"] == "financement_fichier"
    assert compute_key_figures(only_file)["financement_estime"] == pytest.approx(sum(GOOD_AMOUNTS.values()))


def test_reconciliation_says_where_the_budget_comes_from(good_build, fixture_build):
    arrondissements = gpd.read_parquet(fixture_build["marts"] / "arrondissements.parquet")
    table = compute_reconciliation(load_reference_figures(), good_build["fabriques"], arrondissements)
    values = dict(zip(table["indicateur"], table["données ouvertes"], strict=True))
    # 150 000 + 120 000 + 75 000 from the file, 150 000 estimated (fabt-3)
    assert values["Budget du programme 2020-2021"] == "495\u202f000\u00a0€ (fichier détaillé ; 1 montants estimés)"
    # 50 000,5 from the file (fabt-301) + 50 000 estimated twice (fabt-302, fabt-364)
    assert (
        values["Subvention d'une Fabrique 2023 (un an)"]
        == "150\u202f000\u00a0€ (fichier détaillé ; 2 montants estimés)"
    )
    assert values["Fabriques numériques de territoire (vague 1)"] == "1 (fichier détaillé)"
    plain = compute_reconciliation(
        load_reference_figures(), gpd.read_parquet(fixture_build["marts"] / "fabriques.parquet"), arrondissements
    )
    plain_values = dict(zip(plain["indicateur"], plain["données ouvertes"], strict=True))
    assert "n.d." not in plain_values.values()  # every official figure has its open-data counterpart
    assert plain_values["Budget du programme 2020-2021"] == "600\u202f000\u00a0€ (estimation)"  # 4 × 150 000
    assert plain_values["Fabriques numériques de territoire (vague 1)"] == "inconnu"


def test_methods_page_tables(good_build):
    merge = good_build["report"]["fabriques_detail"]
    summary = dict(zip(*compute_detail_summary(merge).T.values, strict=True))
    assert summary["Lignes lues"] == "4" and summary["Lignes fusionnées"] == "4"
    assert compute_detail_refusals(merge).empty
    assert compute_detail_disagreements(merge).empty


def test_xlsx_with_numeric_cells_and_a_phone_column(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["ID Fabrique", "Wave", "Subvention", "Adresse", "FNT", "insee_com", "Téléphone"])
    sheet.append([81, 3, 99999.5, "1 rue du Port", "x", "01015", "06 12 34 56 78"])
    sheet.append(["fabt-364", 9, 50000, None, None, "97801", None])
    path = world["root"] / "detail.xlsx"
    book.save(path)
    fab, report, _ = build(world, path, "marts-xlsx")
    assert fab.loc[81, "vague"] == 3 and fab.loc[81, "montant"] == 99_999.5 and bool(fab.loc[81, "fnt"])
    assert fab.loc[81, "adresse"] == "1 rue du Port"
    assert fab.loc[364, "vague"] == 9 and fab.loc[364, "montant"] == 50_000
    assert fab.loc[1, "montant_source"] == "estimation" and fab.loc[1, "vague"] == 1
    merge = report["fabriques_detail"]
    assert (merge["rows_read"], merge["merged"], merge["rejected"], merge["unknown_ids"]) == (2, 2, 0, 0)
    assert merge["columns"]["personnelles"] == ["Téléphone"]
    assert "06 12 34 56 78" not in json.dumps(report, ensure_ascii=False)
    assert compute_key_figures(fab)["financement_estime"] == pytest.approx(
        99_999.5 + 50_000 + 3 * ESTIMATED_GRANT["2020-2021"] + 2 * ESTIMATED_GRANT["2023"]
    )


def test_ods_with_a_notice_sheet_and_a_title_block(world):
    """LibreOffice's format, as a department sends it: a notice first, then the list under two title rows."""
    data = ods_bytes(
        {
            "Notice": [["Fichier interne : ne pas diffuser."], ["Une ligne par Fabrique."]],
            "Fabriques": [
                ["Fabriques de Territoire — suivi des subventions"],
                [],
                ["Identifiant", "Vague", "Montant", "Code INSEE"],
                ["fabt-81", 4, 75000, "01015"],
                ["fabt-2", "douze", 120000, "97101"],
            ],
        }
    )
    path = world["root"] / "detail.ods"
    path.write_bytes(data)
    fab, report, _ = build(world, path, "marts-ods")
    assert fab.loc[81, "vague"] == 4 and fab.loc[81, "montant"] == 75_000
    merge = report["fabriques_detail"]
    assert (merge["rows_read"], merge["merged"], merge["rejected"]) == (2, 1, 1)
    assert merge["rejected_rows"][0]["ligne"] == 5  # the spreadsheet's own line, title rows counted
    reading = merge["reading"]
    assert (reading["format"], reading["feuille"], reading["ligne d'en-tête"]) == ("ODS", "Fabriques", 3)
    assert reading["feuilles"] == {"Notice": 2, "Fabriques": 4}


def test_geojson_with_a_bom_and_commas(world):
    body = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id_territoire": "fabt-2", "vague": "1", "montant_total": "100 000", "fnt": "true"},
                "geometry": {"type": "Point", "coordinates": [0.0, 0.0]},
            }
        ],
    }
    path = world["root"] / "detail.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(body).encode("utf-8"))
    fab, report, _ = build(world, path, "marts-geojson")
    assert fab.loc[2, "montant"] == 100_000 and bool(fab.loc[2, "fnt"])
    assert fab.loc[2, "longitude"] == pytest.approx(-61.55)  # the open list's point is kept
    assert report["fabriques_detail"]["merged"] == 1


# --- hostile file -------------------------------------------------------------------------------


HOSTILE_CSV = (
    "\ufeffid;Nom;Vague;Montant;Adresse;FNT;Contact;E-mail;Remarques;insee\n"
    'fabt-1;Atelier;1;150000;"=HYPERLINK(""http://x"")";oui;Jean Dupont;jean.dupont@example.org;'
    "écrire à paul@example.org;01001\n"
    'fabt-81;Delta;1;80 000;"5 rue B, marie.curie@example.org 06 12 34 56 78";x;;;;01002\n'
    "fabt-2;Fab;1;abc;;;;;;\n"
    "fabt-301;Lieu;9;-5000;;;;;;\n"
    "fabt-364;ANIS;12;;;;;;;\n"
    "fabt-200;Inconnu;1;1000;;;;;;\n"
    "999;Autre inconnu;;;;;;;;\n"
    "=1+1;Formule;;=SUM(A1);;;;;;\n"
)


@pytest.fixture(scope="module")
def hostile_build(world):
    """UTF-8 with BOM; formula, e-mail and phone in the cells; personal columns; bad values."""
    path = world["root"] / "hostile.csv"
    path.write_text(HOSTILE_CSV, encoding="utf-8")
    fabriques, report, _ = build(world, path, "marts-hostile")
    return {"fabriques": fabriques, "report": report, "marts": world["root"] / "marts-hostile"}


def test_hostile_file_counts_add_up(hostile_build):
    merge = hostile_build["report"]["fabriques_detail"]
    assert (merge["rows_read"], merge["merged"], merge["rejected"], merge["unknown_ids"]) == (8, 2, 4, 2)
    assert merge["rows_read"] == merge["merged"] + merge["rejected"] + merge["unknown_ids"]
    assert merge["unknown_id_list"] == [200, 999]
    reasons = {r["identifiant"]: r["motif"] for r in merge["rejected_rows"]}
    assert set(reasons) == {"fabt-2", "fabt-301", "fabt-364", "=1+1"}
    assert "n'est pas un montant" in reasons["fabt-2"]
    assert "négatif" in reasons["fabt-301"]
    assert "hors de 1 à 10" in reasons["fabt-364"]
    assert "illisible" in reasons["=1+1"] and "formule" in reasons["=1+1"]
    assert [r["ligne"] for r in merge["rejected_rows"]] == [4, 5, 6, 9]


def test_hostile_file_disagreements(hostile_build):
    merge = hostile_build["report"]["fabriques_detail"]
    assert merge["wave_disagreements"] == [
        {
            "fabrique_id": 81,
            "ligne": 3,
            "vague_fichier": 1,
            "vagues_possibles": "2, 3, 4, 5, 6, 7, 8, 10",
            "vague_retenue": None,
        }
    ]
    (commune,) = merge["commune_disagreements"]
    assert (commune["fabrique_id"], commune["insee_fichier"], commune["insee_liste"]) == (81, "01002", "01015")
    table = compute_detail_disagreements(merge)
    assert table["sujet"].tolist() == ["vague", "commune"]
    assert table["retenu"].tolist() == ["inconnue", "01015"]


def test_hostile_file_values_in_the_mart(hostile_build):
    fab = hostile_build["fabriques"]
    # wave 1 on id 81 contradicts ids 1-80: the file's wave is not used
    assert pd.isna(fab.loc[81, "vague"]) and fab.loc[2, "vague"] == 1
    assert fab.loc[81, "insee_com"] == "01015"  # the open list's commune is kept
    assert fab.loc[[1, 81], "montant"].tolist() == [150_000, 80_000]
    assert fab.loc[[2, 301, 364], "montant_source"].tolist() == ["estimation"] * 3
    assert fab.loc[1, "adresse"] == 'HYPERLINK("http://x")'
    assert fab.loc[81, "adresse"] == "5 rue B"
    assert bool(fab.loc[81, "fnt"]) and bool(fab.loc[1, "fnt"])
    assert compute_key_figures(fab)["financement_estime"] == pytest.approx(
        150_000 + 80_000 + 2 * ESTIMATED_GRANT["2020-2021"] + 3 * ESTIMATED_GRANT["2023"]
    )


def test_hostile_file_leaks_no_personal_data(hostile_build):
    marts = hostile_build["marts"]
    for path in marts.glob("*.parquet"):
        text = pd.read_parquet(path).drop(columns=["geometry"], errors="ignore").astype(str).to_csv()
        for secret in ("example.org", "Jean Dupont", "06 12 34 56 78", "écrire à"):
            assert secret not in text, (path.name, secret)
    report_text = (marts / "_report.json").read_text(encoding="utf-8")
    assert not EMAIL_RE.search(report_text) and "Jean Dupont" not in report_text and "06 12" not in report_text
    merge = hostile_build["report"]["fabriques_detail"]
    assert merge["columns"]["personnelles"] == ["Contact", "E-mail"]
    assert merge["columns"]["ignorées"] == ["Remarques"]
    events = {
        e["reason"]: e["count"] for e in hostile_build["report"]["sources"]["fabriques_detail"]["staging"][0]["events"]
    }
    assert events["e-mail address removed from a text"] == 1
    assert events["phone number removed from a text"] == 1
    assert events["leading formula character (= + - @) removed from a text"] == 1


def test_methods_page_lists_every_refused_row(hostile_build):
    refusals = compute_detail_refusals(hostile_build["report"]["fabriques_detail"])
    assert refusals["ligne"].tolist() == [4, 5, 6, 7, 8, 9]
    assert refusals["statut"].value_counts().to_dict() == {"rejetée": 4, "identifiant inconnu": 2}


# --- refused files, build key, no file ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        (
            "dup.csv",
            "id;montant\nfabt-1;1000\n1;2000\n81;3000\n",
            r"dup\.csv: Fabrique id\(s\) given more than once: fabt-1",
        ),
        (
            "noid.csv",
            "nom;montant;Contact\nA;1000;x\n",
            r"noid\.csv: no Fabrique id column.*Columns found: nom, montant, Contact",
        ),
        (
            "twice.csv",
            "id;montant;subvention\n1;1000;1000\n",
            r"twice\.csv: several columns hold the same field \(montant: montant, subvention\)",
        ),
        ("fake.xlsx", "id;montant\n1;1000\n", r"fake\.xlsx: .*n'est pas un classeur Excel"),
        ("empty.csv", "", r"empty\.csv: .*vide"),
    ],
)
def test_bad_detail_file_stops_the_build(world, name, content, match):
    path = world["root"] / name
    path.write_text(content, encoding="utf-8")
    out = f"marts-bad-{name}"
    with pytest.raises(SourceFormatError, match=match):
        build(world, path, out)
    assert not (world["root"] / out).exists()


def test_missing_detail_file_is_refused(world):
    with pytest.raises(MissingSourceError, match="--fabriques-detail does not exist"):
        build(world, world["root"] / "nope.csv", "marts-nope")


def test_changed_detail_file_rebuilds(world, tmp_path):
    path = tmp_path / "detail.csv"
    path.write_text("id;montant\n1;100000\n", encoding="utf-8")
    _, _, first = build(world, path, "marts-key")
    _, _, again = build(world, path, "marts-key")
    assert again.skipped and again.report["build_key"] == first.report["build_key"]
    path.write_text("id;montant\n1;110000\n", encoding="utf-8")
    fab, report, changed = build(world, path, "marts-key")
    assert not changed.skipped and changed.report["build_key"] != first.report["build_key"]
    assert (
        fab.loc[1, "montant"] == 110_000
        and report["fabriques_detail"]["sha256"] != first.report["fabriques_detail"]["sha256"]
    )
    fab, report, without = build(world, None, "marts-key")
    assert not without.skipped and report["fabriques_detail"] is None
    assert fab["montant"].isna().all()


def test_without_a_file_the_mart_has_the_same_schema(fixture_build):
    fab = gpd.read_parquet(fixture_build["marts"] / "fabriques.parquet")
    assert set(NEW_COLUMNS) <= set(fab.columns)
    assert fab["montant"].isna().all() and (fab["montant_source"] == "estimation").all()
    assert fab["adresse"].isna().all() and fab["fnt"].isna().all()
    assert fab["vague"].astype("Float64").fillna(-1).tolist() == fab["wave"].astype("Float64").fillna(-1).tolist()
    assert compute_funding_sources(fab)["definition"] == "financement_estime"
    report = json.loads((fixture_build["marts"] / "_report.json").read_text(encoding="utf-8"))
    assert report["fabriques_detail"] is None and "fabriques_detail" not in report["sources"]
