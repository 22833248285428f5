"""A table of projects (CSV or XLSX a user supplies) read into :class:`~core.schemes.eligibility.Project`.

Every row becomes a project: a value that cannot be read is treated as "not said" and the
row's ``remarques`` say which value and why, so no row is lost and none is half-understood
silently.
"""

from __future__ import annotations

import re

import pandas as pd

from core.domain.codes import CodeMap
from core.domain.parsing import ValueParseError, normalise_label, parse_amount, parse_bool
from core.schemes.eligibility import CO_FUNDERS, OWNER_TYPES, SERVICES, Project
from core.uploads.columns import recognise_columns

# Our field → accepted column names (normalised).
PROJECT_COLUMNS = {
    "nom": ("nom", "projet", "nom du projet", "nom projet", "intitule", "libelle"),
    "type_porteur": ("type porteur", "type de porteur", "porteur", "statut", "statut porteur", "nature porteur"),
    "services": ("services", "services proposes", "services offerts", "offre"),
    "animation": ("animation", "personnel dedie", "animation personnel dedie", "animateur"),
    "cofinanceurs": ("cofinanceurs", "cofinancements", "cofinancement", "financeurs", "autres financeurs"),
    "depense_ht": ("depense ht", "depenses ht", "depense", "depenses", "montant ht", "budget", "cout ht"),
    "insee_com": ("insee com", "code insee", "insee", "code commune", "commune insee", "cog"),
}
TEMPLATE_COLUMNS = ["nom", "type_porteur", "services", "animation", "cofinanceurs", "depense_ht", "insee_com"]
# Words that tell an owner type, tested in this order (the first match wins).
OWNER_WORDS = (
    ("communaute de communes", "cc"),
    ("communaute d agglomeration", "ca"),
    ("communaute urbaine", "cu"),
    ("metropole", "metropole"),
    ("ess", "ess"),
    ("economie sociale", "ess"),
    ("association", "ess"),
    ("cooperative", "ess"),
    ("scic", "ess"),
    ("scop", "ess"),
    ("fondation", "ess"),
    ("mutuelle", "ess"),
    ("entreprise", "prive"),
    ("sarl", "prive"),
    ("sas", "prive"),
    ("prive", "prive"),
    ("commune", "public"),
    ("mairie", "public"),
    ("syndicat", "public"),
    ("collectivite", "public"),
    ("etablissement public", "public"),
    ("public", "public"),
    ("autre", "autre"),
)
SERVICE_WORDS = (
    ("teletravail", "teletravail"),
    ("coworking", "coworking"),
    ("travail partage", "coworking"),
    ("fab lab", "fablab"),
    ("fablab", "fablab"),
    ("living lab", "livinglab"),
    ("livinglab", "livinglab"),
    ("accompagnement", "accompagnement"),
    ("mediation", "mediation"),
    ("numerique", "mediation"),
    ("vie sociale", "vie_sociale"),
)
FUNDER_WORDS = (
    ("union europeenne", "ue"),
    ("europe", "ue"),
    ("feder", "ue"),
    ("leader", "ue"),
    ("ue", "ue"),
    ("etat", "etat"),
    ("dsil", "etat"),
    ("detr", "etat"),
    ("region", "region"),
    ("intercommunalite", "intercommunalite"),
    ("epci", "intercommunalite"),
    ("communaute", "intercommunalite"),
    ("metropole", "intercommunalite"),
    ("commune", "commune"),
    ("departement", "departement"),
    ("aucun", ""),
)
_LIST_SPLIT = re.compile(r"[,;|/+]")


def guess_project_columns(columns: list[str]) -> dict[str, str]:
    """Our field → the supplied column that holds it (see :func:`core.uploads.columns.recognise_columns`)."""
    return recognise_columns(columns, PROJECT_COLUMNS).mapping


def _match_words(text: str, words: tuple[tuple[str, str], ...]) -> str | None:
    key = f" {normalise_label(text)} "
    for word, value in words:
        if f" {word} " in key or (len(word) > 4 and word in key):
            return value
    return None


def parse_owner(text: str) -> str | None:
    """Owner type key of a free-text answer (``"Association loi 1901"`` → ``"ess"``).

    Raises
    ------
    ValueParseError
        When no owner type is recognised.
    """
    if not text.strip():
        return None
    if text.strip() in OWNER_TYPES:
        return text.strip()
    value = _match_words(text, OWNER_WORDS)
    if value is None:
        raise ValueParseError(f"type de porteur « {text} » non reconnu (attendu : {', '.join(OWNER_TYPES)})")
    return value


