"""A supplied file read with the user's choices: the sheet, the layer and the header line found, each changeable.

Shared by the lists page and the eligibility page's file tab. Each read (the file with one set
of choices) is kept for the session, refusals included, so a rerun never parses the file again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from core.domain.formatting import format_number
from core.uploads.reader import UploadedTable, UploadError, UploadLimits, read_upload
from ui import state

MAX_KEPT_READS = 8


@dataclass(frozen=True)
class SuppliedFile:
    """A file read: its table, and a version that changes with the file and the choices (for widget keys)."""

    table: UploadedTable
    version: str


def _read(key: str, data: bytes, name: str, limits: UploadLimits, choice: tuple) -> UploadedTable | UploadError:
    """The table of ``data`` read with ``choice`` (sheet, layer, header line), or its refusal, kept for the session."""
    digest = hashlib.sha256(data).hexdigest()[:12]
    reads = dict(state.recall(state.UPLOAD_READS) or {})
    kept = reads.get(key)
    if kept is None or kept["digest"] != digest:
        kept = {"digest": digest, "reads": {}}
    if choice not in kept["reads"]:
        sheet, layer, header = choice
        try:
            outcome: UploadedTable | UploadError = read_upload(
                data, name, limits, sheet=sheet, layer=layer, header_row=header
            )
        except UploadError as error:
            outcome = error
        kept["reads"] = {**dict(list(kept["reads"].items())[-(MAX_KEPT_READS - 1) :]), choice: outcome}
    reads[key] = kept
    state.remember(state.UPLOAD_READS, reads)
    return kept["reads"][choice]


def read_supplied_file(upload, limits: UploadLimits, key: str) -> SuppliedFile | None:
    """Read an uploaded file, show how it was read and the widgets to change the sheet, layer or header line.

    Parameters
    ----------
    upload : UploadedFile
        What ``st.file_uploader`` returned.
    limits : UploadLimits
        The reader's limits.
    key : str
        Prefix of the widgets' keys (one per uploader).

    Returns
    -------
    SuppliedFile or None
        None when the file is refused: the refusal has been shown.
    """
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:12]
    base = _read(key, data, upload.name, limits, (None, None, None))
    if isinstance(base, UploadError):
        st.error(str(base), icon=":material/block:")
        return None
    sheet_key, layer_key = f"{key}_feuille_{digest}", f"{key}_couche_{digest}"
    # The proposed sheet or layer, even once its widget holds it, is read as "not chosen".
    sheet = state.recall(sheet_key) if len(base.sheets) > 1 else None
    sheet = None if sheet == base.sheet else sheet
    layer = state.recall(layer_key) if len(base.layers) > 1 else None
    layer = None if layer == base.layer else layer
    chosen = base if (sheet, layer) == (None, None) else _read(key, data, upload.name, limits, (sheet, layer, None))
    header_key = f"{key}_entete_{digest}_{sheet or base.sheet}_{layer or base.layer}"
    header = state.recall(header_key)
    auto_header = chosen.header_row if isinstance(chosen, UploadedTable) else None
    table = chosen
    if header is not None and header != auto_header:
        table = _read(key, data, upload.name, limits, (sheet, layer, int(header)))
    slots = st.columns(3)
    for label, infos, proposed, widget_key, unit, proposal in (
        (
            "Feuille lue",
            base.sheets,
            base.sheet,
            sheet_key,
            "lignes",
            "la feuille qui contient le plus de lignes de données",
        ),
        ("Couche lue", base.layers, base.layer, layer_key, "objets", "la couche qui contient le plus d'objets"),
    ):
        if len(infos) > 1:
            counts = {info.name: info.rows for info in infos}
            slots[0].selectbox(
                label,
                list(counts),
                index=list(counts).index(proposed),
                format_func=lambda name, counts=counts, unit=unit: f"{name} ({format_number(counts[name])} {unit})",
                key=widget_key,
                help=f"Proposée : {proposal}.",
            )
    if auto_header:
        slots[1].number_input(
            "Ligne des noms de colonnes",
            min_value=1,
            value=auto_header,
            step=1,
            key=header_key,
            help="Proposée : la première ligne qui remplit au moins la moitié des colonnes, avec des mots plutôt que "
            "des nombres (les lignes de titre au-dessus sont ignorées).",
        )
    if isinstance(table, UploadError):
        st.error(str(table), icon=":material/block:")
        return None
    for note in table.notes:
        st.caption(note)
    return SuppliedFile(table, f"{digest}_{table.sheet}_{table.layer}_{table.header_row}")
