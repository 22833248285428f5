"""The command line: exit codes and messages a user can act on."""

from __future__ import annotations

from etl.__main__ import main


def test_unknown_mirror_folder_is_refused(tmp_path, capsys):
    assert main(["fetch", "--mirror", str(tmp_path / "nope"), "--raw", str(tmp_path / "raw")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_offline_fetch_without_files_names_the_first_missing_file(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["fetch", "--offline", "--mirror", str(tmp_path / "empty"), "--raw", str(tmp_path / "raw")])
    err = capsys.readouterr().err
    assert code == 1
    assert "fabt_geom.geojson" in err and "--mirror" in err


def test_build_with_missing_qpv_2015_file_fails_cleanly(tmp_path, capsys, monkeypatch):
    (tmp_path / "empty").mkdir()
    code = main(
        [
            "build",
            "--offline",
            "--mirror",
            str(tmp_path / "empty"),
            "--raw",
            str(tmp_path / "raw"),
            "--out",
            str(tmp_path / "marts"),
            "--qpv-2015",
            str(tmp_path / "qpv2015.geojson"),
        ]
    )
    assert code == 1
    assert not (tmp_path / "marts").exists()


def test_build_with_missing_fabriques_detail_file_names_it(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    missing = tmp_path / "detail.xlsx"
    code = main(
        [
            "build",
            "--offline",
            "--no-cache",
            "--mirror",
            str(tmp_path / "empty"),
            "--raw",
            str(tmp_path / "raw"),
            "--out",
            str(tmp_path / "marts"),
            "--fabriques-detail",
            str(missing),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "--fabriques-detail" in err and "does not exist" in err
    assert not (tmp_path / "marts").exists()


def test_build_with_a_fabriques_detail_file_merges_it(tmp_path, capsys, monkeypatch):
    import geopandas as gpd

    from tests.fixture_world import write_world

    catalogue = write_world(tmp_path / "raw")
    monkeypatch.setattr("etl.build.load_catalogue", lambda: catalogue)
    detail = tmp_path / "detail.csv"
    detail.write_text("identifiant;vague;montant\nfabt-81;5;120 000\nfabt-999;2;1\n", encoding="utf-8")
    args = ["build", "--offline", "--no-cache", "--mirror", str(tmp_path / "raw"), "--raw", str(tmp_path / "raw")]
    code = main([*args, "--out", str(tmp_path / "marts"), "--fabriques-detail", str(detail)])
    out = capsys.readouterr().out
    assert code == 0
    assert "detail.csv: 2 rows read, 1 merged, 0 rejected, 1 unknown ids" in out
    fab = gpd.read_parquet(tmp_path / "marts" / "fabriques.parquet").set_index("fabrique_id")
    assert fab.loc[81, "vague"] == 5 and fab.loc[81, "montant"] == 120_000
    assert fab.loc[81, "montant_source"] == "fichier détaillé"
