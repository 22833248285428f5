"""Fetching: download over a loopback HTTP server, mirror, checksums, atomic writes."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from etl.catalogue import SourceFile, load_catalogue
from etl.errors import ChecksumError, MissingSourceError
from etl.fetch import fetch


@pytest.fixture
def served(tmp_path):
    """A loopback HTTP server serving two small files from ``tmp_path/www``."""
    www = tmp_path / "www"
    (www / "pub").mkdir(parents=True)
    files = {
        "pub/a.csv": b"insee_com,valeur\n01001,x\n",
        "pub/b.geojson": b'{"type":"FeatureCollection","features":[]}',
    }
    for rel, content in files.items():
        (www / rel).write_bytes(content)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(www))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    entries = [
        SourceFile("s", rel, len(c), hashlib.sha256(c).hexdigest(), f"{base}/{rel}", "p", "l", "v", "d")
        for rel, c in files.items()
    ]
    yield entries, files, base
    server.shutdown()


def test_download_verifies_and_writes(served, tmp_path):
    entries, files, _ = served
    raw = tmp_path / "raw"
    paths = fetch(entries, raw, progress=False)
    assert [p.read_bytes() for p in paths] == list(files.values())
    assert not list(raw.rglob("*.part"))


def test_download_with_wrong_checksum_is_refused_and_leaves_nothing(served, tmp_path):
    entries, _, _ = served
    bad = SourceFile(**{**entries[0].__dict__, "sha256": "0" * 64})
    raw = tmp_path / "raw"
    with pytest.raises(ChecksumError, match=r"pub/a\.csv"):
        fetch([bad], raw, progress=False)
    assert not (raw / "pub/a.csv").exists()
    assert not list(raw.rglob("*.part"))


def test_download_of_missing_url_names_the_file(served, tmp_path):
    entries, _, base = served
    gone = SourceFile(**{**entries[0].__dict__, "file": "pub/zz.csv", "url": f"{base}/pub/zz.csv"})
    with pytest.raises(MissingSourceError, match=r"pub/zz\.csv.*--mirror"):
        fetch([gone], tmp_path / "raw", progress=False)


def test_mirror_is_read_in_place_and_checked(served, tmp_path):
    entries, files, _ = served
    mirror = tmp_path / "mirror"
    for rel, content in files.items():
        (mirror / rel).parent.mkdir(parents=True, exist_ok=True)
        (mirror / rel).write_bytes(content)
    paths = fetch(entries, tmp_path / "raw", mirror, download=False)
    assert paths[0] == mirror / "pub/a.csv"
    (mirror / "pub/b.geojson").write_bytes(b"truncated")
    with pytest.raises(ChecksumError, match=r"b\.geojson.*corrupted, truncated"):
        fetch(entries, tmp_path / "raw", mirror, download=False)


def test_missing_everywhere_without_download(served, tmp_path):
    entries, _, _ = served
    with pytest.raises(MissingSourceError, match=r"pub/a\.csv"):
        fetch(entries, tmp_path / "raw", tmp_path / "nowhere", download=False)


def test_cached_file_is_verified_not_refetched(served, tmp_path):
    entries, _, _ = served
    raw = tmp_path / "raw"
    fetch(entries, raw, progress=False)
    (raw / "pub/a.csv").write_bytes(b"changed")
    with pytest.raises(ChecksumError):
        fetch(entries, raw, progress=False)


def test_project_catalogue_is_complete():
    catalogue = load_catalogue()
    assert len(catalogue) == 127
    assert len({e.file for e in catalogue}) == 127
    for entry in catalogue:
        assert len(entry.sha256) == 64 and entry.url.startswith("https://")
        assert entry.publisher and entry.licence and entry.vintage
    assert sum(e.source_id == "communes_polygones_2018" for e in catalogue) == 101


def test_catalogue_matches_the_mirror_listing():
    listing = Path(__file__).resolve().parents[3] / "shared" / "data" / "sources.csv"
    if not listing.exists():
        pytest.skip("no mirror beside the project")
    import csv

    with listing.open(encoding="utf-8") as handle:
        mirror = {r["file"]: r["sha256"] for r in csv.DictReader(handle)}
    assert {e.file: e.sha256 for e in load_catalogue()} == mirror
