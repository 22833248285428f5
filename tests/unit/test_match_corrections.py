"""The analyst's corrected match table: read through the users' files reader, validated row by row
(rows read = taken + rejected), then taken as authoritative for the Fabriques it lists."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.match_corrections import CorrectionTableError, apply_corrections, validate_corrections
from core.analysis.relabelling import (
    ORIGIN_AUTOMATIC,
    ORIGIN_CORRECTED,
    STATUS_FOUND,
    STATUS_NOT_FOUND,
    STATUS_REVIEW,
    compute_match_report,
    compute_matches,
)
from core.exports.tables import ExportContext, to_csv_bytes, to_xlsx_bytes
from core.uploads.reader import read_upload
from tests.unit.test_relabelling import CENSUS, FABRIQUES, census, fabriques

# A corrected table as an analyst types it: one valid correction per kind, and one row per reason to
# reject. The expected outcome of each line (header = line 1) is written beside it.
CORRECTED = (
    "Fabrique ID;Statut;TL_ID;Mail;commentaire\n"
    "2;trouvée;t3;jeanne@example.org;le Hangar s'appelait le Hameau\n"  # 2: taken
    "fabt-3;Trouvee;t4;;\n"  # 3: taken (the ambiguous pair resolved)
    "8;non trouvée;;;\n"  # 4: taken
    "99;trouvée;t1;;\n"  # 5: unknown Fabrique
    "2;non trouvée;;;\n"  # 6: second row for Fabrique 2
    "5;peut-être;;;\n"  # 7: unknown status
    "6;trouvée;;;\n"  # 8: found without a place
    "7;trouvée;t999;;\n"  # 9: unknown census place
    "1;non trouvée;t1;;\n"  # 10: not found but a place named
    ";;;;\n"  # 11: empty (skipped by the reader, which says so)
    "4.0;trouvée;t6;;\n"  # 12: taken, a place of another commune (remark)
).encode()
TAKEN = {2: (STATUS_FOUND, "t3"), 3: (STATUS_FOUND, "t4"), 8: (STATUS_NOT_FOUND, None), 4: (STATUS_FOUND, "t6")}
REJECTED = {
    5: "inconnu",
    6: "déjà corrigée à la ligne 2",
    7: "non reconnu",
    8: "sans tiers-lieu",
    9: "inconnu du recensement",
    10: "videz tl_id",
}


def read(data: bytes, name: str = "corrigee.csv") -> pd.DataFrame:
    return read_upload(data, name).frame


def test_rows_read_are_taken_plus_rejected_each_with_its_reason():
    table = read_upload(CORRECTED, "corrigee.csv")
    assert "1 ligne(s) vide(s) ignorée(s) (lignes 11)." in table.notes
    result = validate_corrections(table.frame, fabriques(), census())
    assert result.balanced and result.rows_in == len(TAKEN) + len(REJECTED) == 10
    taken = result.taken.set_index("fabrique_id")
    assert set(taken.index) == set(TAKEN)
    for fid, (status, tl_id) in TAKEN.items():
        assert taken.loc[fid, "statut"] == status
        assert pd.isna(taken.loc[fid, "tl_id"]) if tl_id is None else taken.loc[fid, "tl_id"] == tl_id, fid
    assert "autre commune" in taken.loc[4, "remarque"]
    rejected = result.rejected.set_index("ligne")
    assert set(rejected.index) == set(REJECTED)
    for line, reason in REJECTED.items():
        assert reason in rejected.loc[line, "motif"], (line, rejected.loc[line, "motif"])


def test_personal_columns_are_never_read_and_other_columns_are_listed():
    result = validate_corrections(read(CORRECTED), fabriques(), census())
    assert result.personal == ["Mail"] and result.ignored == ["commentaire"]
    text = result.taken.to_csv() + result.rejected.to_csv()
    assert "example.org" not in text and "Hameau" not in text


def test_corrected_rows_replace_the_automatic_ones_and_the_others_stay():
    automatic = compute_matches(fabriques(), census())
    corrected = apply_corrections(automatic, validate_corrections(read(CORRECTED), fabriques(), census()), census())
    rows = corrected.set_index("fabrique_id")
    for fid, (status, tl_id) in TAKEN.items():
        assert rows.loc[fid, "statut"] == status and rows.loc[fid, "origine"] == ORIGIN_CORRECTED
        if tl_id is None:
            assert pd.isna(rows.loc[fid, "tl_id"]) and pd.isna(rows.loc[fid, "nom_recense"])
        else:
            assert rows.loc[fid, "nom_recense"] == CENSUS[tl_id][0]
    assert "ligne 2" in rows.loc[2, "motif"] and rows.loc[2, "score"] < 75  # the score of the two names, kept
    untouched = [fid for fid in FABRIQUES if fid not in TAKEN]
    before = automatic.set_index("fabrique_id").loc[untouched]
    pd.testing.assert_frame_equal(rows.loc[untouched], before)
    assert (rows.loc[untouched, "origine"] == ORIGIN_AUTOMATIC).all()
    # The report follows the corrected statuses, counted here from the fixture's expectations.
    final = {fid: TAKEN[fid][0] if fid in TAKEN else status for fid, (*_, status, _) in FABRIQUES.items()}
    total = compute_match_report(corrected).set_index("cohorte").loc["Total"]
    assert total["trouvees"] == sum(1 for s in final.values() if s == STATUS_FOUND)
    assert total["a_verifier"] == sum(1 for s in final.values() if s == STATUS_REVIEW)


@pytest.mark.parametrize("kind", ["csv;", "csv,", "xlsx"])
def test_the_exported_table_reads_back_unchanged(kind):
    """The downloadable table, uploaded again as it is, confirms every automatic match."""
    matches = compute_matches(fabriques(), census())
    if kind == "xlsx":
        data, name = to_xlsx_bytes(matches, ExportContext("Rapprochement", "Sans filtre", [])), "table.xlsx"
    else:
        data, name = to_csv_bytes(matches, kind[-1]), "table.csv"
    result = validate_corrections(read(data, name), fabriques(), census())
    assert result.rows_in == len(matches) == len(result.taken) and result.rejected.empty
    corrected = apply_corrections(matches, result, census())
    pd.testing.assert_series_equal(corrected["statut"], matches["statut"])
    pd.testing.assert_series_equal(corrected["tl_id"], matches["tl_id"], check_dtype=False)


def test_a_table_without_the_needed_columns_says_which_ones():
    with pytest.raises(CorrectionTableError, match="statut") as error:
        validate_corrections(read(b"fabrique_id;tl_id\n1;t1\n"), fabriques(), census())
    assert "fabrique_id, statut, tl_id" in str(error.value) and "colonnes du fichier : fabrique_id, tl_id" in str(
        error.value
    )


def test_a_correction_for_a_fabrique_outside_the_matches_changes_nothing():
    matches = compute_matches(fabriques(), census())
    selection = matches[matches["fabrique_id"] == 1]
    result = validate_corrections(read(b"fabrique_id;statut;tl_id\n2;trouvee;t3\n"), fabriques(), census())
    pd.testing.assert_frame_equal(apply_corrections(selection, result, census()), selection)
