"""Shared fixtures: a built fixture world (marts) for the ETL and app tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.build import run_build
from tests.fixture_world import write_world

MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> dict:
    """Build the marts of the fixture world once per session."""
    root = tmp_path_factory.mktemp("world")
    catalogue = write_world(root / "raw")
    result = run_build(
        root / "raw",
        root / "marts",
        None,
        root / "cache",
        download=False,
        catalogue=catalogue,
        progress=False,
    )
    return {"root": root, "marts": root / "marts", "result": result, "catalogue": catalogue}
