"""Publication of the marts into PostgreSQL/PostGIS (team mode), beside the GeoParquet files.

The published GeoParquet folder is written into a new schema ``marts_<build key>_<time>`` (see
:mod:`core.marts_db`): geometries as PostGIS ``geometry`` with SRID 4326 and a GiST index, rows in
their order, the dtype of every column, the build report. The switch of ``marts_current`` to the
new schema is one transaction, taken under an advisory lock (two builds publishing at once are
serialised). The previous schema is kept for the replicas still reading it; older ones are dropped.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely
import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.engine import Connection

from core.marts_db import (
    COLUMNS_TABLE,
    CURRENT_TABLE,
    REPORT_TABLE,
    SRID,
    VERSIONS_TABLE,
    check_schema_name,
    describe_dtype,
)
from core.paths import MART_NAMES, REPORT_FILE
from etl.errors import EtlError

LOCK_KEY = 0x46414254  # "FABT": pg_advisory_xact_lock of the switch


class PostgisUnavailable(EtlError):
    """The database cannot be reached, or PostGIS is not installed in it."""


@dataclass(frozen=True)
class PostgisPublication:
    """What :func:`publish_to_postgis` did: the schema now current, and whether it was already."""

    schema: str
    skipped: bool
    dropped: tuple[str, ...] = ()
    seconds: float = 0.0


def _copy_rows(table, conn, keys, data_iter) -> None:
    """pandas' ``to_sql`` method: COPY through psycopg, which keeps '' apart from NULL (CSV would not)."""
    preparer = conn.dialect.identifier_preparer
    name = f"{preparer.quote_schema(table.table.schema)}.{preparer.quote(table.table.name)}"
    columns = ", ".join(preparer.quote(k) for k in keys)
    with conn.connection.cursor() as cursor, cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
        for row in data_iter:
            copy.write_row(row)


def _geometry_type(frame: gpd.GeoDataFrame) -> str:
    kinds = set(frame.geom_type.dropna())
    return kinds.pop().upper() if len(kinds) == 1 else "GEOMETRY"


def write_mart(conn: Connection, schema: str, name: str, frame: pd.DataFrame) -> None:
    """Write one mart into ``schema`` (rows numbered ``_row`` in their order, GiST index on the geometry)."""
    dtypes = [(column, describe_dtype(frame[column].dtype)) for column in frame.columns]
    out = pd.DataFrame(frame).copy()
    sql_types = {}
    if isinstance(frame, gpd.GeoDataFrame):
        if frame.crs is None or frame.crs.to_epsg() != SRID:
            raise EtlError(f"mart {name}: CRS {frame.crs} instead of EPSG:{SRID}; the marts are published in WGS 84")
        geoms = shapely.set_srid(np.asarray(frame.geometry.values, dtype=object), SRID)
        out[frame.geometry.name] = shapely.to_wkb(geoms, hex=True, include_srid=True).tolist()
        sql_types[frame.geometry.name] = Geometry(_geometry_type(frame), srid=SRID, spatial_index=False)
    out.insert(0, "_row", range(len(out)))
    out.to_sql(name, conn, schema=schema, index=False, dtype=sql_types, method=_copy_rows, chunksize=5_000)
    if sql_types:
        conn.execute(sa.text(f'CREATE INDEX "{name}_geometry_gist" ON "{schema}"."{name}" USING GIST ("geometry")'))
    conn.execute(sa.text(f'ALTER TABLE "{schema}"."{name}" ADD PRIMARY KEY ("_row")'))
    conn.execute(
        sa.text(f'INSERT INTO "{schema}".{COLUMNS_TABLE} (mart, position, "column", dtype) VALUES (:m, :p, :c, :d)'),
        [{"m": name, "p": i, "c": c, "d": d} for i, (c, d) in enumerate(dtypes)],
    )


def _read_published(marts_dir: Path, name: str) -> pd.DataFrame:
    path = marts_dir / f"{name}.parquet"
    if b"geo" in (pq.read_schema(path).metadata or {}):
        return gpd.read_parquet(path)
    return pd.read_parquet(path)


def _ensure_catalog(conn: Connection) -> None:
    conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    conn.execute(
        sa.text(
            f"CREATE TABLE IF NOT EXISTS public.{CURRENT_TABLE} (id integer PRIMARY KEY CHECK (id = 1), "
            "schema_name text NOT NULL, build_key text NOT NULL, published_at timestamptz NOT NULL DEFAULT now())"
        )
    )
    conn.execute(
        sa.text(
            f"CREATE TABLE IF NOT EXISTS public.{VERSIONS_TABLE} (schema_name text PRIMARY KEY, build_key text NOT "
            "NULL, published_at timestamptz NOT NULL DEFAULT now())"
        )
    )


