"""The ``codes_communes`` mart and the code map the app rebuilds from it."""

from __future__ import annotations

import pandas as pd
import pytest

from core.domain.codes import CodeMap, code_map_from_mart, compute_code_map
from etl.marts.codes import build_codes_communes
from etl.report import StageLog
from etl.staging.cog import stage_cog_communes, stage_cog_older_codes


@pytest.fixture
def marts(fixture_build):
    directory = fixture_build["marts"]
    return {name: pd.read_parquet(directory / f"{name}.parquet") for name in ("communes", "codes_communes")}


def test_mart_is_plain_parquet_of_older_codes(marts):
    codes = marts["codes_communes"]
    assert list(codes.columns) == ["ancien_code", "insee_com", "type_code"]
    # 01340 (Delta) is both an anciensCodes entry and a commune déléguée of 01015: one row
    assert codes.to_dict("records") == [{"ancien_code": "01340", "insee_com": "01015", "type_code": "ancien"}]


def test_code_map_from_mart_equals_the_build_map(fixture_build, marts):
    cog = fixture_build["root"] / "raw" / "etalab-decoupage-administratif-6.0.0" / "communes.json"
    build_map = compute_code_map(stage_cog_communes(cog, StageLog("x")), stage_cog_older_codes(cog, StageLog("x")))
    app_map = code_map_from_mart(marts["communes"], marts["codes_communes"])
    assert isinstance(app_map, CodeMap)
    assert app_map.older == build_map.older
    for code in ("01001", "1002", "01015", "01340", "1340", "97101", "99999", ""):
        assert app_map.to_2026(code) == build_map.to_2026(code), code
    # the communes mart covers métropole and DROM: a COM code is unknown unless the caller adds it
    assert app_map.to_2026("97801") == (None, "unknown")
    assert build_map.to_2026("97801") == ("97801", "ok")


def test_code_map_from_mart_names_a_missing_column():
    with pytest.raises(KeyError, match=r"codes_communes frame lacks column.*ancien_code"):
        code_map_from_mart(pd.DataFrame({"insee_com": ["01001"]}), pd.DataFrame({"code": ["01340"]}))


def test_current_code_wins_over_an_older_entry():
    communes = pd.DataFrame({"insee_com": ["01001", "01015"]})
    older = pd.DataFrame(
        {"ancien_code": ["01001", "01340"], "insee_com": ["01015", "01015"], "kind": ["ancien", "ancien"]}
    )
    mart = build_codes_communes(communes, older)
    assert mart["ancien_code"].tolist() == ["01340"]
    assert code_map_from_mart(communes, mart).to_2026("01001") == ("01001", "ok")


def test_the_app_loader_reads_the_mart_without_geometry(fixture_build, monkeypatch):
    from ui.loaders import load_table

    monkeypatch.setenv("FABT_MARTS_DIR", str(fixture_build["marts"]))
    table = load_table("codes_communes")
    assert table["ancien_code"].tolist() == ["01340"]
