"""From a file's bytes to an :class:`UploadedTable`: the work done in the worker process (or in place for text).

The worker server (:mod:`core.uploads.worker_server`) imports it ahead of time, through
:mod:`core.uploads.worker_warmup`, so it imports every reader.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from core.domain.formatting import format_number
from core.uploads.cells import cell_text
from core.uploads.formats import GEOJSON, GEOPACKAGE, SHAPEFILE, TEXT, WORKBOOK
from core.uploads.header import build_frame, detect_header_row
from core.uploads.sheets import read_workbook
from core.uploads.table import UploadedTable, UploadError, UploadLimits
from core.uploads.text import (
    SEPARATOR_NAMES,
    decode_text,
    read_text_rows,
    refuse_countless_fields,
    sniff_separator,
)
from core.uploads.vector import read_vector, representative_points

VECTOR_FAMILIES = (GEOJSON, SHAPEFILE, GEOPACKAGE)


@dataclass(frozen=True)
class ReadChoice:
    """What the user chose, each left to detection when None: the sheet, the layer, the header line (1 = first)."""

    sheet: str | None = None
    layer: str | None = None
    header_row: int | None = None
    keep_geometry: bool = False


def _header_index(rows: list[list[str]], lines: list[int], choice: ReadChoice, filename: str) -> tuple[int, list[str]]:
    if choice.header_row is None:
        index = detect_header_row(rows)
        if index == 0:
            return 0, []
        return index, [
            f"Noms de colonnes trouvés à la ligne {format_number(lines[index])} : les lignes au-dessus (titre, "
            "notice) sont ignorées. Choisissez une autre ligne d'en-tête si besoin."
        ]
    index = next((i for i, line in enumerate(lines) if line >= choice.header_row), None)
    if index is None:
        raise UploadError(
            f"« {filename} » n'a pas de ligne non vide à partir de la ligne {format_number(choice.header_row)} : "
            "choisissez une ligne d'en-tête plus haute."
        )
    return index, [f"Noms de colonnes lus à la ligne {format_number(lines[index])} (ligne choisie)."]


def _table_from_rows(
    rows: list[list[str]],
    lines: list[int],
    total: int,
    filename: str,
    limits: UploadLimits,
    choice: ReadChoice,
    ragged: str | None = None,
) -> tuple[object, list[int], int, list[str]]:
    if not rows:
        raise UploadError(f"Le fichier « {filename} » est vide : il ne contient aucune ligne.")
    index, notes = _header_index(rows, lines, choice, filename)
    frame, body_lines = build_frame(rows, lines, index, filename, limits, total, ragged)
    return frame, body_lines, lines[index], notes


def _parse_text(data: bytes, filename: str, kind: str, limits: UploadLimits, choice: ReadChoice) -> UploadedTable:
    text, encoding, notes = decode_text(data, filename)
    refuse_countless_fields(text, filename, limits)
    separator = sniff_separator(text)
    rows, lines, total, blanks = read_text_rows(text, separator, filename, limits)
    ragged = f"« {filename} » ne se découpe pas en colonnes régulières avec le séparateur {SEPARATOR_NAMES[separator]}"
    frame, body_lines, header, more = _table_from_rows(rows, lines, total, filename, limits, choice, ragged)
    skipped = [n for n in blanks if n > header]
    if skipped:
        shown = ", ".join(str(n) for n in skipped[:10]) + (" …" if len(skipped) > 10 else "")
        more.append(f"{format_number(len(skipped))} ligne(s) vide(s) ignorée(s) (lignes {shown}).")
    return UploadedTable(frame, kind, encoding, separator, notes + more, body_lines, header)


def _parse_workbook(data: bytes, filename: str, kind: str, limits: UploadLimits, choice: ReadChoice) -> UploadedTable:
    rows, lines, sheets, sheet = read_workbook(data, filename, kind, choice.sheet)
    frame, body_lines, header, notes = _table_from_rows(rows, lines, len(rows), filename, limits, choice)
    if len(sheets) > 1:
        listed = " ; ".join(f"« {s.name} » ({format_number(s.rows)} lignes)" for s in sheets)
        how = "choisie" if choice.sheet else "celle qui contient le plus de lignes de données"
        notes.insert(0, f"Feuille « {sheet} » lue ({how}) parmi {len(sheets)} : {listed}.")
    return UploadedTable(frame, kind, notes=notes, lines=body_lines, header_row=header, sheets=sheets, sheet=sheet)


def _parse_vector(
    data: bytes, filename: str, family: str, kind: str, limits: UploadLimits, choice: ReadChoice
) -> UploadedTable:
    features, layers, layer, notes = read_vector(data, filename, family, choice.layer)
    geometry = features.geometry
    fields = [c for c in features.columns if c != features.geometry.name]
    if not choice.keep_geometry:
        fields = [c for c in fields if c.lower() not in ("longitude", "latitude")]
    values = [[cell_text(v) for v in row] for row in features[fields].itertuples(index=False, name=None)]
    header = [str(c) for c in fields]
    if not header:
        header, values = ["colonne_1"], [[""] for _ in values]
    rows = [header, *values]
    frame, _ = build_frame(rows, list(range(1, len(rows) + 1)), 0, filename, limits)
    if choice.keep_geometry:
        frame = gpd.GeoDataFrame(frame, geometry=geometry.reset_index(drop=True).to_numpy(), crs=features.crs)
    else:
        lon, lat, more = representative_points(geometry)
        frame = frame.assign(longitude=lon, latitude=lat)
        notes += more
    return UploadedTable(
        frame,
        kind,
        "UTF-8" if family == GEOJSON else "",
        notes=notes,
        lines=list(range(2, len(frame) + 2)),
        header_row=0,
        layers=layers if family != GEOJSON else [],
        layer=layer,
    )


def parse_upload(
    data: bytes, filename: str, family: str, kind: str, limits: UploadLimits, choice: ReadChoice
) -> UploadedTable:
    """Parse a file whose family was detected (and whose archive, if any, was inspected).

    Parameters
    ----------
    data : bytes
        The file.
    filename : str
        Its name, for the messages.
    family, kind : str
        From :func:`core.uploads.formats.detect_family`.
    limits : UploadLimits
        Rows and columns at most.
    choice : ReadChoice
        The sheet, layer and header line chosen by the user, and whether to keep geometries.

    Returns
    -------
    UploadedTable

    Raises
    ------
    UploadError
        Whatever makes the file unreadable, with what to do.
    """
    if choice.keep_geometry and family not in VECTOR_FAMILIES:
        raise UploadError(
            f"« {filename} » n'est pas un fichier géographique : fournissez un GeoJSON, un GeoPackage ou un shapefile "
            "zippé."
        )
    if family == TEXT:
        return _parse_text(data, filename, kind, limits, choice)
    if family == WORKBOOK:
        return _parse_workbook(data, filename, kind, limits, choice)
    return _parse_vector(data, filename, family, kind, limits, choice)
