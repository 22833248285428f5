"""The marts on PostGIS: the fixture world's build published into a throwaway PostGIS reads back through
the app's loaders equal to the GeoParquet marts; a second build is switched to in one transaction while a
reader still holds the first; older builds are dropped."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa

from core.marts_db import current_schema, read_mart
from core.paths import MART_NAMES, REPORT_FILE, MissingMartError
from etl.publish_postgis import publish_to_postgis
from ui import loaders


@pytest.fixture
def postgis_marts(fixture_build, postgis_database, monkeypatch):
    monkeypatch.setenv("FABT_DATABASE_URL", postgis_database)
    monkeypatch.setenv("FABT_MARTS_SOURCE", "auto")
    monkeypatch.setenv("FABT_MARTS_DIR", str(fixture_build["root"] / "absent"))  # never read from files
    loaders._current_schema.clear()
    yield postgis_database
    loaders._current_schema.clear()


def _parquet(marts, name):
    path = marts / f"{name}.parquet"
    return gpd.read_parquet(path) if "geometry" in pd.read_parquet(path).columns else pd.read_parquet(path)


def test_marts_read_back_from_postgis_equal_the_geoparquet_marts(fixture_build, postgis_marts):
    marts = fixture_build["marts"]
    published = publish_to_postgis(marts, postgis_marts)
    assert not published.skipped and published.schema.startswith("marts_")
    for name in MART_NAMES:
        expected = _parquet(marts, name)
        assert loaders.mart_version(name) == (f"postgis:{published.schema}.{name}", 0)
        table = loaders.load_table(name)
        pd.testing.assert_frame_equal(table, pd.DataFrame(expected.drop(columns="geometry", errors="ignore")))
        if isinstance(expected, gpd.GeoDataFrame):
            geo = loaders.load_geo(name)
            assert geo.crs.to_epsg() == 4326
            assert list(geo.columns) == list(expected.columns)
            same = geo.geometry.geom_equals_exact(expected.geometry, tolerance=0) | (
                geo.geometry.isna() & expected.geometry.isna()
            )
            assert same.all(), name
    assert loaders.load_report() == json.loads((marts / REPORT_FILE).read_text(encoding="utf-8"))
    engine = sa.create_engine(postgis_marts)
    with engine.connect() as conn:
        srid = conn.execute(sa.text(f"SELECT Find_SRID('{published.schema}', 'communes', 'geometry')")).scalar()
        gist = conn.execute(
            sa.text("SELECT indexdef FROM pg_indexes WHERE schemaname = :s AND tablename = 'communes'"),
            {"s": published.schema},
        ).scalars()
        assert srid == 4326
        assert any("USING gist (geometry)" in d for d in gist)
    # The same build again: nothing to publish.
    assert publish_to_postgis(marts, postgis_marts).skipped


def test_a_new_build_is_switched_to_while_readers_keep_the_previous_one(fixture_build, postgis_marts):
    marts = fixture_build["marts"]
    first = publish_to_postgis(marts, postgis_marts)
    held = loaders.mart_version("fabriques")  # a replica serving the first build
    engine = sa.create_engine(postgis_marts)
    second = publish_to_postgis(marts, postgis_marts, force=True)
    assert second.schema != first.schema and not second.skipped
    assert current_schema(engine) == second.schema
    assert loaders.mart_version("fabriques") == held  # the replica's check is at most CURRENT_TTL_S old
    loaders._current_schema.clear()  # … then it takes the new build
    assert loaders.mart_version("fabriques") == (f"postgis:{second.schema}.fabriques", 0)
    # the reader still on the first build can read it: it is kept
    assert len(read_mart(engine, first.schema, "fabriques")) == len(loaders.load_table("fabriques"))
    third = publish_to_postgis(marts, postgis_marts, force=True)
    assert third.dropped == (first.schema,)
    with pytest.raises(MissingMartError):
        read_mart(engine, first.schema, "fabriques")
    assert len(read_mart(engine, second.schema, "fabriques", geometry=False)) == len(_parquet(marts, "fabriques"))


def test_without_a_published_build_the_pages_say_which_command_builds_it(postgis_marts):
    with pytest.raises(MissingMartError, match="python -m etl build"):
        loaders.mart_version("communes")
