"""The layout's dependency rules, read from the imports of every module (no module is imported here)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Each group of core and what it may import (besides itself and the top-level contract modules).
ALLOWED = {
    "domain": set(),
    "geo": {"domain"},
    "analysis": {"domain", "geo"},
    "uploads": {"domain", "geo"},
    "schemes": {"domain", "geo", "analysis", "uploads"},
    "viz": {"domain", "geo", "analysis"},
    "exports": {"domain", "geo", "analysis", "viz"},
    "workspace": {"domain"},
}
CONTRACT = {"paths", "settings", "mart_schemas"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", modules("core"), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_core_groups_import_only_lower_groups(path):
    rel = path.relative_to(ROOT / "core").parts
    group = rel[0].removesuffix(".py") if len(rel) > 1 else None
    for name in imports_of(path):
        top = name.split(".")[0]
        assert top not in ("streamlit", "ui", "pages", "etl", "bench", "tests", "dashboard"), name
        if top != "core" or name == "core":
            continue
        target = name.split(".")[1]
        if group is None:  # a contract module imports only the contract
            assert target in CONTRACT, name
        elif target not in CONTRACT:
            assert target == group or target in ALLOWED[group], f"core/{group} imports {name}"


def test_domain_and_geo_know_nothing_of_viz_exports_schemes():
    for group in ("domain", "geo"):
        for path in modules(f"core/{group}"):
            assert not {n for n in imports_of(path) if n.startswith(("core.viz", "core.exports", "core.schemes"))}


@pytest.mark.parametrize("folder", ["etl", "bench"])
def test_etl_and_bench_never_import_the_app_or_the_tests(folder):
    for path in modules(folder):
        banned = {n for n in imports_of(path) if n.split(".")[0] in ("tests", "pages")}
        if folder == "etl":
            banned |= {n for n in imports_of(path) if n.split(".")[0] in ("ui", "streamlit", "dashboard")}
        assert not banned, (path, banned)


def test_pages_import_no_file_paths_nor_mart_readers():
    for path in modules("pages"):
        names = imports_of(path)
        assert not {n for n in names if n in ("pathlib", "os", "pyarrow", "pyarrow.parquet", "geopandas")}, path
