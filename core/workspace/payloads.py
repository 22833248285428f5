"""What each kind of item holds, built from the app's own objects, and read back into them.

- a **view**: page, query parameters (filters, page parameters, map view), and the saved list it
  used, if any;
- a **list**: the validated rows, the rejected rows with their reasons, the column mapping, how the
  pages use it, and the original file described (name, size, sha256) with its content as read —
  without its personal columns and e-mail addresses (the marts' rule: personal data is never
  stored), so it can be validated again when the COG changes;
- a **Région Sud scenario**: candidates, method, need indicator, floor, cap, distance, envelope;
- an **eligibility batch**: the projects read, their verdicts, the file as read;
- a **presentation**: ordered slides, each a view, with the presenter's notes;
- a **next-wave scenario**: its view and the plan found then.
"""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, date, datetime

import pandas as pd

from core.domain.text import is_personal_column
from core.workspace.items import KINDS, InvalidItemError, Item, check_payload, check_text, strip_personal_data
from core.workspace.store import sha256_of

ENVELOPE_FORMAT = "fabriques-espace"
ENVELOPE_VERSION = 1


def _jsonable(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """A frame as JSON-ready rows (missing values as None, dates as ISO text)."""
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, map(_jsonable, row), strict=True)) for row in frame.itertuples(index=False, name=None)]


def records_frame(records: list[dict], columns: list[str] | None = None) -> pd.DataFrame:
    """Rows back into a frame (``columns`` keeps their order, also when there is no row)."""
    return pd.DataFrame(records, columns=columns) if columns else pd.DataFrame(records)


def sanitized_table_bytes(frame: pd.DataFrame) -> bytes:
    """A supplied table as read, without its personal columns nor any e-mail address, as CSV (UTF-8)."""
    kept = frame[[c for c in frame.columns if not is_personal_column(c)]]
    clean = pd.DataFrame(strip_personal_data(frame_records(kept)), columns=[str(c) for c in kept.columns])
    return clean.to_csv(index=False).encode("utf-8")


def read_sanitized_table(data: bytes) -> pd.DataFrame:
    """The table of :func:`sanitized_table_bytes` back, every cell as text (as the reader gives it)."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def file_source(name: str, original: bytes, table: pd.DataFrame) -> tuple[dict, bytes]:
    """The description of a supplied file (its name, size and sha256 as supplied) and the content kept:
    the table as read without personal data (see :func:`sanitized_table_bytes`)."""
    kept = sanitized_table_bytes(table)
    return {"name": name, "size": len(original), "sha256": sha256_of(original), "blob": sha256_of(kept)}, kept


def make_view_payload(page: str, params: dict[str, str], list_item: str | None = None) -> dict:
    """A view: the page (its URL stem), its query parameters, the saved list it uses."""
    payload = {"page": page, "params": {str(k): str(v) for k, v in params.items() if k != "espace"}}
    if list_item:
        payload["list_item"] = list_item
    check_payload("view", payload)
    return payload


def make_list_payload(
    name: str,
    mapping: dict[str, str],
    accepted: pd.DataFrame,
    rejected: pd.DataFrame,
    rows_in: int,
    mode: str,
    source: dict,
    personal_columns: list[str],
) -> dict:
    """A list: validated and rejected rows (without personal data), mapping, mode and source file."""
    payload = {
        "name": name,
        "mapping": {k: str(v) for k, v in mapping.items()},
        "accepted_columns": [str(c) for c in accepted.columns],
        "accepted": strip_personal_data(frame_records(accepted)),
        "rejected_columns": [str(c) for c in rejected.columns if not is_personal_column(c)],
        "rejected": strip_personal_data(frame_records(rejected)),
        "rows_in": int(rows_in),
        "mode": mode,
        "source": source,
        "personal_columns": list(personal_columns),
    }
    check_payload("list", payload)
    return payload


def list_frames(payload: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The accepted and rejected rows of a list payload, as frames (dates back to dates)."""
    accepted = records_frame(payload["accepted"], payload.get("accepted_columns"))
    if "date" in accepted.columns:
        accepted["date"] = pd.to_datetime(accepted["date"], errors="coerce").dt.date.astype(object)
        accepted.loc[accepted["date"].isna(), "date"] = None
    for column in ("longitude", "latitude", "montant"):
        if column in accepted.columns:
            accepted[column] = pd.to_numeric(accepted[column], errors="coerce")
    accepted["insee_com"] = accepted["insee_com"].astype(object) if "insee_com" in accepted else None
    return accepted, records_frame(payload["rejected"], payload.get("rejected_columns"))


