"""A detailed list of the Fabriques supplied by the user: wave, amount, address, FNT flag.

The open list (``fabt_geom.geojson``) tells none of these beyond wave 1; ANCT keeps them in an
internal spreadsheet. Its layout is not published, so columns are recognised by their
normalised name among synonyms, and every cell is checked: a row that cannot be read is kept in
the staged frame with ``statut = "rejetée"`` and the reason, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from core.domain.codes import CodeMap
from core.domain.parsing import ValueParseError, parse_bool
from core.domain.parsing import parse_amount as parse_number
from core.domain.text import EMAIL_RE, clean_name, remove_emails
from core.uploads.columns import PLACE_FIELDS, recognise_columns
from core.uploads.reader import UploadError, UploadLimits, read_upload
from etl.errors import SourceFormatError
from etl.report import StageLog
from etl.schemas import validate

# The programme has had 10 waves: 8 in 2020-2021 (ids 1-300), the 2023 wave (9th, ids 301-382)
# and the 2024 wave (10th, announced 28 Oct 2024; not in the open list of January 2024).
MAX_WAVE = 10
# An internal file read on the command line: larger than a web upload, same worker limits.
DETAIL_LIMITS = UploadLimits(max_bytes=50 * 1024 * 1024, max_rows=100_000, max_columns=200)
STATUS_MERGED = "retenue"
STATUS_REJECTED = "rejetée"
STATUS_UNKNOWN = "identifiant inconnu"

# Role → accepted column names: the synonyms of the users' lists (one list, core.uploads.columns).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "fabrique_id": PLACE_FIELDS["identifiant"],
    "nom": PLACE_FIELDS["nom"],
    "vague": PLACE_FIELDS["vague"],
    "montant": PLACE_FIELDS["montant"],
    "adresse": PLACE_FIELDS["adresse"],
    "fnt": PLACE_FIELDS["fnt"],
    "insee": PLACE_FIELDS["insee_com"],
}
GEOJSON_COLUMNS = ("longitude", "latitude")  # added by the reader; the open list's location is kept
PHONE_RE = re.compile(r"(?:(?:\+|00)33[\s.-]?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")
FORMULA_START_RE = re.compile(r"^[=+@\-\s]+")
_ID_RE = re.compile(r"^(?:fabt[-_ ]?)?0*(\d{1,6})(?:\.0+)?$", re.IGNORECASE)
_WAVE_RE = re.compile(
    r"^(?:vague\s*(?:n[°o]?\s*)?)?(\d{1,3})(?:\.0+)?\s*(?:e|eme|ème|re|ère|er)?(?:\s*vague)?$", re.IGNORECASE
)


def shown(text: object, limit: int = 40) -> str:
    """A cell as quoted in a report: no e-mail address or phone number, at most ``limit`` characters."""
    value = PHONE_RE.sub("[téléphone retiré]", remove_emails(str(text))).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def parse_fabrique_id(text: str) -> int | None:
    """``fabt-12``, ``12`` or ``12.0`` → 12; None when it is not an id.

    Examples
    --------
    >>> parse_fabrique_id("fabt-12"), parse_fabrique_id(" 12 "), parse_fabrique_id("douze")
    (12, 12, None)
    """
    match = _ID_RE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def parse_amount(text: str) -> float | None:
    """A grant in euros (see :func:`core.domain.parsing.parse_amount`); None when empty.

    Raises
    ------
    ValueError
        With the reason (not a number, ambiguous, formula, zero or negative).

    Examples
    --------
    >>> parse_amount("150 000,00 €"), parse_amount("150000.5"), parse_amount("1.234.567,8")
    (150000.0, 150000.5, 1234567.8)
    """
    try:
        amount = parse_number(text)
    except ValueParseError as error:
        raise ValueError(f"montant {error}") from error
    if amount is not None and amount <= 0:
        raise ValueError(f"montant « {shown(text)} » : négatif ou nul")
    return amount


def parse_wave(text: str) -> int | None:
    """``3``, ``3.0``, ``vague 3`` or ``3e vague`` → 3; None when empty.

    Raises
    ------
    ValueError
        When the text is not a wave number of the programme (1 to :data:`MAX_WAVE`).
    """
    value = text.strip()
    if not value:
        return None
    match = _WAVE_RE.fullmatch(value)
    if not match:
        raise ValueError(f"vague « {shown(text)} » : pas un nombre entier")
    wave = int(match.group(1))
    if not 1 <= wave <= MAX_WAVE:
        raise ValueError(f"vague « {shown(text)} » : hors de 1 à {MAX_WAVE} (le programme compte {MAX_WAVE} vagues)")
    return wave


def parse_flag(text: str) -> bool | None:
    """The FNT flag (the users' yes/no words, and « FNT » itself); None when empty.

    Raises
    ------
    ValueError
        When the text is none of these.
    """
    try:
        return parse_bool(text, frozenset({"fnt"}))
    except ValueParseError as error:
        raise ValueError(f"FNT « {shown(text)} » : attendu oui/non, 1/0, vrai/faux ou x") from error


def _recognise(columns: list[str], filename: str) -> tuple[dict[str, str], list[str], list[str]]:
    """Role → column, the personal columns and the ignored ones (the users' lists' recogniser)."""
    recognition = recognise_columns(columns, SYNONYMS)
    if recognition.duplicates:
        detail = "; ".join(f"{role}: {', '.join(cols)}" for role, cols in recognition.duplicates.items())
        raise SourceFormatError(
            f"{filename}: several columns hold the same field ({detail}); keep one column per field and retry."
        )
    if "fabrique_id" not in recognition.mapping:
        raise SourceFormatError(
            f"{filename}: no Fabrique id column; expected one named {', '.join(SYNONYMS['fabrique_id'][:4])} "
            f"(values fabt-12 or 12). Columns found: {', '.join(shown(c) for c in columns)}."
        )
    ignored = [c for c in recognition.ignored if c not in GEOJSON_COLUMNS]
    return recognition.mapping, recognition.personal, ignored


def _clean_text(value: str) -> tuple[str, set[str]]:
    """A display-safe text and what was removed from it (``email``, ``phone``, ``formula``)."""
    removed = set()
    if EMAIL_RE.search(value):
        removed.add("email")
    if PHONE_RE.search(value):
        removed.add("phone")
        value = PHONE_RE.sub(" ", value)
    text = clean_name(value)
    stripped = FORMULA_START_RE.sub("", text)
    if stripped != text:
        removed.add("formula")
    return stripped, removed


def stage_fabriques_detail(path: Path, code_map: CodeMap, known_ids: Collection[int], log: StageLog) -> pd.DataFrame:
    """Read a detailed list of the Fabriques (any format of :func:`core.uploads.reader.read_upload`) and check
    every row.

    Parameters
    ----------
    path : Path
        The file supplied with ``python -m etl build --fabriques-detail``.
    code_map : CodeMap
        To bring the file's INSEE codes to the COG 2026.
    known_ids : collection of int
        The ids of the open list; a row with another id is ``identifiant inconnu``.
    log : StageLog
        Filled with rows read, rows kept and every repair or rejection.

    Returns
    -------
    DataFrame
        One row per data row of the file: ``ligne`` (its line in the file or spreadsheet, title
        rows above the header counted), ``identifiant`` (as written), ``fabrique_id`` (Int64), ``nom_fichier``,
        ``vague`` (Int64), ``montant`` (float, euros), ``adresse``, ``fnt`` (boolean),
        ``insee_fichier`` (as written), ``insee_fichier_2026`` (COG 2026, NA when unknown),
        ``statut`` (``retenue``, ``rejetée`` or ``identifiant inconnu``) and ``motif``. Only
        recognised columns are read; personal columns (contact, e-mail, phone) never are, and
        e-mail addresses and phone numbers are removed from the texts.
        ``attrs["colonnes"]`` tells which column was read for which field, and which were not;
        ``attrs["lecture"]`` how the file was read (format, encoding, separator, header line,
        sheet or layer read among which, remarks).

    Raises
    ------
    SourceFormatError
        Unreadable file, no id column, two columns for one field, or a Fabrique id given twice.
    """
    try:
        table = read_upload(path.read_bytes(), path.name, DETAIL_LIMITS)
    except UploadError as error:
        raise SourceFormatError(f"{path.name}: {error}") from error
    raw = table.frame
    log.rows_in = len(raw)
    columns = list(raw.columns)
    roles, personal, ignored = _recognise(columns, path.name)
    for kind, names in (("personal-data column(s) not read", personal), ("unrecognised column(s) not read", ignored)):
        if names:
            filled = raw[names].ne("").any(axis=1)
            log.add(
                "repaired",
                f"{kind}: {', '.join(shown(n) for n in names)}",
                int(filled.sum()),
                [f"ligne {table.lines[i]}" for i in raw.index[filled]],
            )

    def cells(role: str) -> pd.Series:
        return raw[roles[role]] if role in roles else pd.Series("", index=raw.index)

    records = []
    repairs: dict[str, list[int]] = {"email": [], "phone": [], "formula": []}
    for index in raw.index:
        line = table.lines[int(index)]
        reasons: list[str] = []
        fid = parse_fabrique_id(cells("fabrique_id")[index])
        written_id = shown(cells("fabrique_id")[index])
        if fid is None:
            reasons.append(
                f"identifiant « {written_id} » illisible (attendu fabt-12 ou 12)"
                if written_id
                else "identifiant absent"
            )
        values: dict[str, object] = {}
        for role, parser in (("vague", parse_wave), ("montant", parse_amount), ("fnt", parse_flag)):
            try:
                values[role] = parser(cells(role)[index])
            except ValueError as error:
                values[role] = None
                reasons.append(str(error))
        texts = {}
        for role in ("nom", "adresse"):
            text, removed = _clean_text(cells(role)[index])
            texts[role] = text or None
            for what in removed:
                repairs[what].append(line)
        insee_2026 = code_map.to_2026(cells("insee")[index])[0] if cells("insee")[index] else None
        insee = shown(cells("insee")[index]) or None
        if fid is None:
            status = STATUS_REJECTED
        elif fid not in known_ids:
            status = STATUS_UNKNOWN
            reasons.insert(0, f"fabt-{fid} absent de la liste ouverte")
        else:
            status = STATUS_REJECTED if reasons else STATUS_MERGED
        records.append(
            {
                "ligne": line,
                "identifiant": written_id,
                "fabrique_id": fid,
                "nom_fichier": texts["nom"],
                "vague": values["vague"],
                "montant": values["montant"],
                "adresse": texts["adresse"],
                "fnt": values["fnt"],
                "insee_fichier": insee,
                "insee_fichier_2026": insee_2026,
                "statut": status,
                "motif": " ; ".join(reasons) or None,
            }
        )
    out = pd.DataFrame.from_records(
        records,
        columns=[
            "ligne",
            "identifiant",
            "fabrique_id",
            "nom_fichier",
            "vague",
            "montant",
            "adresse",
            "fnt",
            "insee_fichier",
            "insee_fichier_2026",
            "statut",
            "motif",
        ],
    ).astype(
        {
            "ligne": "int64",
            "identifiant": "string",
            "fabrique_id": "Int64",
            "nom_fichier": "string",
            "vague": "Int64",
            "montant": "float64",
            "adresse": "string",
            "fnt": "boolean",
            "insee_fichier": "string",
            "insee_fichier_2026": "string",
            "statut": "string",
            "motif": "string",
        }
    )
    ids = out["fabrique_id"].dropna()
    twice = sorted(set(ids[ids.duplicated()].astype(int)))
    if twice:
        raise SourceFormatError(
            f"{path.name}: Fabrique id(s) given more than once: {', '.join(f'fabt-{i}' for i in twice)}; "
            "keep one row per Fabrique and retry."
        )
    for what, reason in (
        ("email", "e-mail address removed from a text"),
        ("phone", "phone number removed from a text"),
        ("formula", "leading formula character (= + - @) removed from a text"),
    ):
        log.add("repaired", reason, len(repairs[what]), [f"ligne {n}" for n in repairs[what]])
    for status, reason in ((STATUS_REJECTED, "row rejected"), (STATUS_UNKNOWN, "id not in the open list")):
        chosen = out[out["statut"] == status]
        log.add("dropped", reason + " (see the merge report)", len(chosen), chosen["identifiant"].tolist())
    log.rows_out = int((out["statut"] == STATUS_MERGED).sum())
    out = validate(out, "fabriques_detail", path.name)
    out.attrs["colonnes"] = {
        "lues": {role: shown(column) for role, column in roles.items()},
        "personnelles": [shown(c) for c in personal],
        "ignorées": [shown(c) for c in ignored],
    }
    out.attrs["lecture"] = table.reading
    return out
