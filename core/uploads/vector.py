"""Reading a vector file (GeoJSON, zipped shapefile, GeoPackage) with pyogrio, in WGS 84.

Runs in the worker process (:mod:`core.uploads.sandbox`): GDAL parses what it is given, and a
GeoPackage is an SQLite database. Any declared coordinate system is reprojected to WGS 84
(EPSG:4326) with pyproj, and the notes say from which; a file that declares none is taken as
WGS 84 when its coordinates are longitudes and latitudes (GeoJSON's rule), refused otherwise.
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS

from core.domain.formatting import format_number
from core.uploads.archive import read_member
from core.uploads.formats import GEOJSON, GEOPACKAGE, SHAPEFILE
from core.uploads.table import SheetInfo, UploadError

WGS84 = CRS("EPSG:4326")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
HOW_TO_EXPORT = {
    GEOJSON: "Exportez-le de nouveau depuis votre SIG au format GeoJSON (UTF-8).",
    SHAPEFILE: "Zippez ensemble les fichiers .shp, .shx, .dbf et .prj du shapefile.",
    GEOPACKAGE: "Exportez la couche de nouveau depuis votre SIG au format GeoPackage.",
}


def _read(source, filename: str, family: str, layer: str | None = None) -> gpd.GeoDataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(source, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError) as error:
        what = "un GeoJSON valide (une FeatureCollection lisible)" if family == GEOJSON else f"un {family} lisible"
        raise UploadError(f"« {filename} » n'est pas {what} ({error}). {HOW_TO_EXPORT[family]}") from error


def _choose(layers: list[SheetInfo], layer: str | None, filename: str) -> str:
    if layer is not None:
        if layer not in {info.name for info in layers}:
            names = ", ".join(info.name for info in layers)
            raise UploadError(
                f"« {filename} » n'a pas de couche « {layer} » (couches : {names}). Choisissez-en une autre."
            )
        return layer
    return max(layers, key=lambda info: (info.rows, -layers.index(info))).name


def _read_shapefile(
    data: bytes, filename: str, layer: str | None, folder: Path
) -> tuple[gpd.GeoDataFrame, list[SheetInfo], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts: dict[str, dict[str, str]] = {}
        for name in archive.namelist():
            path = PurePosixPath(name.replace("\\", "/"))
            if path.suffix.lower() in SHAPEFILE_PARTS and not path.name.startswith("."):
                parts.setdefault(path.stem, {})[path.suffix.lower()] = name
        stems = [stem for stem, found in parts.items() if ".shp" in found]
        if not stems:
            raise UploadError(
                f"« {filename} » ne contient aucun fichier .shp : {HOW_TO_EXPORT[SHAPEFILE]} Pour un autre format, "
                "fournissez le fichier lui-même (.csv, .xlsx, .ods, .geojson, .gpkg) sans le zipper."
            )
        for stem in stems:
            missing = [ext for ext in (".shx", ".dbf") if ext not in parts[stem]]
            if missing:
                raise UploadError(
                    f"Dans « {filename} », il manque {' et '.join(missing)} à côté de « {stem}.shp » : "
                    f"{HOW_TO_EXPORT[SHAPEFILE]}"
                )
            for ext, name in parts[stem].items():
                (folder / f"{stem}{ext}").write_bytes(read_member(archive, name, filename))
    layers = [SheetInfo(stem, int(pyogrio.read_info(folder / f"{stem}.shp")["features"])) for stem in stems]
    chosen = _choose(layers, layer, filename)
    return _read(folder / f"{chosen}.shp", filename, SHAPEFILE), layers, chosen


def _read_geopackage(
    data: bytes, filename: str, layer: str | None, folder: Path
) -> tuple[gpd.GeoDataFrame, list[SheetInfo], str]:
    path = folder / "fichier.gpkg"
    path.write_bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            names = [str(row[0]) for row in pyogrio.list_layers(path)]
            layers = [SheetInfo(name, int(pyogrio.read_info(path, layer=name)["features"])) for name in names]
    except pyogrio.errors.DataSourceError as error:
        raise UploadError(
            f"« {filename} » n'est pas un GeoPackage lisible ({error}). {HOW_TO_EXPORT[GEOPACKAGE]}"
        ) from error
    if not layers:
        raise UploadError(f"Le GeoPackage « {filename} » ne contient aucune couche.")
    chosen = _choose(layers, layer, filename)
    return _read(path, filename, GEOPACKAGE, chosen), layers, chosen


def _to_wgs84(frame: gpd.GeoDataFrame, filename: str, family: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    if frame.crs is None:
        x0, y0, x1, y1 = frame.total_bounds if frame.geometry.notna().any() else (0, 0, 0, 0)
        if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
            raise UploadError(
                f"« {filename} » ne dit pas dans quel système de coordonnées sont ses géométries (pas de fichier "
                ".prj) et ce ne sont pas des longitudes et latitudes. Joignez le fichier .prj du shapefile, ou "
                "exportez-le avec son système de coordonnées (Lambert-93, WGS 84…)."
            )
        note = (
            [] if family == GEOJSON else ["Aucun système de coordonnées déclaré : les coordonnées sont lues en WGS 84."]
        )
        return frame.set_crs(WGS84), note
    crs = CRS(frame.crs)
    if crs.to_epsg() == 4326 or crs.equals(WGS84, ignore_axis_order=True):
        return frame.set_crs(WGS84, allow_override=True), []
    epsg = crs.to_epsg()
    label = f"{crs.name} (EPSG:{epsg})" if epsg else crs.name
    out = frame.to_crs(WGS84)
    return out, [f"Coordonnées reprojetées de {label} en WGS 84 (EPSG:4326) avec pyproj."]


def read_vector(
    data: bytes, filename: str, family: str, layer: str | None = None
) -> tuple[gpd.GeoDataFrame, list[SheetInfo], str, list[str]]:
    """A vector file's features in WGS 84, its layers, the layer read and the notes.

    Parameters
    ----------
    data : bytes
        The file (a zip already inspected by :func:`core.uploads.archive.inspect_archive`).
    filename : str
        For the messages.
    family : str
        :data:`~core.uploads.formats.GEOJSON`, :data:`~core.uploads.formats.SHAPEFILE` or
        :data:`~core.uploads.formats.GEOPACKAGE`.
    layer : str, optional
        The layer (GeoPackage) or shapefile (zip) to read; by default the one with the most
        features.

    Returns
    -------
    (GeoDataFrame, list of SheetInfo, str, list of str)
        Features in EPSG:4326 with their fields as read; the layers with their feature counts
        (empty for a GeoJSON); the chosen layer; notes (reprojection).

    Raises
    ------
    UploadError
        Unreadable file, missing shapefile part, unknown layer, coordinates in an undeclared
        system.
    """
    with tempfile.TemporaryDirectory(prefix="fabt-upload-") as folder:
        if family == SHAPEFILE:
            frame, layers, chosen = _read_shapefile(data, filename, layer, Path(folder))
        elif family == GEOPACKAGE:
            frame, layers, chosen = _read_geopackage(data, filename, layer, Path(folder))
        else:
            frame, layers, chosen = _read(io.BytesIO(data), filename, GEOJSON), [], ""
    frame, notes = _to_wgs84(frame, filename, family)
    if len(layers) > 1:
        listed = " ; ".join(f"« {info.name} » ({format_number(info.rows)})" for info in layers)
        notes.append(f"Couche « {chosen} » lue parmi {len(layers)} : {listed}.")
    return frame, layers, chosen, notes


def representative_points(geometries: gpd.GeoSeries) -> tuple[list[str], list[str], list[str]]:
    """Longitude and latitude (text) of each geometry — the point itself, or a point inside it — and the notes."""
    values = geometries.to_numpy()
    missing = shapely.is_missing(values) | shapely.is_empty(values)
    non_points = ~missing & (shapely.get_type_id(values) != 0)
    points = values.copy()
    if non_points.any():
        try:
            points[non_points] = shapely.point_on_surface(values[non_points])
        except shapely.errors.GEOSException:
            points[non_points] = shapely.centroid(values[non_points])
    lon, lat = [], []
    for point, absent in zip(points, missing, strict=True):
        lon.append("" if absent else repr(float(shapely.get_x(point))))
        lat.append("" if absent else repr(float(shapely.get_y(point))))
    notes = []
    if non_points.any():
        notes.append(f"{int(non_points.sum())} géométries non ponctuelles : un point intérieur de chacune est utilisé.")
    if missing.any():
        notes.append(f"{int(missing.sum())} lignes sans géométrie lisible : elles n'ont pas de coordonnées.")
    return lon, lat, notes
