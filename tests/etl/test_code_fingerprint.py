"""The build's code fingerprint covers exactly what the ETL runs: a chart edit never forces a rebuild."""

from __future__ import annotations

import shutil

import pytest

from etl.cache import PROJECT_ROOT, code_fingerprint, imported_files


@pytest.fixture
def tree(tmp_path):
    """A copy of the project's packages (etl, core, ui, pages) to edit."""
    for folder in ("etl", "core", "ui", "pages"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_the_files_are_the_etl_and_the_core_modules_it_imports():
    files = {p.relative_to(PROJECT_ROOT).as_posix() for p in imported_files()}
    assert {"etl/build.py", "etl/catalogue.csv", "core/geo/nearest.py", "core/domain/codes.py"} <= files
    assert "core/__init__.py" in files and "core/geo/__init__.py" in files  # packages run their __init__
    assert not {f for f in files if f.startswith(("core/viz/", "core/exports/", "core/schemes/", "ui/", "pages/"))}


@pytest.mark.parametrize(
    ("edited", "changes"),
    [
        ("core/viz/charts.py", False),
        ("core/exports/deck.py", False),
        ("ui/widgets.py", False),
        ("pages/carte.py", False),
        ("core/geo/nearest.py", True),
        ("core/domain/text.py", True),
        ("etl/marts/communes.py", True),
        ("etl/catalogue.csv", True),
    ],
)
def test_an_edit_changes_the_fingerprint_only_where_the_etl_runs_it(tree, edited, changes):
    before = code_fingerprint(tree)
    path = tree / edited
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert (code_fingerprint(tree) != before) is changes
