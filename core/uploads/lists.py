"""A list of funded places that a user supplies: column mapping, validation, and the same schema as the Fabriques.

Every row read ends in exactly one of two frames: accepted (with the COG 2026 commune and a
point) or rejected (with the reason). Nothing is corrected silently: a remapped commune code or
a point taken from the commune centroid is said in the row's ``remarques``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from core.domain.classifications import USER_LIST_COHORT
from core.domain.codes import CodeMap
from core.domain.formatting import format_number
from core.domain.parsing import ValueParseError, parse_amount, parse_bool, parse_date
from core.geo.nearest import compute_nearest, compute_points_in_polygons
from core.uploads.columns import PLACE_FIELDS, is_personal_column, recognise_columns

# Our field → (label shown, accepted column names: the one list of core.uploads.columns).
FIELD_LABELS = {
    "nom": "Nom du lieu",
    "identifiant": "Identifiant",
    "insee_com": "Code INSEE de la commune",
    "longitude": "Longitude (WGS 84)",
    "latitude": "Latitude (WGS 84)",
    "montant": "Montant attribué (€)",
    "date": "Date (décision, labellisation)",
    "vague": "Vague ou session",
    "adresse": "Adresse",
    "fnt": "Fabrique numérique (oui/non)",
}
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {f: (label, PLACE_FIELDS[f]) for f, label in FIELD_LABELS.items()}
REQUIRED = ("nom",)
# Bounding boxes (lon min, lat min, lon max, lat max) of metropolitan France and the five DROM.
FRANCE_BOXES = {
    "France métropolitaine": (-5.3, 41.3, 9.7, 51.2),
    "Guadeloupe": (-61.9, 15.8, -60.9, 16.6),
    "Martinique": (-61.3, 14.3, -60.7, 14.95),
    "Guyane": (-54.7, 2.0, -51.5, 5.9),
    "La Réunion": (55.1, -21.45, 55.9, -20.85),
    "Mayotte": (44.9, -13.1, 45.35, -12.55),
}
PRECISION_POINT = "point fourni par la liste"
PRECISION_CENTROID = "centroïde de la commune"


@dataclass
class ValidatedList:
    """The outcome of a validation: accepted and rejected rows, the counts that must add up, and the
    columns never read because they hold personal data."""

    accepted: pd.DataFrame
    rejected: pd.DataFrame
    rows_in: int
    personal_columns: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        """Rows in = rows accepted + rows rejected."""
        return self.rows_in == len(self.accepted) + len(self.rejected)


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Our field → the supplied column that most likely holds it (see :func:`core.uploads.columns.recognise_columns`).

    Examples
    --------
    >>> guess_mapping(["Nom du lieu", "Code INSEE", "Montant (€)", "Autre"])
    {'nom': 'Nom du lieu', 'insee_com': 'Code INSEE', 'montant': 'Montant (€)'}
    """
    return recognise_columns(columns, {f: names for f, (_, names) in FIELDS.items()}).mapping


def in_france(lon: float, lat: float) -> bool:
    """Whether a WGS 84 point lies in the box of metropolitan France or of a DROM."""
    return any(x0 <= lon <= x1 and y0 <= lat <= y1 for x0, y0, x1, y1 in FRANCE_BOXES.values())


def _parse_coordinate(text: str) -> float:
    value = text.strip().replace(",", ".").replace("\u00a0", "")
    try:
        number = float(value)
    except ValueError as error:
        raise ValueParseError(f"« {text} » n'est pas une coordonnée décimale") from error
    if not np.isfinite(number):
        raise ValueParseError(f"« {text} » n'est pas une coordonnée décimale")
    return number


def _check_row(values: dict[str, str], code_map: CodeMap) -> tuple[dict[str, object], list[str]]:
    """Parse one row; return its clean values and its remarks, or raise with the reason to reject it."""
    clean: dict[str, object] = {"nom": values.get("nom", "").strip()}
    remarks: list[str] = []
    if not clean["nom"]:
        raise ValueParseError("nom du lieu manquant")
    code_raw = values.get("insee_com", "").strip()
    if code_raw:
        code, status = code_map.to_2026(code_raw)
        if code is None:
            raise ValueParseError(
                f"code INSEE « {code_raw} » inconnu du COG 2026 (ni commune actuelle ni ancien code connu)"
            )
        if status == "remapped":
            remarks.append(f"ancien code {code_raw} ramené à {code} (COG 2026)")
        clean["insee_com"] = code
    lon_raw, lat_raw = values.get("longitude", "").strip(), values.get("latitude", "").strip()
    if lon_raw or lat_raw:
        if not (lon_raw and lat_raw):
            raise ValueParseError("une seule des deux coordonnées est renseignée")
        lon, lat = _parse_coordinate(lon_raw), _parse_coordinate(lat_raw)
        if not in_france(lon, lat):
            if in_france(lat, lon):
                raise ValueParseError(
                    f"coordonnées ({lon_raw} ; {lat_raw}) hors de France, mais en France une fois inversées : "
                    "longitude et latitude sont probablement permutées (corrigez l'association des colonnes)"
                )
            raise ValueParseError(f"coordonnées ({lon_raw} ; {lat_raw}) hors de France (WGS 84 attendu)")
        clean["longitude"], clean["latitude"] = lon, lat
    if "insee_com" not in clean and "longitude" not in clean:
        raise ValueParseError("ni code INSEE ni coordonnées : le lieu ne peut pas être situé")
    amount = parse_amount(values.get("montant", ""))
    if amount is not None and amount <= 0:
        raise ValueParseError(f"montant « {values['montant']} » nul ou négatif (un montant attribué est positif)")
    clean["montant"] = amount
    clean["date"] = parse_date(values.get("date", ""))
    clean["fnt"] = parse_bool(values.get("fnt", ""))
    for text_field in ("identifiant", "vague", "adresse"):
        clean[text_field] = values.get(text_field, "").strip()
    return clean, remarks


