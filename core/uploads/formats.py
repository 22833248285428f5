"""Which formats a supplied file may have: extensions, the bytes each must start with, the text shown to users."""

from __future__ import annotations

from core.domain.formatting import format_number
from core.uploads.table import UploadError, UploadLimits

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and any Office file protected by a password
SQLITE_MAGIC = b"SQLite format 3\x00"

TEXT = "texte"
WORKBOOK = "classeur"
GEOJSON = "GeoJSON"
SHAPEFILE = "Shapefile"
GEOPACKAGE = "GeoPackage"

# Extension → (family, kind shown to the user).
EXTENSIONS: dict[str, tuple[str, str]] = {
    "csv": (TEXT, "CSV"),
    "txt": (TEXT, "CSV"),
    "tsv": (TEXT, "CSV"),
    "xlsx": (WORKBOOK, "XLSX"),
    "ods": (WORKBOOK, "ODS"),
    "geojson": (GEOJSON, "GeoJSON"),
    "json": (GEOJSON, "GeoJSON"),
    "zip": (SHAPEFILE, "Shapefile"),
    "gpkg": (GEOPACKAGE, "GeoPackage"),
}
TABLE_EXTENSIONS = ("csv", "txt", "tsv", "xlsx", "ods")
# .shp and .xls are accepted by the upload widgets only to say what to do with them.
UPLOAD_EXTENSIONS = (*EXTENSIONS, "shp", "xls")


def extension_of(filename: str) -> str:
    """The lower-case extension of a file name, without the dot (empty when there is none)."""
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def detect_family(data: bytes, filename: str) -> tuple[str, str]:
    """The family and kind of a file from its extension, checked against its first bytes.

    Returns
    -------
    (str, str)
        The family (:data:`TEXT`, :data:`WORKBOOK`, :data:`GEOJSON`, :data:`SHAPEFILE`,
        :data:`GEOPACKAGE`) and the kind shown to users (``"CSV"``, ``"XLSX"``…).

    Raises
    ------
    UploadError
        Unknown extension, a format that is not read (.xls, a lone .shp), or content that does
        not match the extension.

    Examples
    --------
    >>> detect_family(b"nom;insee", "liste.csv")
    ('texte', 'CSV')
    """
    extension = extension_of(filename)
    if extension == "xls":
        raise UploadError(
            f"Le format .xls de « {filename} » (Excel 97-2003) n'est pas lu : enregistrez le fichier au format "
            ".xlsx, .ods ou .csv."
        )
    if extension == "shp":
        raise UploadError(
            f"« {filename} » n'est qu'une partie d'un shapefile : réunissez dans une archive .zip les fichiers .shp, "
            ".shx, .dbf et .prj du même nom, puis fournissez l'archive."
        )
    if extension not in EXTENSIONS:
        raise UploadError(
            f"L'extension de « {filename} » n'est pas reconnue : fournissez un fichier .csv, .txt, .xlsx, .ods, "
            ".geojson, .gpkg ou un shapefile zippé (.zip)."
        )
    family, kind = EXTENSIONS[extension]
    if family == WORKBOOK and not data.startswith(ZIP_MAGIC):
        if data.startswith(OLE_MAGIC):
            raise UploadError(
                f"« {filename} » est un classeur protégé par un mot de passe ou au format Excel 97-2003 renommé en "
                f".{extension} : ouvrez-le, retirez la protection et enregistrez-le au format .xlsx ou .ods."
            )
        software = "Excel" if extension == "xlsx" else "LibreOffice"
        raise UploadError(
            f"« {filename} » porte l'extension .{extension} mais n'est pas un classeur {software} (c'est peut-être un "
            f"CSV renommé). Enregistrez-le au format .{extension} depuis votre tableur, ou renommez-le en .csv."
        )
    if family == SHAPEFILE and not data.startswith(ZIP_MAGIC):
        raise UploadError(
            f"« {filename} » porte l'extension .zip mais n'est pas une archive zip. Zippez ensemble les fichiers "
            ".shp, .shx, .dbf et .prj du shapefile."
        )
    if family == GEOPACKAGE and not data.startswith(SQLITE_MAGIC):
        raise UploadError(
            f"« {filename} » porte l'extension .gpkg mais n'est pas un GeoPackage. Exportez la couche depuis votre "
            "SIG au format GeoPackage."
        )
    return family, kind


def describe_formats(limits: UploadLimits) -> str:
    """The formats and limits, as said to users (French)."""
    return (
        "Formats : CSV ou texte (UTF-8, UTF-16 — « Texte Unicode » d'Excel — ou Windows-1252 ; séparateur ; , "
        "tabulation ou |), Excel .xlsx et LibreOffice .ods (feuille et ligne d'en-tête détectées, modifiables), "
        "GeoJSON, GeoPackage ou shapefile zippé (.zip avec .shp, .shx, .dbf, .prj), dans tout système de coordonnées "
        f"déclaré (reprojeté en WGS 84). Au plus {format_number(limits.max_bytes / 1_048_576)} Mo, "
        f"{format_number(limits.max_rows)} lignes et {limits.max_columns} colonnes."
    )
