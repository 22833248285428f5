"""The marts in PostgreSQL/PostGIS: where each build lives and how the app reads it back.

``python -m etl build`` (``etl/publish_postgis.py``) writes each build into a schema of its own,
``marts_<build key>_<time>``: one table per mart (geometry with SRID 4326 and a GiST index), plus
``_columns`` (the pandas dtype of each column, so what is read back equals the GeoParquet mart) and
``_report`` (the build report). Then, in one transaction, the one row of ``public.marts_current``
is pointed at the new schema. A reader asks for the current schema, then reads from that schema:
a reader holding the previous one keeps reading it (the publisher keeps it, and drops older ones).
"""

from __future__ import annotations

import contextlib
import json
import re
import threading

import adbc_driver_postgresql.dbapi as adbc_dbapi
import geopandas as gpd
import pandas as pd
import pyarrow as pa
import shapely
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.paths import MART_NAMES, REBUILD_COMMAND, MissingMartError
from core.settings import get_setting

CURRENT_TABLE = "marts_current"
VERSIONS_TABLE = "marts_versions"
COLUMNS_TABLE = "_columns"
REPORT_TABLE = "_report"
SCHEMA_PREFIX = "marts_"
SRID = 4326
_ADBC: dict[str, adbc_dbapi.Connection] = {}
_ADBC_LOCK = threading.Lock()
_SCHEMA_NAME = re.compile(r"^marts_[0-9a-f]{1,32}_[0-9]{14,20}$")


class MartsNotPublished(MissingMartError):
    """No build has been published into the database yet (or the database cannot be reached)."""


def is_postgres_url(url: str) -> bool:
    """Whether ``url`` is an SQLAlchemy URL of PostgreSQL.

    Examples
    --------
    >>> is_postgres_url("postgresql+psycopg://u@/db"), is_postgres_url("sqlite:///x.sqlite")
    (True, False)
    """
    return url.startswith(("postgresql", "postgres:"))


def marts_database_url() -> str | None:
    """The database the marts are published to and read from (setting ``marts_source``: PostGIS when
    ``database_url`` is a PostgreSQL URL), or None for the GeoParquet files (the embedded default)."""
    source, url = get_setting("marts_source"), get_setting("database_url")
    if source == "postgis" or (source == "auto" and is_postgres_url(url)):
        return url
    return None


def check_schema_name(schema: str) -> str:
    """``schema`` if it is the name of a marts schema (it is written into SQL), else ValueError."""
    if not _SCHEMA_NAME.match(schema):
        raise ValueError(f"« {schema} » n'est pas le nom d'un schéma de tables (marts_<clé>_<date>).")
    return schema


def current_schema(conn: Connection | Engine) -> str:
    """The schema of the build the app should read now.

    Raises
    ------
    MartsNotPublished
        No build has been published into this database, or it cannot be reached.
    """
    try:
        with _connection(conn) as connection:
            row = connection.execute(sa.text(f"SELECT schema_name FROM public.{CURRENT_TABLE} WHERE id = 1")).first()
    except sa.exc.ProgrammingError:
        row = None
    except sa.exc.SQLAlchemyError as error:
        raise MartsNotPublished(
            f"Base des tables injoignable ({error.__class__.__name__}) : vérifiez FABT_DATABASE_URL et que "
            "PostgreSQL tourne."
        ) from error
    if row is None:
        raise MartsNotPublished(
            "Aucune construction des tables n'est publiée dans la base (FABT_DATABASE_URL). Construisez-les avec : "
            f"{REBUILD_COMMAND}"
        )
    return check_schema_name(row[0])