def validate_list(
    frame: pd.DataFrame,
    mapping: dict[str, str],
    code_map: CodeMap,
    communes: gpd.GeoDataFrame | None = None,
    lines: list[int] | None = None,
) -> ValidatedList:
    """Validate every row of a supplied list.

    Parameters
    ----------
    frame : DataFrame
        Cells as text (:func:`core.uploads.reader.read_upload`).
    mapping : dict
        Our field → the supplied column (see :func:`guess_mapping`); ``nom`` is required.
    code_map : CodeMap
        Current and older commune codes.
    communes : GeoDataFrame, optional
        Commune polygons (``insee_com``), to find the commune of a row given by its coordinates
        only. Without them such rows are rejected.
    lines : list of int, optional
        The file line of each row (:attr:`core.uploads.reader.UploadedTable.lines`); by default
        the header is line 1 and the rows follow it.

    Returns
    -------
    ValidatedList
        ``accepted``: ``ligne`` (line in the file), the fields, ``remarques``;
        ``rejected``: ``ligne``, the supplied columns, ``motif``.

    Raises
    ------
    ValueError
        When a required field is not mapped or a mapped column is not in the file.
    """
    personal = [c for c in frame.columns if is_personal_column(c)]
    mapped_personal = sorted(c for c in mapping.values() if c in personal)
    if mapped_personal:
        raise ValueError(
            f"Colonnes de données personnelles associées à un champ : {', '.join(mapped_personal)} ; elles ne sont "
            "jamais lues. Associez une autre colonne."
        )
    frame = frame.drop(columns=personal)
    missing = [FIELDS[f][0] for f in REQUIRED if not mapping.get(f)]
    if missing:
        raise ValueError(f"Associez une colonne du fichier à : {', '.join(missing)}.")
    absent = sorted(c for c in mapping.values() if c and c not in frame.columns)
    if absent:
        raise ValueError(f"Colonnes associées absentes du fichier : {', '.join(absent)}.")
    accepted, rejected, seen, originals = [], [], {}, {}
    positions = list(lines) if lines is not None else list(range(2, len(frame) + 2))
    if len(positions) != len(frame):
        raise ValueError(f"{len(positions)} numéros de ligne pour {len(frame)} lignes.")
    columns = list(frame.columns)
    where = {f: columns.index(c) for f, c in mapping.items() if c}
    # Plain lists, not pandas rows: a row object per line costs more than checking the line.
    for position, cells in zip(positions, frame.to_numpy(dtype=object).tolist(), strict=True):
        row = dict(zip(columns, cells, strict=True))
        values = {f: str(cells[i]) for f, i in where.items()}
        originals[position] = row
        signature = tuple(str(v).strip() for v in cells)
        reason = None
        if not any(s for s in signature):
            reason = "ligne vide"
        elif signature in seen:
            reason = f"doublon de la ligne {seen[signature]}"
        else:
            seen[signature] = position
            try:
                clean, remarks = _check_row(values, code_map)
            except ValueParseError as error:
                reason = str(error)
        if reason:
            rejected.append({"ligne": position, **row, "motif": reason})
        else:
            accepted.append({"ligne": position, **clean, "remarques": " ; ".join(remarks)})
    accepted_frame = pd.DataFrame(accepted, columns=["ligne", *FIELDS, "remarques"])
    accepted_frame["insee_com"] = accepted_frame["insee_com"].astype(object)
    accepted_frame, lost = _locate(accepted_frame, communes)
    rejected += [
        {"ligne": line, **originals[line], "motif": "le point ne tombe dans aucune commune (en mer ?)"} for line in lost
    ]
    rejected_frame = pd.DataFrame(rejected, columns=["ligne", *frame.columns, "motif"])
    result = ValidatedList(
        accepted_frame.reset_index(drop=True),
        rejected_frame.sort_values("ligne").reset_index(drop=True),
        len(frame),
        personal,
    )
    if not result.balanced:
        raise AssertionError("validation lost rows: rows in ≠ accepted + rejected")
    return result


