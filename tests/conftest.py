"""Shared fixtures: a built fixture world (marts) for the ETL and app tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.build import run_build
from tests.fixture_world import write_world

MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw"


def pytest_configure(config):
    """The tests never write the project's own workspace (data/workspace.sqlite): unless a test sets its
    own, every app run of the session uses a throwaway SQLite file."""
    import os
    import tempfile

    os.environ.setdefault("FABT_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='fabt-espace-')}/espace.sqlite")


# Figures the tests measure (name → value), printed at the end of the run.
_FIGURES: dict[str, float] = {}


@pytest.fixture(scope="session")
def figures() -> dict[str, float]:
    """Where a test puts a figure to print in the run's summary (e.g. ``a11y_serious_violations``)."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("figures")
        for name, value in sorted(_FIGURES.items()):
            terminalreporter.write_line(f"{name} = {value:g}")


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


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster (Debian's packages) on a unix socket in a temporary folder,
    stopped by its pid at the end of the session; the tests that need it skip where PostgreSQL is
    not installed (CI installs it with scripts/setup.sh)."""
    import shutil as _shutil

    from ops.ports import free_port
    from ops.postgres import PostgresUnavailable, postgres_bindir, start_cluster, temporary_root

    if postgres_bindir() is None:
        pytest.skip("PostgreSQL n'est pas installé ici (bash scripts/setup.sh l'installe) : tests PostgreSQL sautés")
    root = temporary_root()
    try:
        cluster = start_cluster(root, port=free_port())
    except PostgresUnavailable as error:
        _shutil.rmtree(root, ignore_errors=True)
        pytest.skip(str(error))
    yield cluster
    cluster.stop()
    _shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_database(pg_cluster, request):
    """A fresh database of the session's cluster, for one test."""
    import re
    import uuid

    name = re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:6]
    return pg_cluster.create_database(name)


@pytest.fixture
def postgis_database(pg_cluster, request):
    """A fresh database of the session's cluster with PostGIS, for one test (skipped where PostGIS is
    not installed: bash scripts/setup.sh installs postgresql-15-postgis-3)."""
    import re
    import uuid

    from ops.postgres import postgis_installed

    if not postgis_installed():
        pytest.skip("PostGIS n'est pas installé ici (bash scripts/setup.sh l'installe) : tests PostGIS sautés")
    name = re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:6]
    return pg_cluster.create_database(name, extensions=("postgis",))