def read_mart(conn: Connection | Engine, schema: str, name: str, geometry: bool = True) -> pd.DataFrame:
    """Mart ``name`` of ``schema``, with the dtypes it had in the build (a GeoDataFrame in EPSG:4326
    when it has geometries and ``geometry`` is true).

    Raises
    ------
    MissingMartError
        The schema has no such mart (dropped since, or an older build).
    """
    if name not in MART_NAMES:
        raise KeyError(f"unknown mart {name!r}; known marts: {', '.join(MART_NAMES)}")
    schema = check_schema_name(schema)
    try:
        with _connection(conn) as connection:
            columns = connection.execute(
                sa.text(f'SELECT "column", dtype FROM "{schema}".{COLUMNS_TABLE} WHERE mart = :m ORDER BY position'),
                {"m": name},
            ).all()
            if not columns:
                raise MissingMartError(f"La table « {name} » est absente du schéma {schema} : {REBUILD_COMMAND}")
            dtypes = dict(columns)
            has_geometry = dtypes.get("geometry") == "geometry"
            wanted = [c for c in dtypes if c != "geometry" or geometry]
            select = ", ".join(
                'ST_AsBinary("geometry")' if c == "geometry" else '"' + c.replace('"', '""') + '"' for c in wanted
            )
            url = connection.engine.url
        table = _fetch_arrow(url, f'SELECT {select} FROM "{schema}"."{name}" ORDER BY "_row"', wanted)
    except (sa.exc.ProgrammingError, adbc_dbapi.ProgrammingError) as error:
        raise MissingMartError(
            f"La table « {name} » n'est plus dans la base ({schema} : {error.__class__.__name__}) : la page la relira "
            "dans la construction actuelle."
        ) from error
    frame = _frame(table, dtypes)
    if has_geometry and geometry:
        return gpd.GeoDataFrame(frame, geometry="geometry", crs=SRID)
    return frame


def _fetch_arrow(url: sa.URL, query: str, columns: list[str]) -> pa.Table:
    """The result of ``query`` as an Arrow table, through ADBC's PostgreSQL driver (binary COPY into
    Arrow, without a Python object per value: through psycopg's rows the first read of the marts took
    twice as long). One connection per database and process (opening one costs 0.1 s), used under a
    lock (it is not thread-safe; reads are rare: once per mart and build), opened again if it broke."""
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with _ADBC_LOCK:
        for attempt in (1, 2):
            connection = _ADBC.get(libpq)
            if connection is None:
                connection = _ADBC[libpq] = adbc_dbapi.connect(libpq)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(query)
                    table = cursor.fetch_arrow_table()
                connection.rollback()
                break
            except adbc_dbapi.OperationalError:
                _ADBC.pop(libpq, None)
                with contextlib.suppress(adbc_dbapi.Error):
                    connection.close()
                if attempt == 2:
                    raise
            except adbc_dbapi.ProgrammingError:
                connection.rollback()
                raise
    return table.rename_columns(columns)


def _frame(table: pa.Table, dtypes: dict[str, str]) -> pd.DataFrame:
    data = {}
    for column in table.column_names:
        values = table.column(column)
        if column == "geometry":
            data[column] = shapely.from_wkb(values.to_numpy(zero_copy_only=False))
        else:
            data[column] = values.to_pandas().astype(_dtype(dtypes[column]) if dtypes[column] != "object" else object)
    return pd.DataFrame(data)


def read_report(conn: Connection | Engine, schema: str) -> dict:
    """The build report published with ``schema``."""
    schema = check_schema_name(schema)
    with _connection(conn) as connection:
        text = connection.execute(sa.text(f'SELECT report FROM "{schema}".{REPORT_TABLE}')).scalar_one()
    return json.loads(text)


def describe_dtype(dtype) -> str:
    """The text that :func:`read_mart` turns back into ``dtype`` (``geometry`` for the geometries).

    Examples
    --------
    >>> describe_dtype(pd.Int64Dtype()), describe_dtype(pd.StringDtype("python"))
    ('Int64', 'string[python]')
    """
    if isinstance(dtype, gpd.array.GeometryDtype):
        return "geometry"
    if isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA:
        return f"string[{dtype.storage}]"
    return str(dtype)


def _dtype(text: str):
    return pd.api.types.pandas_dtype(text)


class _connection:
    """A connection from an engine (closed after), or the connection given (left open)."""

    def __init__(self, conn: Connection | Engine):
        self._given = conn
        self._own: Connection | None = None

    def __enter__(self) -> Connection:
        if isinstance(self._given, Engine):
            self._own = self._given.connect()
            return self._own
        return self._given

    def __exit__(self, *exc) -> None:
        if self._own is not None:
            self._own.close()
