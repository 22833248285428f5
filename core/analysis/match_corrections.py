"""The match table corrected by an analyst: validated row by row, then taken as authoritative.

The table an analyst corrects is the exported match table (:data:`core.analysis.relabelling.MATCH_COLUMNS`):
only three columns are read, ``fabrique_id``, ``statut`` and ``tl_id`` (compared by
:func:`core.domain.text.column_key`, so « Fabrique ID » is read too); the others are ignored and a
column whose name says it holds personal data is never read. Each row read is either taken or
rejected with its reason (rows read = taken + rejected). A taken row replaces the automatic match
of its Fabrique; Fabriques absent from the table keep their automatic match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from core.analysis.relabelling import (
    ORIGIN_CORRECTED,
    STATUS_FOUND,
    STATUS_NOT_FOUND,
    STATUS_REVIEW,
    STATUSES,
    normalise_name,
    score_names,
)
from core.domain.parsing import normalise_label
from core.domain.text import column_key, is_personal_column

REQUIRED_COLUMNS = ("fabrique_id", "statut", "tl_id")
# Accepted spellings of each status (compared by normalise_label: no accents, no case).
STATUS_SPELLINGS = {
    STATUS_FOUND: ("trouvee", "trouve", "oui", "dans le recensement"),
    STATUS_REVIEW: ("a verifier", "ambigu", "ambigue", "verifier"),
    STATUS_NOT_FOUND: ("non trouvee", "non trouve", "non", "absente", "absent"),
}
_STATUS_OF = {normalise_label(s): status for status, words in STATUS_SPELLINGS.items() for s in words}
_ID_RE = re.compile(r"^(?:fabt-)?(\d+)(?:[.,]0+)?$", re.IGNORECASE)
_TL_RE = re.compile(r"^(.+?)(?:[.,]0+)?$")


class CorrectionTableError(ValueError):
    """The corrected table cannot be read as a match table; the message says which columns it needs."""


@dataclass
class CorrectedMatches:
    """A validated corrected table: rows ``taken`` (``ligne, fabrique_id, statut, tl_id, remarque``)
    and ``rejected`` (``ligne``, the columns read, ``motif``), the rows read, and the columns left
    aside (``ignored``: not read; ``personal``: never read)."""

    taken: pd.DataFrame
    rejected: pd.DataFrame
    rows_in: int
    ignored: list[str] = field(default_factory=list)
    personal: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """Rows read = rows taken + rows rejected."""
        return self.rows_in == len(self.taken) + len(self.rejected)


def _columns(frame: pd.DataFrame) -> tuple[dict[str, str], list[str], list[str]]:
    wanted = {column_key(c): c for c in REQUIRED_COLUMNS}
    found: dict[str, str] = {}
    ignored, personal = [], []
    for column in frame.columns:
        if is_personal_column(column):
            personal.append(column)
        elif column_key(column) in wanted and wanted[column_key(column)] not in found:
            found[wanted[column_key(column)]] = column
        else:
            ignored.append(column)
    missing = [c for c in REQUIRED_COLUMNS if c not in found]
    if missing:
        raise CorrectionTableError(
            f"La table corrigée doit garder les colonnes {', '.join(REQUIRED_COLUMNS)} de la table exportée ; "
            f"il manque : {', '.join(missing)} (colonnes du fichier : {', '.join(map(str, frame.columns))}). "
            "Repartez de la table de rapprochement téléchargée et corrigez seulement « statut » et « tl_id »."
        )
    return found, ignored, personal


def validate_corrections(frame: pd.DataFrame, fabriques: pd.DataFrame, census: pd.DataFrame) -> CorrectedMatches:
    """Validate every row of a corrected match table.

    Parameters
    ----------
    frame : DataFrame
        The supplied table, cells as text (:func:`core.uploads.reader.read_upload`).
    fabriques : DataFrame
        The places matched: ``fabrique_id, insee_com``.
    census : DataFrame
        The ``tiers_lieux_2019`` mart: ``tl_id, insee_com``.

    Returns
    -------
    CorrectedMatches
        A row is rejected when it is empty, its ``fabrique_id`` is not a known Fabrique or was
        already given on an earlier row, its ``statut`` is not one of the three, a « trouvée »
        has no ``tl_id``, a ``tl_id`` is not in the census, or a « non trouvée » names a place.

    Raises
    ------
    CorrectionTableError
        When one of :data:`REQUIRED_COLUMNS` is missing.
    """
    found, ignored, personal = _columns(frame)
    known = dict(zip(fabriques["fabrique_id"].astype("int64"), fabriques["insee_com"], strict=True))
    places = dict(zip(census["tl_id"].astype(str), census["insee_com"], strict=True))
    taken, rejected, seen = [], [], {}
    for line, values in enumerate(frame[[found[c] for c in REQUIRED_COLUMNS]].itertuples(index=False), start=2):
        raw_id, raw_status, raw_tl = (str(v).strip() if v is not None else "" for v in values)
        remark, reason = "", None
        id_match = _ID_RE.match(raw_id)
        fid = int(id_match.group(1)) if id_match else None
        status = _STATUS_OF.get(normalise_label(raw_status))
        tl_id = _TL_RE.match(raw_tl).group(1) if raw_tl else ""
        if not (raw_id or raw_status or raw_tl):
            reason = "ligne vide"
        elif fid is None or fid not in known:
            reason = f"identifiant de Fabrique « {raw_id} » inconnu (fabrique_id de la table exportée attendu)"
        elif fid in seen:
            reason = f"Fabrique {fid} déjà corrigée à la ligne {seen[fid]}"
        elif status is None:
            reason = f"statut « {raw_status} » non reconnu : écrivez {', '.join(STATUSES)}"
        elif status == STATUS_FOUND and not tl_id:
            reason = "statut « trouvée » sans tiers-lieu : indiquez son tl_id (identifiant du recensement 2019)"
        elif tl_id and tl_id not in places:
            reason = f"tiers-lieu « {raw_tl} » inconnu du recensement 2019 (tl_id)"
        elif status == STATUS_NOT_FOUND and tl_id:
            reason = f"statut « non trouvée » mais un tiers-lieu est indiqué (tl_id {raw_tl}) : videz tl_id"
        if reason is None and tl_id and places[tl_id] != known[fid]:
            remark = "tiers-lieu recensé dans une autre commune que la Fabrique"
        if reason is None:
            seen[fid] = line
            taken.append({"ligne": line, "fabrique_id": fid, "statut": status, "tl_id": tl_id or pd.NA})
            taken[-1]["remarque"] = remark
        else:
            rejected.append({"ligne": line, "fabrique_id": raw_id, "statut": raw_status, "tl_id": raw_tl})
            rejected[-1]["motif"] = reason
    result = CorrectedMatches(
        pd.DataFrame(taken, columns=["ligne", "fabrique_id", "statut", "tl_id", "remarque"]),
        pd.DataFrame(rejected, columns=["ligne", "fabrique_id", "statut", "tl_id", "motif"]),
        len(frame),
        ignored,
        personal,
    )
    if not result.balanced:
        raise AssertionError("validation lost rows: rows read ≠ taken + rejected")
    return result


def apply_corrections(matches: pd.DataFrame, corrected: CorrectedMatches, census: pd.DataFrame) -> pd.DataFrame:
    """The match table with each taken row in place of its Fabrique's automatic match.

    A corrected row gets the census name of its ``tl_id`` and the score of the two names, ``motif``
    « corrigé par l'analyste (ligne N) », ``origine`` :data:`ORIGIN_CORRECTED`; the candidates
    proposed automatically (``autre_*``) are cleared. Fabriques absent from ``corrected`` and rows
    of ``corrected`` for Fabriques not in ``matches`` change nothing.
    """
    taken = corrected.taken.set_index("fabrique_id")
    rows = matches["fabrique_id"].isin(taken.index).to_numpy()
    if not rows.any():
        return matches.copy()
    names = census.assign(tl_id=census["tl_id"].astype(str)).set_index("tl_id")["nom"]
    out = matches.copy()
    for position in out.index[rows]:
        fix = taken.loc[out.at[position, "fabrique_id"]]
        tl_id = fix["tl_id"]
        name = names.get(tl_id, pd.NA) if isinstance(tl_id, str) else pd.NA
        commune = out.at[position, "nom_com"]
        score = (
            score_names(normalise_name(out.at[position, "nom"], commune), normalise_name(name, commune))
            if isinstance(name, str)
            else float("nan")
        )
        remark = f" ; {fix['remarque']}" if fix["remarque"] else ""
        out.loc[position, ["statut", "tl_id", "nom_recense", "score", "motif", "origine"]] = [
            fix["statut"],
            tl_id,
            name,
            round(score, 1),
            f"corrigé par l'analyste (ligne {fix['ligne']}){remark}",
            ORIGIN_CORRECTED,
        ]
        out.loc[position, ["autre_tl_id", "autre_nom", "autre_score"]] = [pd.NA, pd.NA, float("nan")]
    return out
