"""Table exports that keep their context: CSV for French spreadsheets and XLSX with "À propos".

Every export goes through :func:`prepare_export`: personal columns are dropped, e-mail addresses
removed, and text cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.domain.definitions import COLUMN_DEFINITIONS
from core.domain.text import EMAIL_RE, is_personal_column

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REMOVED = "[adresse retirée]"


@dataclass
class ExportContext:
    """What an export says about itself in its "À propos" sheet."""

    title: str
    filters: str
    sources: list[str]
    columns: dict[str, str] = field(default_factory=dict)
    exported_at: datetime = field(default_factory=datetime.now)

    def column_definitions(self, columns: list[str]) -> list[tuple[str, str]]:
        """Definition of each exported column: given ones first, then the shared registry."""
        return [(c, self.columns.get(c) or COLUMN_DEFINITIONS.get(c, "")) for c in columns]


def neutralise(value: object) -> object:
    """Prefix a text a spreadsheet would run as a formula with an apostrophe.

    Examples
    --------
    >>> neutralise("=1+1"), neutralise("-2"), neutralise(-2), neutralise("Brest")
    ("'=1+1", "'-2", -2, 'Brest')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def prepare_export(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy safe to export: no personal column, no e-mail, no formula, no geometry."""
    keep = [c for c in frame.columns if not is_personal_column(c) and c != "geometry"]
    out = pd.DataFrame(frame[keep]).copy()
    # A header is a cell too: a column named "=cmd" in a user's file must not run either.
    out.columns = [neutralise(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = (
                out[column]
                .map(lambda v: neutralise(EMAIL_RE.sub(REMOVED, v)) if isinstance(v, str) else v)
                .astype(object)
            )
    return out


def to_csv_bytes(frame: pd.DataFrame, sep: str = ";") -> bytes:
    """CSV in UTF-8 with BOM; with ``;`` the decimal separator is a comma (French spreadsheets)."""
    if sep not in (";", ","):
        raise ValueError(f"separator {sep!r} not supported: use ';' (French) or ','")
    text = prepare_export(frame).to_csv(index=False, sep=sep, decimal="," if sep == ";" else ".", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, context: ExportContext) -> bytes:
    """XLSX with the data and a second sheet "À propos": filters, sources, columns, export date."""
    data = prepare_export(frame)
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append([str(c) for c in data.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in data.itertuples(index=False):
        sheet.append(
            [None if (not isinstance(v, str) and pd.isna(v)) else (v.item() if hasattr(v, "item") else v) for v in row]
        )
    for i, column in enumerate(data.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(10, len(str(column)) + 2))
    sheet.freeze_panes = "A2"
    about = book.create_sheet("À propos")
    rows: list[list[str]] = [
        ["Titre", neutralise(context.title)],
        ["Filtres actifs", neutralise(context.filters)],
        ["Exporté le", context.exported_at.strftime("%d/%m/%Y %H:%M")],
        [],
        ["Sources"],
        *[["", neutralise(s)] for s in context.sources],
        [],
        ["Colonne", "Définition"],
        *[[neutralise(c), neutralise(d)] for c, d in context.column_definitions([str(c) for c in data.columns])],
    ]
    for row in rows:
        about.append(row)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 110
    for cell in about["A"]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
