"""The one contract between the ETL (writer) and the app (reader): mart names and paths."""

from __future__ import annotations

from pathlib import Path

from core.settings import get_setting

MART_NAMES: tuple[str, ...] = (
    "fabriques",
    "communes",
    "qpv",
    "epci",
    "arrondissements",
    "departements",
    "regions",
    "tiers_lieux_2019",
    "programmes",
    "codes_communes",
)
REPORT_FILE = "_report.json"
REBUILD_COMMAND = "python -m etl build"


class MissingMartError(FileNotFoundError):
    """A mart the app needs is not on disk."""


def marts_dir(override: str | Path | None = None) -> Path:
    """Return the marts folder: ``override`` if given, else the ``marts_dir`` setting."""
    return Path(override) if override else Path(get_setting("marts_dir"))


def mart_path(name: str, directory: str | Path | None = None) -> Path:
    """Return the GeoParquet path of mart ``name``.

    Raises
    ------
    KeyError
        If ``name`` is not a known mart.
    """
    if name not in MART_NAMES:
        raise KeyError(f"unknown mart {name!r}; known marts: {', '.join(MART_NAMES)}")
    return marts_dir(directory) / f"{name}.parquet"


def report_path(directory: str | Path | None = None) -> Path:
    """Return the path of the build report written beside the marts."""
    return marts_dir(directory) / REPORT_FILE


def require_mart(name: str, directory: str | Path | None = None) -> Path:
    """Return the path of mart ``name``, or raise :class:`MissingMartError` saying how to build it."""
    path = mart_path(name, directory)
    if not path.exists():
        raise MissingMartError(
            f"La table « {name} » est absente ({path}). Construisez les données avec : {REBUILD_COMMAND}"
        )
    return path
