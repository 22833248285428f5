"""Settings declared once as data, overridable by environment variables.

No I/O happens at import time: values are read when :func:`get_setting` is called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default value and help text."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "raw_dir",
        "FABT_RAW_DIR",
        str(PROJECT_ROOT / "data" / "raw"),
        "Download cache of the source files (one sub-folder per publisher).",
    ),
    Setting(
        "marts_dir",
        "FABT_MARTS_DIR",
        str(PROJECT_ROOT / "data" / "marts"),
        "Folder of the marts the ETL writes and the app reads.",
    ),
    Setting(
        "mirror_dir",
        "FABT_MIRROR",
        str(PROJECT_ROOT.parent / "shared" / "data" / "raw"),
        "Folder holding the same files as the publishers (taken instead of downloading when it exists).",
    ),
    Setting(
        "database_url",
        "FABT_DATABASE_URL",
        f"sqlite:///{PROJECT_ROOT / 'data' / 'workspace.sqlite'}",
        "Database of the workspace (saved views, lists, scenarios…): SQLite in data/ by default, "
        "postgresql+psycopg://… in team mode.",
    ),
    Setting(
        "sign_in",
        "FABT_SIGN_IN",
        "auto",
        "Sign-in (OpenID Connect through st.login): auto = on when .streamlit/secrets.toml has an [auth] "
        "section, off = one local user without sign-in (the embedded default), on = required.",
    ),
    Setting(
        "roles_file",
        "FABT_ROLES_FILE",
        str(PROJECT_ROOT / ".streamlit" / "roles.toml"),
        "Roles of the signed-in users by e-mail and domain (TOML, see core/access.py); read when sign-in is on.",
    ),
    Setting(
        "marts_source",
        "FABT_MARTS_SOURCE",
        "auto",
        "Where the app reads the marts: auto = PostGIS when database_url is a postgresql URL, else the "
        "GeoParquet files of marts_dir; files; postgis.",
    ),
    Setting(
        "chromium",
        "FABT_CHROMIUM",
        "/usr/bin/chromium",
        "Chromium used for PNG/PDF exports, browser tests and benchmarks (Debian's package by default).",
    ),
    Setting(
        "publisher",
        "FABT_EDITEUR",
        "",
        "Service that publishes the dashboard (named in its legal notices and accessibility statement).",
    ),
    Setting(
        "contact",
        "FABT_CONTACT",
        "",
        "Contact of that service (address or form) for accessibility and personal-data requests.",
    ),
    Setting(
        "cache_dir",
        "FABT_CACHE_DIR",
        str(PROJECT_ROOT / "data" / "cache"),
        "Cache of staged sources, keyed by the checksums of their inputs.",
    ),
)


def get_setting(name: str) -> str:
    """Return the value of a setting, the environment variable first.

    Parameters
    ----------
    name : str
        One of the names of :data:`SETTINGS`.

    Returns
    -------
    str
        The value from the environment, else the default.
    """
    for setting in SETTINGS:
        if setting.name == name:
            return os.environ.get(setting.env) or setting.default
    known = ", ".join(s.name for s in SETTINGS)
    raise KeyError(f"unknown setting {name!r}; known settings: {known}")
