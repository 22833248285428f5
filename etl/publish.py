"""Publication of the marts: written to a fresh folder, then made current by one atomic link swap."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd

from core.paths import MART_NAMES, REPORT_FILE


def write_marts(marts: dict[str, pd.DataFrame], target: Path, report: dict) -> None:
    target.mkdir(parents=True)
    for name in MART_NAMES:
        frame = marts[name]
        path = target / f"{name}.parquet"
        if isinstance(frame, gpd.GeoDataFrame):
            frame.to_parquet(path, index=False, geometry_encoding="WKB")
        else:
            frame.to_parquet(path, index=False)
    (target / REPORT_FILE).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def publish(staging_dir: Path, out_dir: Path) -> None:
    """Make ``staging_dir`` the marts ``out_dir`` points to, atomically.

    ``out_dir`` is a symbolic link to a versioned sibling folder; it is swapped with
    ``os.replace``, so a reader sees either the previous marts or the new ones. The previous
    folder is kept (a reader may still hold it open); older ones are removed.
    """
    parent = out_dir.parent
    if out_dir.exists() and not out_dir.is_symlink():
        legacy = parent / f".{out_dir.name}-legacy-{int(time.time())}"
        os.replace(out_dir, legacy)
        os.symlink(legacy.name, out_dir)
    previous = out_dir.resolve() if out_dir.is_symlink() else None
    link_tmp = parent / f".{out_dir.name}.link-{os.getpid()}"
    if link_tmp.is_symlink() or link_tmp.exists():
        link_tmp.unlink()
    os.symlink(staging_dir.name, link_tmp)
    os.replace(link_tmp, out_dir)
    keep = {staging_dir.resolve(), previous}
    for old in parent.glob(f".{out_dir.name}-*"):
        if old.resolve() not in keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
