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
