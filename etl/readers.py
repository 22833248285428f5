"""Strict readers: a file that is not what the catalogue says stops the build with a message."""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from etl.errors import SourceFormatError


def _decode_utf8(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(
            f"{path.name}: not UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 4]!r}); "
            "it may be Windows-1252. Use the publisher's UTF-8 file, or convert it "
            "(iconv -f WINDOWS-1252 -t UTF-8)."
        ) from exc


def require_columns(columns: list[str] | pd.Index, required: list[str], name: str) -> None:
    """Raise :class:`SourceFormatError` naming the columns ``name`` lacks."""
    missing = [c for c in required if c not in set(columns)]
    if missing:
        raise SourceFormatError(
            f"{name}: missing column(s) {', '.join(missing)} (found: {', '.join(map(str, columns))}). "
            "The publisher may have changed the format: check the file against the catalogue."
        )


def read_csv_checked(path: Path, required: list[str], sep: str = ",") -> pd.DataFrame:
    """Read a UTF-8 CSV (BOM allowed) as strings, checking its required columns.

    Raises
    ------
    SourceFormatError
        Not UTF-8, unreadable, or a required column missing (often a wrong separator).
    """
    text = _decode_utf8(path)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceFormatError(f"{path.name}: cannot be read as CSV ({exc})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame.columns) == 1 and sep not in frame.columns[0] and required:
        other = ";" if sep == "," else ","
        if other in frame.columns[0]:
            raise SourceFormatError(
                f"{path.name}: separated by {other!r} where {sep!r} was expected; "
                "the file is not the catalogue's version."
            )
    require_columns(frame.columns, required, path.name)
    return frame


def read_json_records(path: Path, required: list[str]) -> pd.DataFrame:
    """Read a JSON array of objects; every object must hold the ``required`` keys."""
    try:
        records = json.loads(_decode_utf8(path))
    except json.JSONDecodeError as exc:
        raise SourceFormatError(f"{path.name}: not valid JSON ({exc})") from exc
    if not isinstance(records, list) or (records and not isinstance(records[0], dict)):
        raise SourceFormatError(f"{path.name}: expected a JSON array of objects")
    frame = pd.DataFrame.from_records(records)
    require_columns(frame.columns, required, path.name)
    return frame


def read_geojson_checked(path: Path, required: list[str]) -> gpd.GeoDataFrame:
    """Read a GeoJSON file in CRS84/WGS84 with its properties as read, checking columns."""
    _decode_utf8(path)
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several types for a damaged file
        raise SourceFormatError(f"{path.name}: not readable as GeoJSON ({exc})") from exc
    require_columns(frame.columns, required, path.name)
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    elif not frame.crs.equals("EPSG:4326") and frame.crs.to_epsg() not in (4326, None):
        raise SourceFormatError(f"{path.name}: CRS {frame.crs} where WGS84/CRS84 was expected")
    elif frame.crs.to_epsg() is None:
        frame = frame.set_crs("EPSG:4326", allow_override=True)
    return frame
