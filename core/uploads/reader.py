"""Reading a file a user supplies into a frame of text, or a clear refusal: the one reader of every upload path.

Users' lists, the eligibility page's project files and the ETL's ``--fabriques-detail`` and
``--qpv-2015`` files all come through :func:`read_upload`. Files from users are hostile until
proven otherwise: another encoding, another separator, a BOM, a title block above the header,
a notice on the first sheet, duplicated or blank column names, a file that is not what its
extension says, a file too large, an archive built to inflate. Each case ends either in a table
(every cell a stripped string, nothing dropped silently) or in an :class:`UploadError` whose
message says what was wrong and what to do.

Where the work happens: sizes and extensions are checked first; an archive (``.xlsx``,
``.ods``, ``.zip``) is inspected before anything is inflated (:mod:`core.uploads.archive`);
plain text is then read in place, streamed with its limits (:mod:`core.uploads.text`);
everything else is parsed in a worker process with memory and time limits
(:mod:`core.uploads.sandbox`).
"""

from __future__ import annotations

from core.domain.formatting import format_number
from core.uploads.archive import inspect_archive
from core.uploads.formats import SHAPEFILE, TEXT, WORKBOOK, detect_family
from core.uploads.parsing import ReadChoice, parse_upload
from core.uploads.sandbox import run_bounded
from core.uploads.table import SheetInfo, UploadedTable, UploadError, UploadLimits

__all__ = ["ReadChoice", "SheetInfo", "UploadError", "UploadLimits", "UploadedTable", "read_upload"]


def read_upload(
    data: bytes,
    filename: str,
    limits: UploadLimits | None = None,
    *,
    sheet: str | None = None,
    layer: str | None = None,
    header_row: int | None = None,
    keep_geometry: bool = False,
) -> UploadedTable:
    """Read a CSV/TXT, XLSX, ODS, GeoJSON, GeoPackage or zipped shapefile into a frame of stripped strings.

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        Its name; the extension says which reader to use, and the content must agree.
    limits : UploadLimits, optional
        Size, row, column, archive and worker limits (defaults of :class:`UploadLimits`).
    sheet : str, optional
        The workbook sheet to read (default: the one with the most rows of data).
    layer : str, optional
        The GeoPackage layer, or the shapefile of a zip, to read (default: the largest).
    header_row : int, optional
        The line of the file (1 = first) holding the column names (default: detected, after any
        title rows).
    keep_geometry : bool
        For vector files: return a GeoDataFrame in WGS 84 with the geometries (the ETL's QPV
        file) instead of longitude and latitude columns.

    Returns
    -------
    UploadedTable
        For a vector file, each feature's fields plus ``longitude`` and ``latitude`` in WGS 84
        (a point's coordinates, or a point inside another geometry); the notes say from which
        coordinate system they were reprojected.

    Raises
    ------
    UploadError
        Empty file, file over the limits, unknown extension, content that does not match the
        extension, an archive that would inflate beyond the limits or climbs out of its folder,
        parsing over the memory or time limit, duplicated column names, rows that cannot be
        split into columns.

    Examples
    --------
    >>> table = read_upload("Lauréats 2023\\n\\nnom;insee\\nÉcole;01001\\n".encode("utf-16"), "liste.txt")
    >>> table.frame.to_dict("records"), table.encoding, table.header_row, table.lines
    ([{'nom': 'École', 'insee': '01001'}], 'UTF-16 LE', 3, [4])
    """
    limits = limits or UploadLimits()
    if len(data) > limits.max_bytes:
        raise UploadError(
            f"Le fichier « {filename} » pèse {format_number(len(data) / 1_048_576, 1)} Mo, au-delà de la limite "
            f"de {format_number(limits.max_bytes / 1_048_576, 1)} Mo. Découpez-le en plusieurs fichiers."
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UploadError(f"Le fichier « {filename} » est vide : il ne contient aucune ligne.")
    family, kind = detect_family(data, filename)
    choice = ReadChoice(sheet, layer, header_row, keep_geometry)
    if family in (WORKBOOK, SHAPEFILE):
        inspect_archive(data, filename, limits)
    if family == TEXT and not keep_geometry:
        return parse_upload(data, filename, family, kind, limits, choice)
    table = run_bounded(parse_upload, (data, filename, family, kind, limits, choice), filename, limits)
    if not isinstance(table, UploadedTable):
        raise UploadError(f"« {filename} » n'a pas pu être lu (réponse inattendue du lecteur).")
    return table
