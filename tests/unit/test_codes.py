"""INSEE codes: leading zeros, Corsica, and the mapping of older codes to COG 2026."""

import pandas as pd
import pytest

from core.domain.codes import CodeMap, compute_code_map, normalize_insee


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("1053", "01053"),
        ("01053", "01053"),
        (1053, "01053"),
        ("1053.0", "01053"),
        ("2a004", "2A004"),
        ("97105", "97105"),
        ("0", None),
        ("", None),
        (None, None),
        (float("nan"), None),
        ("ABCDE", None),
    ],
)
def test_normalize_insee(raw, norm):
    assert normalize_insee(raw) == norm


def test_code_map_remaps_merged_and_municipal_codes():
    communes = pd.DataFrame({"insee_com": ["01015", "75056"]})
    older = pd.DataFrame({"ancien_code": ["01340", "75110", "01015"], "insee_com": ["01015", "75056", "01015"]})
    cmap = compute_code_map(communes, older)
    assert cmap.to_2026("1340") == ("01015", "remapped")
    assert cmap.to_2026("75110") == ("75056", "remapped")
    assert cmap.to_2026("01015") == ("01015", "ok")
    mapped = cmap.map_series(pd.Series(["1340", "99999", "75056"], index=[10, 11, 12]))
    assert mapped.loc[11, "status"] == "unknown" and mapped.loc[11, "code_2026"] is None
    assert list(mapped.index) == [10, 11, 12]


def test_code_map_current_code_wins_over_older_entry():
    cmap = CodeMap(frozenset({"01001"}), {"01001": "09999"})
    assert cmap.to_2026("01001") == ("01001", "ok")
