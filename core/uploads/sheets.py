"""Reading a workbook (``.xlsx``, ``.ods``) with calamine: its sheets, the one with the data, its rows.

Runs in the worker process (:mod:`core.uploads.sandbox`): calamine builds each sheet as a dense
range, so a few kilobytes declaring a far cell can ask for gigabytes; the worker's memory limit
turns that into a refusal instead of a stalled server.
"""

from __future__ import annotations

import io

import python_calamine

from core.uploads.cells import cell_text
from core.uploads.table import SheetInfo, UploadError

ABOUT_SHEET = "À propos"


def _rows_of(sheet) -> tuple[list[list[str]], list[int]]:
    """Non-blank rows as text and the spreadsheet line of each."""
    first_row = sheet.start[0] if sheet.start else 0
    rows, lines = [], []
    for offset, values in enumerate(sheet.to_python(skip_empty_area=True)):
        cells = [cell_text(v) for v in values]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
            lines.append(first_row + offset + 1)
    return rows, lines


def _tabular_rows(rows: list[list[str]]) -> int:
    """Rows filling at least two cells: a notice has none or few, a table has many."""
    return sum(1 for row in rows if sum(1 for cell in row if cell) >= 2)


def read_workbook(
    data: bytes, filename: str, kind: str, sheet: str | None = None
) -> tuple[list[list[str]], list[int], list[SheetInfo], str]:
    """The rows of one sheet of a workbook, with every sheet listed.

    Parameters
    ----------
    data : bytes
        The workbook (already inspected by :func:`core.uploads.archive.inspect_archive`).
    filename, kind : str
        For the messages (``"XLSX"`` or ``"ODS"``).
    sheet : str, optional
        The sheet to read; by default the one with the most rows of two cells or more (the
        first such sheet on a tie), so a notice on the first sheet is passed over — and never the
        « À propos » sheet of the dashboard's own exports when another sheet has data.

    Returns
    -------
    (rows, lines, sheets, chosen)
        Non-blank rows of the chosen sheet as text, the line of each, every visible sheet with
        its non-blank row count, and the chosen sheet's name.

    Raises
    ------
    UploadError
        Unreadable workbook, unknown sheet name, no sheet with any data.
    """
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [
            m.name
            for m in book.sheets_metadata
            if m.visible == python_calamine.SheetVisibleEnum.Visible
            and m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        names = names or list(book.sheet_names)
        read = {name: _rows_of(book.get_sheet_by_name(name)) for name in names}
    except (python_calamine.CalamineError, ValueError, KeyError) as error:
        raise UploadError(
            f"« {filename} » n'a pas pu être lu comme classeur {kind} ({type(error).__name__} : {error}). Ouvrez-le "
            f"dans votre tableur et enregistrez-le de nouveau au format .{kind.lower()}."
        ) from error
    sheets = [SheetInfo(name, len(read[name][0])) for name in names]
    if sheet is not None and sheet not in read:
        raise UploadError(
            f"« {filename} » n'a pas de feuille « {sheet} » (feuilles : {', '.join(names)}). Choisissez-en une autre."
        )
    if sheet is None:
        with_data = [name for name in names if read[name][0]]
        if not with_data:
            raise UploadError(f"Le classeur « {filename} » est vide : aucune de ses feuilles ne contient de ligne.")
        # A workbook this dashboard exported carries its notice in an « À propos » sheet, which can hold
        # more rows than a small table: it is never the proposed one when another sheet has data.
        candidates = [name for name in with_data if name != ABOUT_SHEET] or with_data
        sheet = max(candidates, key=lambda name: (_tabular_rows(read[name][0]), -names.index(name)))
    rows, lines = read[sheet]
    return rows, lines, sheets, sheet