def _parse_list(
    text: str, words: tuple[tuple[str, str], ...], what: str, known: dict[str, str]
) -> frozenset[str] | None:
    if not text.strip():
        return None
    values = set()
    for piece in _LIST_SPLIT.split(text):
        if not piece.strip():
            continue
        if piece.strip() in known:
            values.add(piece.strip())
            continue
        value = _match_words(piece, words)
        if value is None:
            raise ValueParseError(f"{what} « {piece.strip()} » non reconnu")
        if value:
            values.add(value)
    return frozenset(values)


def parse_services(text: str) -> frozenset[str] | None:
    """Service keys of a list such as ``"coworking, fab lab | médiation numérique"``."""
    return _parse_list(text, SERVICE_WORDS, "service", SERVICES)


def parse_funders(text: str) -> frozenset[str] | None:
    """Co-funder keys of a list such as ``"Région, FEDER"``; ``"aucun"`` gives an empty set."""
    return _parse_list(text, FUNDER_WORDS, "cofinanceur", CO_FUNDERS)


def read_projects(
    frame: pd.DataFrame, code_map: CodeMap, lines: list[int] | None = None
) -> tuple[list[Project], pd.DataFrame]:
    """Read every row of a projects table.

    Parameters
    ----------
    frame : DataFrame
        Cells as text (see :func:`core.uploads.reader.read_upload`).
    code_map : CodeMap
        To bring older commune codes to the COG 2026.
    lines : list of int, optional
        The file line of each row (:attr:`core.uploads.reader.UploadedTable.lines`); by default
        the header is line 1 and the rows follow it.

    Returns
    -------
    (list of Project, DataFrame)
        One project per row, and a frame ``ligne, projet, remarques`` with what could not be read.

    Raises
    ------
    ValueError
        When no column of the table can be recognised.
    """
    columns = guess_project_columns(list(frame.columns))
    if len(columns) <= 1:
        raise ValueError(
            "Aucune colonne reconnue parmi "
            + ", ".join(map(str, frame.columns))
            + ". Colonnes attendues : "
            + ", ".join(TEMPLATE_COLUMNS)
            + " (téléchargez le modèle)."
        )
    parsers = {
        "type_porteur": parse_owner,
        "services": parse_services,
        "animation": parse_bool,
        "cofinanceurs": parse_funders,
        "depense_ht": parse_amount,
    }
    projects, remarks = [], []
    positions = list(lines) if lines is not None else list(range(2, len(frame) + 2))
    for position, (_, row) in zip(positions, frame.iterrows(), strict=True):
        values: dict[str, object] = {"nom": row.get(columns.get("nom", ""), "") or f"Projet de la ligne {position}"}
        notes = []
        for field_name, parse in parsers.items():
            if field_name not in columns:
                continue
            try:
                values[field_name] = parse(str(row[columns[field_name]]))
            except ValueParseError as error:
                notes.append(f"{field_name} : {error}")
        if "insee_com" in columns and str(row[columns["insee_com"]]).strip():
            raw = str(row[columns["insee_com"]]).strip()
            code, status = code_map.to_2026(raw)
            if code is None:
                notes.append(f"insee_com : « {raw} » n'est pas un code commune du COG 2026 ni un ancien code connu")
            else:
                values["insee_com"] = code
                if status == "remapped":
                    notes.append(f"insee_com : ancien code {raw} ramené à {code} (COG 2026)")
        projects.append(Project(**values))
        remarks.append({"ligne": position, "projet": values["nom"], "remarques": " ; ".join(notes)})
    return projects, pd.DataFrame(remarks, columns=["ligne", "projet", "remarques"])


def make_template() -> pd.DataFrame:
    """An example projects table whose column names and values the reader understands."""
    return pd.DataFrame(
        [
            {
                "nom": "Tiers-lieu de la gare",
                "type_porteur": "Association",
                "services": "coworking, fab lab, médiation numérique",
                "animation": "oui",
                "cofinanceurs": "Région, FEDER",
                "depense_ht": "45 000",
                "insee_com": "47001",
            }
        ],
        columns=TEMPLATE_COLUMNS,
    )