def make_scenario_payload(
    candidates: list[str],
    method: str,
    need: str | None,
    floor: int | None,
    cap: int | None,
    distance_km: int,
    envelope: int,
) -> dict:
    """A Région Sud scenario: what reproduces the same euros."""
    payload = {
        "candidates": list(candidates),
        "method": method,
        "need": need,
        "floor": floor,
        "cap": cap,
        "distance_km": int(distance_km),
        "envelope": int(envelope),
    }
    check_payload("region_sud", payload)
    return payload


def make_batch_payload(projects: pd.DataFrame, verdicts: pd.DataFrame, scheme_departement: str, source: dict) -> dict:
    """An eligibility batch: the projects read, their verdicts, the file as read."""
    payload = {
        "projects": strip_personal_data(frame_records(projects)),
        "verdicts": frame_records(verdicts),
        "scheme_departement": scheme_departement,
        "source": source,
    }
    check_payload("eligibility", payload)
    return payload


def make_presentation_payload(slides: list[tuple[str, dict, str]]) -> dict:
    """A presentation: ``(title, view payload, notes)`` per slide, in order."""
    payload = {"slides": [{"title": title, "view": view, "notes": notes} for title, view, notes in slides]}
    check_payload("presentation", payload)
    return payload


def make_planner_payload(view: dict, sites: list[str], method: str, value: float, bound: float) -> dict:
    """A next-wave scenario: its view (every input is a page parameter) and the plan found then
    (communes in order, method, population reached and the bound of the optimum)."""
    payload = {"view": view, "sites": list(sites), "method": method, "value": float(value), "bound": float(bound)}
    check_payload("planner", payload)
    return payload


def make_corrections_payload(places: str, rows_taken: int, source: dict) -> dict:
    """A corrected census match table: the places it was validated against (the Fabriques or a
    list), how many of its lines were taken, and the table as read (its blob). Reopened, the table
    is validated again against the data of the moment.

    Examples
    --------
    >>> source = {"name": "corrigee.csv", "size": 40, "sha256": "ab", "blob": "cd"}
    >>> make_corrections_payload("Fabriques", 2, source)["rows_taken"]
    2
    """
    payload = {"places": places, "rows_taken": int(rows_taken), "source": dict(source)}
    check_payload("network", payload)
    return payload


def compare_plans(saved: dict, sites: list[str], value: float) -> str:
    """How the plan recomputed now compares with a saved scenario's (French)."""
    if list(saved["sites"]) == list(sites):
        return "le plan recalculé sur les données actuelles est le même (mêmes communes, même ordre)."
    same = len(set(saved["sites"]) & set(sites))
    return (
        f"le plan recalculé diffère : {same} commune(s) en commun sur {len(saved['sites'])} (population atteinte "
        f"alors {saved['value']:.0f}, maintenant {value:.0f}) — les données ou la méthode ont changé depuis."
    )


# ------------------------------------------------------------------ files
def export_envelope(item: Item, files: dict[str, bytes]) -> bytes:
    """An item as a JSON file anyone can import back: kind, title, note, payload, file contents."""
    body = {
        "format": ENVELOPE_FORMAT,
        "version": ENVELOPE_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "kind": item.kind,
        "title": item.summary.title,
        "note": item.summary.note,
        "payload": item.payload,
        "files": {sha: base64.b64encode(data).decode("ascii") for sha, data in files.items()},
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def import_envelope(data: bytes) -> tuple[str, str, str, dict, list[bytes]]:
    """Read a file of :func:`export_envelope`: ``(kind, title, note, payload, files)``.

    Raises
    ------
    InvalidItemError
        Not such a file, a damaged one, or a file whose content does not match its checksums.
    """
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidItemError(
            "Ce fichier n'est pas un élément exporté de l'espace de travail (JSON illisible)."
        ) from error
    if not isinstance(body, dict) or body.get("format") != ENVELOPE_FORMAT:
        raise InvalidItemError("Ce fichier n'est pas un élément exporté de l'espace de travail (format inconnu).")
    if body.get("version") != ENVELOPE_VERSION:
        raise InvalidItemError(f"Version de fichier {body.get('version')!r} non prise en charge (attendu : 1).")
    kind = body.get("kind")
    if kind not in KINDS:
        raise InvalidItemError(f"Type d'élément inconnu dans le fichier : {kind!r}.")
    title, note = check_text(str(body.get("title", "")), str(body.get("note", "")))
    payload = body.get("payload")
    check_payload(kind, payload)
    files = []
    for sha, text in (body.get("files") or {}).items():
        try:
            content = base64.b64decode(text, validate=True)
        except (ValueError, TypeError) as error:
            raise InvalidItemError("Contenu de fichier illisible dans l'élément exporté.") from error
        if sha256_of(content) != sha:
            raise InvalidItemError("Un contenu de l'élément exporté ne correspond pas à sa somme de contrôle.")
        files.append(content)
    return kind, title, note, payload, files
