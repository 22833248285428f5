"""Where a table's column names are, and the frame under them.

Administrations' spreadsheets often open with a title block (the programme, the date, a
notice) above the header. The header is taken to be the first row that fills at least half as
many cells as the widest row (and two at least), mostly with words rather than numbers; the user
can choose another line.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from core.domain.formatting import format_number
from core.uploads.table import UploadError, UploadLimits

HEADER_SEARCH_ROWS = 40
_NUMBER_LIKE = re.compile(r"^[-+]?[\d\s\u00a0\u202f.,:/-]+\s*[€%]?$")


def detect_header_row(rows: list[list[str]]) -> int:
    """The index, among ``rows``, of the row holding the column names (0 when none stands out).

    Examples
    --------
    >>> detect_header_row([["Lauréats 2023"], ["Source : ANCT"], ["nom", "insee", "montant"], ["A", "01001", "5"]])
    2
    """
    sample = rows[:HEADER_SEARCH_ROWS]
    filled = [[cell for cell in row if cell] for row in sample]
    widest = max((len(cells) for cells in filled), default=0)
    if widest < 2:
        return 0
    need = max(2, math.ceil(widest / 2))
    for index, cells in enumerate(filled):
        numeric = sum(bool(_NUMBER_LIKE.match(cell)) for cell in cells)
        if len(cells) >= need and numeric * 2 < len(cells):
            return index
    return 0


def build_frame(
    rows: list[list[str]],
    lines: list[int],
    header_index: int,
    filename: str,
    limits: UploadLimits,
    total_rows: int | None = None,
    ragged_message: str | None = None,
) -> tuple[pd.DataFrame, list[int]]:
    """The frame of the rows under ``rows[header_index]``, named by it, with the line of each row.

    Parameters
    ----------
    rows, lines : list
        Non-blank rows (stripped cells) and the file line of each.
    header_index : int
        Index of the header among ``rows``.
    total_rows : int, optional
        How many non-blank rows the file holds (when ``rows`` stops at the limit).
    ragged_message : str, optional
        When given, a data row with values beyond the header's last column is refused with this
        message (text files); otherwise such values get a column ``colonne_N`` (spreadsheets).

    Raises
    ------
    UploadError
        A column name given twice, too many columns or rows, no data row.
    """
    total_rows = len(rows) if total_rows is None else total_rows
    header = [name.replace("\ufeff", "").strip() for name in rows[header_index]]
    body, body_lines = rows[header_index + 1 :], lines[header_index + 1 :]
    width = len(header)
    for row, line in zip(body, body_lines, strict=True):
        if len(row) > width and any(row[width:]):
            if ragged_message is not None:
                raise UploadError(
                    f"{ragged_message} (ligne {format_number(line)} : {sum(1 for c in row if c)} valeurs pour "
                    f"{width} colonnes). Vérifiez les guillemets et le séparateur de chaque ligne."
                )
            width = max(width, max(i + 1 for i, cell in enumerate(row) if cell))
    header += [""] * (width - len(header))
    seen, duplicated = set(), []
    for name in header:
        if name and name.lower() in seen:
            duplicated.append(name)
        seen.add(name.lower())
    if duplicated:
        raise UploadError(
            f"« {filename} » a plusieurs colonnes nommées {', '.join(sorted(set(duplicated)))}. "
            "Renommez-les pour que chaque colonne ait un nom unique."
        )
    columns = {}
    for i, name in enumerate(header):
        values = [row[i] if i < len(row) else "" for row in body]
        if name or any(values):
            columns[name or f"colonne_{i + 1}"] = values
    if len(columns) > limits.max_columns:
        raise UploadError(
            f"« {filename} » a {len(columns)} colonnes, au-delà de la limite de {limits.max_columns}. "
            "Gardez seulement les colonnes utiles."
        )
    data_rows = total_rows - header_index - 1
    if data_rows > limits.max_rows:
        raise UploadError(
            f"« {filename} » a {format_number(data_rows)} lignes, au-delà de la limite de "
            f"{format_number(limits.max_rows)}. Découpez-le en plusieurs fichiers."
        )
    if not body:
        raise UploadError(f"« {filename} » a une ligne d'en-tête mais aucune ligne de données.")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(body)), dtype=str) if columns else pd.DataFrame()
    return frame, list(body_lines)
