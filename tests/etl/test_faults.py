"""Faults: a build killed mid-write, a truncated or corrupted mirror file, marts that vanish and return."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.paths import MART_NAMES
from etl.build import run_build
from etl.errors import ChecksumError
from etl.fetch import fetch
from tests.fixture_world import write_world

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard.py")
FAB = "anct-superposeur-anct/fabt_geom.geojson"

# The build in a child process: its mart writing stops after the first file and waits to be
# killed, as if the machine went down while writing.
KILLED_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import etl.build as build
    from tests.fixture_world import write_world

    root, ready = Path(sys.argv[1]), Path(sys.argv[2])

    def write_then_hang(marts, target, report):
        target.mkdir(parents=True)
        marts["fabriques"].iloc[:1].to_parquet(target / "fabriques.parquet", index=False)
        ready.write_text(str(target))
        time.sleep(600)

    build.write_marts = write_then_hang
    catalogue = write_world(root / "raw")
    build.run_build(root / "raw", root / "marts", None, None, download=False, catalogue=catalogue,
                    progress=False, force=True)
    """
)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def built(tmp_path) -> Path:
    catalogue = write_world(tmp_path / "raw")
    run_build(tmp_path / "raw", tmp_path / "marts", None, None, download=False, catalogue=catalogue, progress=False)
    return tmp_path


def test_build_killed_while_writing_leaves_the_previous_marts_served(built, monkeypatch):
    marts = built / "marts"
    before_target, before = marts.resolve(), _digests(marts.resolve())
    ready = built / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_BUILD, str(built), str(ready)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        deadline = time.time() + 120
        while not ready.exists() and time.time() < deadline and child.poll() is None:
            time.sleep(0.2)
        assert ready.exists(), "the child build never reached the writing of the marts"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    half_written = Path(ready.read_text())
    assert half_written.exists() and half_written != before_target
    assert marts.resolve() == before_target and _digests(marts) == before
    for name in MART_NAMES:
        assert len(pd.read_parquet(marts / f"{name}.parquet")) > 0, name
    monkeypatch.setenv("FABT_MARTS_DIR", str(marts))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    fabriques = pd.read_parquet(marts / "fabriques.parquet")
    assert next(m.value for m in at.metric if m.label == "Fabriques") == str(len(fabriques))
    # The next build publishes and removes the half-written folder.
    result = run_build(
        built / "raw", marts, None, None, download=False, catalogue=write_world(built / "raw"), progress=False,
        force=True,
    )  # fmt: skip
    assert result is not None and not half_written.exists()
    assert marts.resolve() != before_target


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated download
        lambda data: data.replace(b"fabt-1", b"fabt-9", 1),  # one byte changed
        lambda data: b"",  # empty file
    ],
    ids=["truncated", "corrupted", "empty"],
)
def test_damaged_mirror_file_is_refused_by_its_checksum(tmp_path, damage):
    catalogue = write_world(tmp_path / "mirror")
    path = tmp_path / "mirror" / FAB
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ChecksumError, match=r"fabt_geom\.geojson"):
        fetch(catalogue, tmp_path / "raw", tmp_path / "mirror", download=False)
    assert not (tmp_path / "raw" / FAB).exists()


def test_page_with_data_momentarily_unavailable_says_so_then_recovers(built, monkeypatch):
    marts = built / "marts"
    monkeypatch.setenv("FABT_MARTS_DIR", str(marts))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    at.switch_page("pages/fiche_territoire.py").run()
    assert not at.exception and not at.error
    qpv = marts.resolve() / "qpv.parquet"
    hidden = qpv.with_name("qpv.parquet.away")
    qpv.rename(hidden)
    try:
        at.run()
        assert not at.exception
        assert any("python -m etl build" in e.value for e in at.error)
    finally:
        hidden.rename(qpv)
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Fiche territoire"
