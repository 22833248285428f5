"""What reading a supplied file gives: the table and how it was read, the limits it must respect, the refusal."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


class UploadError(ValueError):
    """A supplied file cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class UploadLimits:
    """What a supplied file may hold at most, and what reading it may cost.

    ``max_bytes``, ``max_rows`` and ``max_columns`` bound the file and its table. An archive
    (``.xlsx``, ``.ods``, ``.zip``) is inspected before anything is inflated: at most
    ``max_inflated_bytes`` in all, ``max_members`` members, and no member over 1 Mo inflating
    more than ``max_ratio`` times. Files that are not plain text are parsed in a worker process
    that may use ``worker_memory_mb`` of memory and ``worker_timeout_s`` seconds at most; at most
    ``max_workers`` such workers run at once.
    """

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 60
    max_inflated_bytes: int = 256 * 1024 * 1024
    max_ratio: float = 200.0
    max_members: int = 500
    worker_memory_mb: int = 768
    worker_timeout_s: float = 20.0
    max_workers: int = 2


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of a workbook or a layer of a vector file: its name and how many rows (features) it holds."""

    name: str
    rows: int


@dataclass
class UploadedTable:
    """A supplied file read as text: the frame, how it was read, and remarks for the user.

    ``frame`` holds stripped strings (in geometry mode, a GeoDataFrame in WGS 84 whose attribute
    columns are strings). ``lines`` gives, for each row of the frame, its line in the file (the
    first line being 1), so that rejections name the line the user sees. ``header_row`` is the
    line holding the column names (0 for a vector file, whose fields are named). ``sheets`` and
    ``sheet``: the sheets of a workbook (each with its non-empty rows) and the one read;
    ``layers`` and ``layer``: the same for the layers of a GeoPackage or a zipped shapefile.
    """

    frame: pd.DataFrame
    kind: str
    encoding: str = ""
    separator: str = ""
    notes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    header_row: int = 1
    sheets: list[SheetInfo] = field(default_factory=list)
    sheet: str = ""
    layers: list[SheetInfo] = field(default_factory=list)
    layer: str = ""

    @property
    def reading(self) -> dict[str, object]:
        """How the file was read, JSON-ready (for the ETL's build report)."""
        out: dict[str, object] = {"format": self.kind, "encodage": self.encoding, "séparateur": self.separator}
        if self.header_row:
            out["ligne d'en-tête"] = self.header_row
        if self.sheet:
            out["feuille"] = self.sheet
            out["feuilles"] = {s.name: s.rows for s in self.sheets}
        if self.layer:
            out["couche"] = self.layer
            out["couches"] = {s.name: s.rows for s in self.layers}
        out["remarques"] = list(self.notes)
        return out
