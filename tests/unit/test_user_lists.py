"""Users' lists: mapping guesses, row validation (each case with its outcome), the Fabriques schema."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from core.domain.codes import CodeMap
from core.exports.tables import to_csv_bytes
from core.uploads.lists import (
    PRECISION_CENTROID,
    PRECISION_POINT,
    USER_LIST_COHORT,
    compute_places_frame,
    guess_mapping,
    in_france,
    validate_list,
)
from core.uploads.reader import read_upload
from tests.upload_corpus import ods_bytes

CODES = CodeMap(frozenset({"01001", "01015", "97101"}), {"01340": "01015"})


@pytest.fixture
def communes() -> gpd.GeoDataFrame:
    """Two squares in the Ain and one in Guadeloupe; nothing at sea."""
    return gpd.GeoDataFrame(
        {
            "insee_com": ["01001", "01015", "97101"],
            "insee_dep": ["01", "01", "971"],
            "nom_com": ["Un", "Quinze", "Abymes"],
            "population": [100, 200, 300],
            "densite_3": ["rural", "rural", "intermédiaire"],
            "centroide_lon": [5.05, 5.05, -61.55],
            "centroide_lat": [46.05, 46.15, 16.25],
        },
        geometry=[box(5.0, 46.0, 5.1, 46.1), box(5.0, 46.1, 5.1, 46.2), box(-61.6, 16.2, -61.5, 16.3)],
        crs="EPSG:4326",
    )


def frame_of(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=str).fillna("")


MAPPING = {"nom": "nom", "insee_com": "insee", "longitude": "lon", "latitude": "lat", "montant": "montant"}
MAPPING |= {"date": "date", "fnt": "fnt"}
BASE = {"nom": "Lieu", "insee": "01001", "lon": "", "lat": "", "montant": "", "date": "", "fnt": ""}


@pytest.mark.parametrize(
    ("change", "accepted", "says"),
    [
        ({}, True, ""),
        ({"insee": "1001"}, True, ""),  # leading zero lost by a spreadsheet
        ({"insee": "01340"}, True, "ramené à 01015"),
        ({"insee": "99999"}, False, "inconnu du COG 2026"),
        ({"insee": "", "lon": "5,05", "lat": "46,05"}, True, "commune déduite des coordonnées"),
        ({"insee": "", "lon": "46.05", "lat": "5.05"}, False, "permutées"),
        ({"insee": "", "lon": "-30", "lat": "40"}, False, "hors de France"),
        ({"insee": "", "lon": "-3.0", "lat": "47.0"}, False, "aucune commune"),
        ({"insee": "", "lon": "5.05", "lat": ""}, False, "une seule des deux coordonnées"),
        ({"insee": "", "lon": "abc", "lat": "46"}, False, "coordonnée décimale"),
        ({"insee": ""}, False, "ni code INSEE ni coordonnées"),
        ({"nom": ""}, False, "nom du lieu manquant"),
        ({"nom": "   "}, False, "nom du lieu manquant"),
        ({"montant": "150 000,00 €"}, True, ""),
        ({"montant": "-5"}, False, "négatif"),
        ({"montant": "0"}, False, "nul"),
        ({"montant": "beaucoup"}, False, "n'est pas un montant"),
        ({"date": "30/03/2021"}, True, ""),
        ({"date": "2021-13-01"}, False, "n'est pas une date"),
        ({"fnt": "oui"}, True, ""),
        ({"fnt": "peut-être"}, False, "ni oui ni non"),
        ({"nom": "<script>alert(1)</script>"}, True, ""),  # kept as text, escaped where shown
        ({"nom": '=HYPERLINK("http://x")'}, True, ""),  # kept, neutralised in exports
    ],
)
def test_row_outcomes(communes, change, accepted, says):
    result = validate_list(frame_of([{**BASE, **change}]), MAPPING, CODES, communes)
    assert result.rows_in == 1 and result.balanced
    assert len(result.accepted) == int(accepted)
    text = result.accepted["remarques"].iloc[0] if accepted else result.rejected["motif"].iloc[0]
    assert says in text


def test_duplicates_and_empty_rows_are_rejected_with_the_first_line(communes):
    rows = [BASE, {**BASE, "nom": "Autre"}, BASE, dict.fromkeys(BASE, "")]
    result = validate_list(frame_of(rows), MAPPING, CODES, communes)
    assert (len(result.accepted), len(result.rejected)) == (2, 2)
    assert result.rejected.set_index("ligne")["motif"].to_dict() == {4: "doublon de la ligne 2", 5: "ligne vide"}


def test_rejected_rows_keep_every_supplied_column(communes):
    result = validate_list(frame_of([{**BASE, "insee": "99999", "autre": "garde"}]), MAPPING, CODES, communes)
    assert result.rejected.loc[0, "autre"] == "garde" and result.rejected.loc[0, "ligne"] == 2


def test_mapping_needs_a_name_and_existing_columns(communes):
    with pytest.raises(ValueError, match="Nom du lieu"):
        validate_list(frame_of([BASE]), {"insee_com": "insee"}, CODES, communes)
    with pytest.raises(ValueError, match="absentes du fichier : manquante"):
        validate_list(frame_of([BASE]), {"nom": "manquante"}, CODES, communes)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (
            ["Nom du lieu", "Code INSEE", "Montant (€)"],
            {"nom": "Nom du lieu", "insee_com": "Code INSEE", "montant": "Montant (€)"},
        ),
        (["NOM", "codgeo", "lon", "lat"], {"nom": "NOM", "insee_com": "codgeo", "longitude": "lon", "latitude": "lat"}),
        (
            ["id_fabrique", "nom", "vague", "adresse", "FNT"],
            {"identifiant": "id_fabrique", "nom": "nom", "vague": "vague", "adresse": "adresse", "fnt": "FNT"},
        ),
        (["colonne inconnue"], {}),
    ],
)
def test_mapping_guesses(columns, expected):
    assert guess_mapping(columns) == expected


def test_france_boxes():
    assert in_france(2.35, 48.85) and in_france(55.45, -21.1) and in_france(-52.3, 4.9)
    assert not in_france(48.85, 2.35) and not in_france(0.0, 0.0)


def test_places_frame_has_the_fabriques_schema(communes):
    result = validate_list(
        frame_of([BASE, {**BASE, "nom": "Point", "insee": "", "lon": "5.02", "lat": "46.02", "montant": "10"}]),
        MAPPING,
        CODES,
        communes,
    )
    qpv = gpd.GeoDataFrame(
        {"code_qp": ["QN001"], "generation": ["2024"], "insee_dep": ["01"]},
        geometry=[box(5.0, 46.0, 5.03, 46.03)],
        crs="EPSG:4326",
    )
    template = [
        "fabrique_id",
        "nom",
        "insee_com",
        "cohort",
        "nom_com",
        "densite_3",
        "dans_qpv",
        "distance_qpv_m",
        "montant",
    ]
    places = compute_places_frame(result.accepted, communes.drop(columns="geometry"), qpv, template)
    assert list(places.columns[: len(template)]) == template
    assert places["cohort"].eq(USER_LIST_COHORT).all()
    point = places.set_index("nom").loc["Point"]
    assert point["location_precision"] == PRECISION_POINT and bool(point["dans_qpv"]) and point["montant"] == 10
    centroid = places.set_index("nom").loc["Lieu"]
    assert centroid["location_precision"] == PRECISION_CENTROID and not bool(centroid["dans_qpv"])
    assert (centroid["longitude"], centroid["latitude"]) == (5.05, 46.05)
    assert centroid["distance_qpv_m"] > 0


def test_end_to_end_from_a_windows_1252_file_and_a_geojson(communes):
    csv = "Nom du lieu;Code INSEE\nÉcole d'Été;01001\n=1+1;01015\n".encode("cp1252")
    table = read_upload(csv, "liste.csv")
    result = validate_list(table.frame, guess_mapping(list(table.frame.columns)), CODES, communes)
    assert result.accepted["nom"].tolist() == ["École d'Été", "=1+1"]
    assert b"'=1+1" in to_csv_bytes(result.accepted, ";")
    geojson = (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"A"},'
        b'"geometry":{"type":"Point","coordinates":[-61.55,16.25]}}]}'
    )
    table = read_upload(geojson, "liste.geojson")
    result = validate_list(table.frame, guess_mapping(list(table.frame.columns)), CODES, communes)
    assert result.accepted["insee_com"].tolist() == ["97101"]


def test_lines_of_an_ods_with_a_title_block_are_the_lines_the_user_sees(communes):
    """A LibreOffice sheet opening with a title and a blank line: rejected rows name their spreadsheet line."""
    data = ods_bytes(
        {
            "Lauréats": [
                ["Lauréats départementaux 2024"],
                [],
                ["Nom du lieu", "Code INSEE"],
                ["La Fabrique", "01001"],
                ["Inconnue", "99999"],
            ]
        }
    )
    table = read_upload(data, "laureats.ods")
    result = validate_list(table.frame, guess_mapping(list(table.frame.columns)), CODES, communes, table.lines)
    assert result.accepted[["ligne", "nom"]].values.tolist() == [[4, "La Fabrique"]]
    assert result.rejected[["ligne", "motif"]].values.tolist()[0][0] == 5
    assert result.balanced and result.rows_in == 2
