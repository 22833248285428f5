"""What the workspace keeps: items of a few kinds, each with a payload checked against its kind's schema.

An item is read back only if its payload still has the shape its kind requires: a damaged row
fails for that item alone (:class:`DamagedItemError`, with what is wrong), never for the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from core.domain.text import EMAIL_RE, is_personal_column

KINDS: dict[str, str] = {
    "view": "Vue",
    "list": "Liste",
    "region_sud": "Scénario Région Sud",
    "eligibility": "Lot d'éligibilité",
    "presentation": "Présentation",
    "planner": "Scénario de prochaine vague",
    "network": "Rapprochement corrigé",
}
MAX_TITLE = 200
MAX_NOTE = 5_000


class WorkspaceError(Exception):
    """A workspace operation failed; the message says what happened and what to do (French)."""


class WorkspaceUnavailable(WorkspaceError):
    """The database cannot be opened or written to."""


class ItemNotFound(WorkspaceError):
    """No item with this id (or not visible to this user)."""


class ConflictError(WorkspaceError):
    """The item was saved by someone else since it was opened; ``current`` is the stored version."""

    def __init__(self, message: str, current: ItemSummary):
        super().__init__(message)
        self.current = current


class LimitError(WorkspaceError):
    """An item is too large, or a user has too many items."""


class DamagedItemError(WorkspaceError):
    """An item's stored payload does not have the shape of its kind."""


class InvalidItemError(WorkspaceError):
    """An item offered for saving (or in an imported file) does not have the shape of its kind."""


class ItemSummary(NamedTuple):
    """An item without its payload (what lists show; a named tuple: 10,000 are made per listing)."""

    id: str
    kind: str
    title: str
    note: str
    owner: str
    shared: bool
    created_at: datetime
    updated_at: datetime
    updated_by: str
    version: int
    size_bytes: int
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class Item:
    """An item and its payload (already checked against its kind's schema)."""

    summary: ItemSummary
    payload: dict

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def kind(self) -> str:
        return self.summary.kind

    @property
    def version(self) -> int:
        return self.summary.version


# ------------------------------------------------------------------ payload schemas
def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidItemError(message)


def _str_map(value: object, what: str) -> None:
    _require(isinstance(value, Mapping), f"{what} : un dictionnaire est attendu")
    _require(all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()), f"{what} : textes attendus")


def _records(value: object, what: str) -> None:
    _require(isinstance(value, list) and all(isinstance(r, Mapping) for r in value), f"{what} : lignes attendues")


def _file(value: object, what: str) -> None:
    _require(isinstance(value, Mapping), f"{what} : description du fichier attendue")
    for key in ("name", "size", "sha256", "blob"):
        _require(key in value, f"{what} : champ « {key} » manquant")
    _require(isinstance(value["size"], int) and value["size"] >= 0, f"{what} : taille invalide")


def _check_view(payload: Mapping) -> None:
    _require(isinstance(payload.get("page"), str) and payload["page"], "vue : page manquante")
    _str_map(payload.get("params", {}), "vue : paramètres")
    list_item = payload.get("list_item")
    _require(list_item is None or isinstance(list_item, str), "vue : référence de liste invalide")


def _check_list(payload: Mapping) -> None:
    _require(isinstance(payload.get("name"), str), "liste : nom de fichier manquant")
    _str_map(payload.get("mapping", {}), "liste : association des colonnes")
    _records(payload.get("accepted"), "liste : lignes acceptées")
    _records(payload.get("rejected"), "liste : lignes rejetées")
    rows_in = payload.get("rows_in")
    _require(isinstance(rows_in, int), "liste : nombre de lignes lues manquant")
    _require(
        rows_in == len(payload["accepted"]) + len(payload["rejected"]),
        "liste : lignes lues ≠ acceptées + rejetées",
    )
    _require(payload.get("mode") in ("couche", "remplace", "aucun"), "liste : mode d'usage inconnu")
    _file(payload.get("source"), "liste : fichier d'origine")


