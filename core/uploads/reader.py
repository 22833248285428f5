"""Reading a file a user supplies (CSV, XLSX, GeoJSON) into a frame of text, or a clear refusal.

Files from users are hostile until proven otherwise: another encoding, another separator, a BOM,
duplicated or blank column names, a file that is not what its extension says, a file too large.
Each case ends either in a frame (every cell a stripped string, nothing dropped silently) or in
an :class:`UploadError` whose message says what was wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field

import pandas as pd
import shapely.geometry

from core.domain.formatting import format_number

XLSX_MAGIC = b"PK\x03\x04"
CSV_SEPARATORS = (";", ",", "\t", "|")
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}


class UploadError(ValueError):
    """A supplied file cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class UploadLimits:
    """What a supplied file may hold at most."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 20_000
    max_columns: int = 60


@dataclass
class UploadedTable:
    """A supplied file read as text: the frame, how it was read, and remarks for the user."""

    frame: pd.DataFrame
    kind: str
    encoding: str = ""
    separator: str = ""
    notes: list[str] = field(default_factory=list)


def read_upload(data: bytes, filename: str, limits: UploadLimits | None = None) -> UploadedTable:
    """Read a CSV, XLSX or GeoJSON file into a frame whose cells are stripped strings.

    Parameters
    ----------
    data : bytes
        The file's content.
    filename : str
        Its name; the extension says which reader to use, and the content must agree.
    limits : UploadLimits, optional
        Size, row and column limits (defaults of :class:`UploadLimits`).

    Returns
    -------
    UploadedTable
        For a GeoJSON file, each feature's properties plus ``longitude`` and ``latitude`` (a
        point's coordinates, or a representative point of another geometry).

    Raises
    ------
    UploadError
        Empty file, file over the limits, unknown extension, content that does not match the
        extension, duplicated column names, rows that cannot be split into columns.
    """
    limits = limits or UploadLimits()
    if len(data) > limits.max_bytes:
        raise UploadError(
            f"Le fichier « {filename} » pèse {format_number(len(data) / 1_048_576, 1)} Mo, au-delà de la limite "
            f"de {format_number(limits.max_bytes / 1_048_576, 1)} Mo. Découpez-le en plusieurs fichiers."
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise UploadError(f"Le fichier « {filename} » est vide : il ne contient aucune ligne.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in ("csv", "txt", "tsv"):
        table = _read_csv(data, filename)
    elif extension == "xlsx":
        table = _read_xlsx(data, filename)
    elif extension in ("geojson", "json"):
        table = _read_geojson(data, filename)
    elif extension in ("xls", "ods"):
        raise UploadError(
            f"Le format .{extension} de « {filename} » n'est pas lu : enregistrez le fichier au format .xlsx ou .csv."
        )
    else:
        raise UploadError(
            f"L'extension de « {filename} » n'est pas reconnue : fournissez un fichier .csv, .xlsx ou .geojson."
        )
    table.frame = _check_shape(_clean_columns(table.frame, filename), filename, limits)
    return table


def _read_csv(data: bytes, filename: str) -> UploadedTable:
    if data.startswith(XLSX_MAGIC) or b"\x00" in data[:4096]:
        raise UploadError(
            f"« {filename} » porte l'extension .csv mais son contenu est binaire (un classeur Excel renommé ?). "
            "Exportez-le en CSV depuis votre tableur, ou fournissez-le avec l'extension .xlsx."
        )
    notes = []
    try:
        text, encoding = data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="replace"), "Windows-1252"
        notes.append("Encodage Windows-1252 détecté (le fichier n'est pas en UTF-8) : les accents ont été convertis.")
    text = text.lstrip("\ufeff")
    separator = _sniff_separator(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=True,
            engine="python",
            quotechar='"',
        )
    except pd.errors.ParserError as error:
        raise UploadError(
            f"« {filename} » ne se découpe pas en colonnes régulières avec le séparateur "
            f"{SEPARATOR_NAMES[separator]} ({error}). Vérifiez les guillemets et le séparateur de chaque ligne."
        ) from error
    except pd.errors.EmptyDataError as error:
        raise UploadError(f"Le fichier « {filename} » ne contient aucune colonne lisible.") from error
    return UploadedTable(frame, "CSV", encoding, separator, notes)


def _sniff_separator(text: str) -> str:
    """The separator of the header line: the candidate that splits it most (outside quotes)."""
    header = text.splitlines()[0] if text.splitlines() else ""
    counts = {sep: len(next(csv.reader([header], delimiter=sep))) for sep in CSV_SEPARATORS}
    best = max(CSV_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 1 else ";"


def _read_xlsx(data: bytes, filename: str) -> UploadedTable:
    if not data.startswith(XLSX_MAGIC):
        raise UploadError(
            f"« {filename} » porte l'extension .xlsx mais n'est pas un classeur Excel (c'est peut-être un CSV "
            "renommé). Enregistrez-le au format .xlsx depuis votre tableur, ou renommez-le en .csv."
        )
    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl", keep_default_na=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UploadError(
            f"« {filename} » n'a pas pu être lu comme classeur Excel ({type(error).__name__}). "
            "Ouvrez-le dans votre tableur et enregistrez-le de nouveau au format .xlsx."
        ) from error
    notes = ["Seule la première feuille du classeur est lue."]
    return UploadedTable(frame, "XLSX", notes=notes)


def _read_geojson(data: bytes, filename: str) -> UploadedTable:
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UploadError(
            f"« {filename} » n'est pas un GeoJSON valide (JSON illisible : {error}). Exportez-le de nouveau "
            "depuis votre SIG au format GeoJSON (UTF-8)."
        ) from error
    features = body.get("features") if isinstance(body, dict) else None
    if not isinstance(features, list):
        raise UploadError(f"« {filename} » n'est pas une FeatureCollection GeoJSON (pas de liste « features »).")
    rows, notes, non_points, bad = [], [], 0, 0
    for feature in features:
        props = dict(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        lon = lat = ""
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if geometry:
            try:
                shape = shapely.geometry.shape(geometry)
                point = shape if shape.geom_type == "Point" else shape.representative_point()
                non_points += shape.geom_type != "Point"
                if not point.is_empty:
                    lon, lat = repr(point.x), repr(point.y)
            except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
                bad += 1
        props.pop("longitude", None)
        props.pop("latitude", None)
        rows.append({**{k: "" if v is None else str(v) for k, v in props.items()}, "longitude": lon, "latitude": lat})
    if non_points:
        notes.append(f"{non_points} géométries non ponctuelles : un point intérieur de chacune est utilisé.")
    if bad:
        notes.append(f"{bad} géométries illisibles : ces lignes n'ont pas de coordonnées.")
    if "crs" in body and "4326" not in json.dumps(body["crs"]) and "CRS84" not in json.dumps(body["crs"]):
        raise UploadError(
            f"« {filename} » déclare un système de coordonnées autre que WGS 84 ({body['crs']}). "
            "Reprojetez-le en WGS 84 (EPSG:4326) avant de le fournir."
        )
    return UploadedTable(pd.DataFrame(rows, dtype=str), "GeoJSON", "UTF-8", notes=notes)


def _clean_columns(frame: pd.DataFrame, filename: str) -> pd.DataFrame:
    names = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    # pandas renames a repeated header "x" to "x.1": undo it to find the repetition.
    originals = [
        n.rsplit(".", 1)[0] if n.rsplit(".", 1)[-1].isdigit() and n.rsplit(".", 1)[0] in names else n for n in names
    ]
    seen, duplicated = set(), []
    for name in originals:
        if name and name.lower() in seen:
            duplicated.append(name)
        seen.add(name.lower())
    if duplicated:
        raise UploadError(
            f"« {filename} » a plusieurs colonnes nommées {', '.join(sorted(set(duplicated)))}. "
            "Renommez-les pour que chaque colonne ait un nom unique."
        )
    originals = [n if n and not n.startswith("Unnamed:") else f"colonne_{i + 1}" for i, n in enumerate(originals)]
    out = frame.copy()
    out.columns = originals
    blank_extra = [c for c in out.columns if c.startswith("colonne_") and (out[c].astype(str).str.strip() == "").all()]
    out = out.drop(columns=blank_extra)
    return out.apply(lambda column: column.fillna("").astype(str).str.strip())


def _check_shape(frame: pd.DataFrame, filename: str, limits: UploadLimits) -> pd.DataFrame:
    if frame.shape[1] > limits.max_columns:
        raise UploadError(
            f"« {filename} » a {frame.shape[1]} colonnes, au-delà de la limite de {limits.max_columns}. "
            "Gardez seulement les colonnes utiles."
        )
    if len(frame) > limits.max_rows:
        raise UploadError(
            f"« {filename} » a {format_number(len(frame))} lignes, au-delà de la limite de "
            f"{format_number(limits.max_rows)}. Découpez-le en plusieurs fichiers."
        )
    if frame.empty:
        raise UploadError(f"« {filename} » a une ligne d'en-tête mais aucune ligne de données.")
    return frame.reset_index(drop=True)