def current_build_key(conn: Connection) -> str | None:
    """The build key of the schema now current (None before the first publication)."""
    row = conn.execute(sa.text(f"SELECT build_key FROM public.{CURRENT_TABLE} WHERE id = 1")).first()
    return row[0] if row else None


def publish_to_postgis(marts_dir: Path, url: str, *, force: bool = False, keep: int = 2) -> PostgisPublication:
    """Publish the GeoParquet marts of ``marts_dir`` (a published build) into the database at ``url``.

    Parameters
    ----------
    marts_dir
        The published marts folder (``data/marts``) with its ``_report.json``.
    url
        SQLAlchemy URL of PostgreSQL; PostGIS is created in it if missing (needs the right to).
    force
        Publish even when the current schema holds the same build.
    keep
        Schemas kept: the new one and the ``keep - 1`` before it (readers may still be on them).

    Raises
    ------
    PostgisUnavailable
        The database cannot be reached or PostGIS is not installed (``bash scripts/setup.sh``).
    """
    started = time.perf_counter()
    report = json.loads((marts_dir / REPORT_FILE).read_text(encoding="utf-8"))
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            _ensure_catalog(conn)
            current = current_build_key(conn)
        if current == report["build_key"] and not force:
            with engine.connect() as conn:
                schema = conn.execute(sa.text(f"SELECT schema_name FROM public.{CURRENT_TABLE}")).scalar_one()
            return PostgisPublication(schema, True)
        schema = check_schema_name(f"marts_{report['build_key'][:12]}_{time.time_ns()}")
        # Writing and switching in one transaction: a failed or interrupted publication leaves nothing
        # behind, and no reader ever sees a schema half written.
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            conn.execute(
                sa.text(
                    f'CREATE TABLE "{schema}".{COLUMNS_TABLE} (mart text, position integer, "column" text, dtype text, '
                    'PRIMARY KEY (mart, "column"))'
                )
            )
            for name in MART_NAMES:
                write_mart(conn, schema, name, _read_published(marts_dir, name))
            conn.execute(sa.text(f'CREATE TABLE "{schema}".{REPORT_TABLE} (report text NOT NULL)'))
            conn.execute(
                sa.text(f'INSERT INTO "{schema}".{REPORT_TABLE} VALUES (:r)'),
                {"r": json.dumps(report, ensure_ascii=False)},
            )
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            conn.execute(
                sa.text(
                    f"INSERT INTO public.{CURRENT_TABLE} (id, schema_name, build_key) VALUES (1, :s, :k) "
                    "ON CONFLICT (id) DO UPDATE SET schema_name = :s, build_key = :k, published_at = now()"
                ),
                {"s": schema, "k": report["build_key"]},
            )
            conn.execute(
                sa.text(f"INSERT INTO public.{VERSIONS_TABLE} (schema_name, build_key) VALUES (:s, :k)"),
                {"s": schema, "k": report["build_key"]},
            )
        dropped = drop_old_schemas(engine, keep)
    except sa.exc.OperationalError as error:
        raise PostgisUnavailable(f"PostgreSQL injoignable pour publier les tables : {str(error)[:300]}") from error
    except sa.exc.ProgrammingError as error:
        if "postgis" in str(error).lower() or "geometry" in str(error).lower():
            raise PostgisUnavailable(
                "PostGIS n'est pas installé dans ce PostgreSQL : lancez bash scripts/setup.sh (paquet "
                f"postgresql-15-postgis-3) ; détail : {str(error)[:200]}"
            ) from error
        raise
    finally:
        engine.dispose()
    return PostgisPublication(schema, False, dropped, round(time.perf_counter() - started, 2))


def drop_old_schemas(engine: sa.Engine, keep: int = 2) -> tuple[str, ...]:
    """Drop the published schemas beyond the ``keep`` latest (the current one is always kept)."""
    with engine.begin() as conn:
        current = conn.execute(sa.text(f"SELECT schema_name FROM public.{CURRENT_TABLE}")).scalar_one()
        rows = conn.execute(
            sa.text(f"SELECT schema_name FROM public.{VERSIONS_TABLE} ORDER BY published_at DESC, schema_name DESC")
        ).all()
        old = [r[0] for r in rows[max(keep, 1) :] if r[0] != current]
        for schema in old:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{check_schema_name(schema)}" CASCADE'))
            conn.execute(sa.text(f"DELETE FROM public.{VERSIONS_TABLE} WHERE schema_name = :s"), {"s": schema})
    return tuple(old)
