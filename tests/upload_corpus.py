"""Files as agents' tools make them, built here byte for byte: workbooks, text exports, GIS files (the crafted
archives are in bench/crafted_files.py, shared with the bench that measures their refusal).

Every builder returns the bytes of a real file of its format (openpyxl for .xlsx, the ODF layout
for .ods, GDAL through pyogrio for shapefiles, GeoPackages and GeoJSON), so the reader is tested
on what it will meet, never on stand-ins.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import pyogrio
from openpyxl import Workbook
from shapely.geometry import Point, box

# Two places in Lambert-93 (EPSG:2154): Bourg-en-Bresse (Ain) and Lyon; their WGS 84 positions.
LAMBERT_PLACES = {"Bourg-en-Bresse": (872_800.0, 6_569_900.0), "Lyon": (842_000.0, 6_519_000.0)}
WGS84_PLACES = {"Bourg-en-Bresse": (5.2258, 46.2052), "Lyon": (4.8357, 45.7640)}


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook with these sheets (name → rows), in this order."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = f'office:value-type="float" office:value="{value}"'
        return f"<table:table-cell {number}><text:p>{value}</text:p></table:table-cell>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """A LibreOffice spreadsheet (OpenDocument): ``mimetype`` stored first, the manifest, ``content.xml``."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def excel_unicode_text(rows: list[list[str]], big_endian: bool = False) -> bytes:
    """Excel's « Texte Unicode » export: UTF-16 with its BOM, tab-separated, CRLF line ends."""
    text = "\r\n".join("\t".join(row) for row in rows) + "\r\n"
    return (b"\xfe\xff" + text.encode("utf-16-be")) if big_endian else (b"\xff\xfe" + text.encode("utf-16-le"))


def places_frame(crs: str = "EPSG:2154") -> gpd.GeoDataFrame:
    """The two places as points (Lambert-93 by default, QGIS's default for French data), with text fields."""
    points = [Point(*LAMBERT_PLACES[name]) for name in LAMBERT_PLACES]
    frame = gpd.GeoDataFrame(
        {"nom": list(LAMBERT_PLACES), "insee": ["01053", "69123"]}, geometry=points, crs="EPSG:2154"
    )
    return frame.to_crs(crs)


def _written(frame: gpd.GeoDataFrame, name: str, **kwargs) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        pyogrio.write_dataframe(frame, path, **kwargs)
        return path.read_bytes()


def geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """A GeoJSON written by GDAL as QGIS does: a ``crs`` member naming the CRS when it is not WGS 84."""
    return _written(frame, "lieux.geojson", driver="GeoJSON")


def geopackage_bytes(layers: dict[str, gpd.GeoDataFrame]) -> bytes:
    """A GeoPackage holding these layers."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lieux.gpkg"
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", append=path.exists())
        return path.read_bytes()


def shapefile_zip(frames: dict[str, gpd.GeoDataFrame], folder: str = "", skip: tuple[str, ...] = ()) -> bytes:
    """A zip of shapefiles (name → frame): each one's .shp, .shx, .dbf, .prj and .cpg, under ``folder``."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as temp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in frames.items():
            pyogrio.write_dataframe(frame, Path(temp) / f"{name}.shp")
            for part in sorted(Path(temp).glob(f"{name}.*")):
                if part.suffix not in skip:
                    archive.write(part, f"{folder}{part.name}")
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    """An ordinary zip of these members (deflated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def square(x: float, y: float, size: float) -> object:
    """A square polygon of side ``size`` with its lower-left corner at (x, y)."""
    return box(x, y, x + size, y + size)
