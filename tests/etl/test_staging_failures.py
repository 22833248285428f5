"""Bad input stops the build with a message naming the file; no mart is half-written."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.build import run_build
from etl.errors import ChecksumError, EtlError, SourceFormatError
from etl.validate import check_no_personal_data
from tests.fixture_world import FABRIQUES, files, write_world

FRR = "benefriches/liste-communes-FRR-juillet2025.csv"
DENSITE = "anct-superposeur-v2/grilles/densite.csv"
QPV_CSV = "mafrance/analyse_qpv.csv"
FAB = "anct-superposeur-anct/fabt_geom.geojson"


def _build(tmp_path, overrides):
    catalogue = write_world(tmp_path / "raw", overrides)
    return run_build(
        tmp_path / "raw", tmp_path / "marts", None, None, download=False, catalogue=catalogue, progress=False
    )


def _content(rel):
    return files()[rel][1]


@pytest.mark.parametrize(
    ("rel", "content", "error", "match"),
    [
        (
            DENSITE,
            _content(DENSITE).decode().replace("niveau_densite", "niveau").encode(),
            SourceFormatError,
            r"densite\.csv: missing column\(s\) niveau_densite",
        ),
        (
            DENSITE,
            _content(DENSITE).decode("utf-8").replace("\ufeff", "").encode("cp1252"),
            SourceFormatError,
            r"densite\.csv: not UTF-8.*Windows-1252",
        ),
        (FRR, _content(FRR).replace(b";", b","), SourceFormatError, r"FRR-juillet2025\.csv"),
        (
            QPV_CSV,
            _content(QPV_CSV).replace(b"QN00102I", b"XX"),
            SourceFormatError,
            r"analyse_qpv\.csv.*schema",
        ),
        (
            FAB,
            _content(FAB).replace(b'"fabt-1; fabt-301"', b'"fabt-1; fabt-301; fabt-302"'),
            SourceFormatError,
            r"fabt_geom\.geojson: commune 01001 has 3 ids but 2 names",
        ),
        (FAB, _content(FAB).replace(b'"01001"', b'"99999"', 1), SourceFormatError, r"unknown to COG 2026"),
    ],
    ids=[
        "missing-column",
        "windows-1252",
        "wrong-separator",
        "bad-qpv-code",
        "ids-names-mismatch",
        "unknown-code",
    ],
)
def test_bad_source_stops_the_build(tmp_path, rel, content, error, match):
    with pytest.raises(error, match=match):
        _build(tmp_path, {"=" + rel: content})
    assert not (tmp_path / "marts").exists()


def test_wrong_checksum_is_refused(tmp_path):
    with pytest.raises(ChecksumError, match=r"densite\.csv"):
        _build(tmp_path, {DENSITE: b"tampered"})


def test_failed_build_leaves_previous_marts_untouched(tmp_path):
    first = _build(tmp_path, {})
    before = {p.name: p.read_bytes() for p in (tmp_path / "marts").iterdir()}
    with pytest.raises(EtlError):
        _build(tmp_path, {"=" + DENSITE: _content(DENSITE).replace(b"niveau_densite", b"x")})
    after = {p.name: p.read_bytes() for p in (tmp_path / "marts").iterdir()}
    assert before == after
    assert first.report["marts"]["fabriques"]["rows"] == len(FABRIQUES)
    leftovers = [
        p for p in tmp_path.iterdir() if p.name.startswith(".marts-") and p.resolve() != (tmp_path / "marts").resolve()
    ]
    assert leftovers == []


def test_email_in_a_mart_is_refused():
    with pytest.raises(EtlError, match="mart x, column contact"):
        check_no_personal_data({"x": pd.DataFrame({"nom": ["Lieu"], "contact": ["a.b@example.org"]})})
    check_no_personal_data({"x": pd.DataFrame({"nom": ["Le Touche@tout"]})})