def _locate(accepted: pd.DataFrame, communes: gpd.GeoDataFrame | None) -> tuple[pd.DataFrame, list[int]]:
    """Give a commune to rows located by coordinates only; return the lines whose point is in no commune."""
    need = accepted["insee_com"].isna() & accepted["longitude"].notna()
    if not need.any():
        return accepted, []
    out = accepted.copy()
    found = pd.Series(pd.NA, index=out.index[need], dtype=object)
    if communes is not None:
        points = gpd.GeoDataFrame(
            out[need],
            geometry=gpd.points_from_xy(out.loc[need, "longitude"], out.loc[need, "latitude"]),
            crs="EPSG:4326",
        )
        found = compute_points_in_polygons(points, communes[["insee_com", "geometry"]].to_crs("EPSG:4326"), "insee_com")
    out.loc[found.index, "insee_com"] = found
    placed = found.dropna().index
    out.loc[placed, "remarques"] = [
        "; ".join(filter(None, [r, "commune déduite des coordonnées"])) for r in out.loc[placed, "remarques"]
    ]
    lost = found.index[found.isna().to_numpy()]
    return out.drop(index=lost), out.loc[lost, "ligne"].tolist()


def compute_places_frame(
    accepted: pd.DataFrame,
    communes: pd.DataFrame,
    qpv: gpd.GeoDataFrame,
    template_columns: list[str],
) -> pd.DataFrame:
    """Accepted rows with the columns of the Fabriques mart, so every page can analyse them.

    Parameters
    ----------
    accepted : DataFrame
        :attr:`ValidatedList.accepted`.
    communes : DataFrame
        The ``communes`` mart (attributes and ``centroide_lon``/``centroide_lat``).
    qpv : GeoDataFrame
        The ``qpv`` mart (the 2024 generation is used for the relations).
    template_columns : list of str
        The Fabriques mart's columns, to return the same schema (unknown ones are left empty).

    Returns
    -------
    DataFrame
        One row per accepted place; ``fabrique_id`` 1…n, ``cohort`` = :data:`USER_LIST_COHORT`,
        ``location_precision`` saying whether the point was supplied or is the commune centroid.
    """
    attributes = [c for c in template_columns if c in communes.columns and c not in ("insee_com", "insee_dep")]
    attributes.append("insee_dep")  # the metric zone of the distances
    frame = accepted.rename(columns={"vague": "vague_source"}).merge(
        communes[["insee_com", "population", "centroide_lon", "centroide_lat", *attributes]].rename(
            columns={"population": "population_commune"}
        ),
        on="insee_com",
        how="left",
    )
    supplied = frame["longitude"].notna()
    frame["location_precision"] = np.where(supplied, PRECISION_POINT, PRECISION_CENTROID)
    frame["longitude"] = frame["longitude"].where(supplied, frame["centroide_lon"]).astype(float)
    frame["latitude"] = frame["latitude"].where(supplied, frame["centroide_lat"]).astype(float)
    frame["fabrique_id"] = np.arange(1, len(frame) + 1)
    frame["cohort"] = USER_LIST_COHORT
    frame["wave"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame["insee_com_source"] = frame["insee_com"]
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs="EPSG:4326"
    )
    layer = qpv[qpv["generation"] == "2024"].to_crs("EPSG:4326")
    frame["qpv_contenant"] = compute_points_in_polygons(points, layer, "code_qp").astype("string")
    frame["dans_qpv"] = frame["qpv_contenant"].notna()
    near = compute_nearest(points, layer, frame["insee_dep"], layer["insee_dep"], "code_qp")
    frame["qpv_plus_proche"] = near["nearest_id"].astype("string")
    frame["distance_qpv_m"] = near["distance_m"].round(1)
    for column in template_columns:
        if column not in frame.columns and column != "geometry":
            frame[column] = pd.NA
    extra = ["insee_dep", "longitude", "latitude", "location_precision", "qpv_contenant", "qpv_plus_proche"]
    extra += ["identifiant", "montant", "date", "vague_source", "adresse", "fnt", "ligne", "remarques"]
    return frame[[c for c in template_columns if c != "geometry"] + [c for c in extra if c not in template_columns]]


def describe_places(places: pd.DataFrame) -> str:
    """How the places of :func:`compute_places_frame` are located (French)."""
    located = int(places["location_precision"].eq(PRECISION_POINT).sum())
    inside = int(places["dans_qpv"].fillna(False).astype(bool).sum())
    return (
        f"{format_number(len(places))} lieux sur la carte, dont {format_number(located)} au point fourni et "
        f"{format_number(len(places) - located)} au centroïde de leur commune ; {format_number(inside)} dans un "
        "QPV 2024."
    )
