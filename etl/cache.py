"""Caches of the build: the fingerprint of the code the ETL runs, and staged frames keyed by checksums.

A staged source is taken from the cache when its input files and the ETL's code are unchanged; the
whole build is skipped when the marts were made from the same inputs and code. "The code" is only
what the ETL imports (its own modules and the modules of ``core`` they import, followed through
their imports), so an edit of a page or a chart never forces a rebuild.
"""

from __future__ import annotations

import ast
import hashlib
import os
import pickle
from pathlib import Path

import pandas as pd

from etl.report import StageLog

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENTRY_PACKAGE = "etl"
PROJECT_PACKAGES = ("etl", "core")


def _module_file(root: Path, module: str) -> Path | None:
    """The file of a project module (``core.geo.crs`` → ``core/geo/crs.py`` or its package's ``__init__``)."""
    base = root.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path, module: str) -> set[str]:
    """The project modules ``path`` imports (``from x import y`` may name a submodule ``x.y``)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(n for n in names if n.split(".")[0] in PROJECT_PACKAGES)
    return found


def imported_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every project file the ETL runs: the modules of ``etl``, those they import (and their
    packages' ``__init__``), transitively, and the data files kept in ``etl/``."""
    pending = [".".join(p.relative_to(root).with_suffix("").parts) for p in (root / ENTRY_PACKAGE).rglob("*.py")]
    seen: dict[str, Path] = {}
    while pending:
        module = pending.pop().removesuffix(".__init__")
        if module in seen:
            continue
        path = _module_file(root, module)
        if path is None:
            continue
        seen[module] = path
        parents = [".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)]
        pending.extend([*parents, *_imports(path, module)])
    data = [
        p
        for p in (root / ENTRY_PACKAGE).rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    ]
    return sorted(set(seen.values()) | set(data))


def code_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """Hash of the files of :func:`imported_files`: a change to any of them invalidates every cache."""
    digest = hashlib.sha256()
    for path in imported_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(*parts: str) -> str:
    """A short key from the parts (checksums, code fingerprint, names)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


class StagingCache:
    """Staged frames pickled under ``cache_dir``, keyed by input checksums and code."""

    def __init__(self, cache_dir: Path | None):
        self.dir = cache_dir

    def get(self, name: str, key: str) -> tuple[pd.DataFrame, StageLog] | None:
        """The staged frame and log of ``name`` under ``key``, or None (a damaged entry is removed)."""
        if self.dir is None:
            return None
        path = self.dir / f"{name}-{key}.pkl"
        if not path.exists():
            return None
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            path.unlink(missing_ok=True)
            return None

    def put(self, name: str, key: str, value: tuple[pd.DataFrame, StageLog]) -> None:
        """Keep ``value`` as the only cached entry of ``name`` (written atomically)."""
        if self.dir is None:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob(f"{name}-*.pkl"):
            old.unlink(missing_ok=True)
        tmp = self.dir / f".{name}-{key}.{os.getpid()}.tmp"
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.dir / f"{name}-{key}.pkl")