def _check_region_sud(payload: Mapping) -> None:
    _require(isinstance(payload.get("candidates"), list), "scénario : candidats manquants")
    _require(all(isinstance(c, str) for c in payload["candidates"]), "scénario : codes des candidats invalides")
    _require(isinstance(payload.get("method"), str), "scénario : méthode manquante")
    for key in ("floor", "cap"):
        value = payload.get(key)
        _require(value is None or (isinstance(value, int) and value >= 0), f"scénario : {key} invalide")
    _require(isinstance(payload.get("distance_km"), int), "scénario : distance manquante")
    _require(isinstance(payload.get("envelope"), int), "scénario : enveloppe manquante")


def _check_eligibility(payload: Mapping) -> None:
    _records(payload.get("projects"), "lot : projets")
    _records(payload.get("verdicts"), "lot : verdicts")
    _require(isinstance(payload.get("scheme_departement"), str), "lot : département du dispositif manquant")
    _file(payload.get("source"), "lot : fichier d'origine")


def _check_presentation(payload: Mapping) -> None:
    slides = payload.get("slides")
    _require(isinstance(slides, list) and slides, "présentation : diapositives manquantes")
    for i, slide in enumerate(slides, start=1):
        _require(isinstance(slide, Mapping), f"présentation : diapositive {i} invalide")
        _require(isinstance(slide.get("title"), str), f"présentation : titre de la diapositive {i} manquant")
        _require(isinstance(slide.get("notes", ""), str), f"présentation : notes de la diapositive {i} invalides")
        _check_view(slide.get("view") or {})


def _check_planner(payload: Mapping) -> None:
    _check_view(payload.get("view") or {})
    sites = payload.get("sites")
    _require(isinstance(sites, list) and all(isinstance(s, str) for s in sites), "scénario : sites invalides")
    _require(isinstance(payload.get("method"), str), "scénario : méthode manquante")
    for key in ("value", "bound"):
        _require(isinstance(payload.get(key), int | float), f"scénario : {key} manquant")


def _check_network(payload: Mapping) -> None:
    _require(isinstance(payload.get("places"), str), "rapprochement : lieux rapprochés manquants")
    _require(isinstance(payload.get("rows_taken"), int), "rapprochement : nombre de lignes prises manquant")
    _file(payload.get("source"), "rapprochement")


CHECKS: dict[str, Callable[[Mapping], None]] = {
    "view": _check_view,
    "list": _check_list,
    "region_sud": _check_region_sud,
    "eligibility": _check_eligibility,
    "presentation": _check_presentation,
    "planner": _check_planner,
    "network": _check_network,
}


def check_payload(kind: str, payload: object) -> None:
    """Raise :class:`InvalidItemError` unless ``payload`` has the shape of ``kind``.

    Examples
    --------
    >>> check_payload("view", {"page": "carte", "params": {"dep": "29"}})
    >>> check_payload("view", {"params": {}})
    Traceback (most recent call last):
    ...
    core.workspace.items.InvalidItemError: vue : page manquante
    """
    _require(kind in CHECKS, f"type d'élément inconnu « {kind} » (attendu : {', '.join(KINDS)})")
    _require(isinstance(payload, Mapping), "contenu de l'élément invalide")
    CHECKS[kind](payload)


def check_text(title: str, note: str) -> tuple[str, str]:
    """A title and note cleaned of surrounding spaces, within their lengths (else :class:`InvalidItemError`)."""
    title, note = (title or "").strip(), (note or "").strip()
    _require(bool(title), "Donnez un titre à l'élément.")
    _require(len(title) <= MAX_TITLE, f"Titre trop long ({len(title)} caractères, {MAX_TITLE} au plus).")
    _require(len(note) <= MAX_NOTE, f"Note trop longue ({len(note)} caractères, {MAX_NOTE} au plus).")
    return title, note


def strip_personal_data(records: list[dict]) -> list[dict]:
    """Rows without their personal columns and with every e-mail address removed from their texts:
    the marts' rule, applied to what a user saves.

    Examples
    --------
    >>> strip_personal_data([{"nom": "Lieu x@y.fr", "Contact": "Jeanne"}])
    [{'nom': 'Lieu'}]
    """
    out = []
    for row in records:
        clean = {}
        for key, value in row.items():
            if is_personal_column(key):
                continue
            clean[key] = EMAIL_RE.sub("", value).strip() if isinstance(value, str) else value
        out.append(clean)
    return out
