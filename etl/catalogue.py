"""The declarative catalogue of inputs (``catalogue.csv`` beside this module)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("catalogue.csv")


@dataclass(frozen=True)
class SourceFile:
    """One file of the catalogue: where it is published and how to check it."""

    source_id: str
    file: str
    bytes: int
    sha256: str
    url: str
    publisher: str
    licence: str
    vintage: str
    description: str


def load_catalogue(path: Path = CATALOGUE_FILE) -> list[SourceFile]:
    """Read the catalogue.

    Returns
    -------
    list of SourceFile
        One entry per file, in catalogue order.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return [SourceFile(**{**row, "bytes": int(row["bytes"])}) for row in csv.DictReader(handle)]
