"""Full ETL build from the mirror, then a rebuild with unchanged inputs, in one run."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from core.settings import get_setting
from etl.build import run_build


def measure_etl(mirror: Path | None = None) -> dict[str, float]:
    """Time a cold build (empty cache and marts) and an unchanged rebuild.

    Returns
    -------
    dict
        ``etl_full_build_s``, ``etl_rebuild_unchanged_s`` and ``etl_rebuild_forced_cached_s``
        (staging taken from the cache, marts rebuilt).
    """
    mirror = mirror or Path(get_setting("mirror_dir"))
    with tempfile.TemporaryDirectory(prefix="bench-etl-") as tmp:
        root = Path(tmp)
        args = dict(download=False, progress=False)
        t0 = time.perf_counter()
        run_build(root / "raw", root / "marts", mirror, root / "cache", **args)
        t1 = time.perf_counter()
        result = run_build(root / "raw", root / "marts", mirror, root / "cache", **args)
        t2 = time.perf_counter()
        run_build(root / "raw", root / "marts", mirror, root / "cache", force=True, **args)
        t3 = time.perf_counter()
        assert result.skipped, "the unchanged rebuild should have been skipped"
    return {
        "etl_full_build_s": t1 - t0,
        "etl_rebuild_unchanged_s": t2 - t1,
        "etl_rebuild_forced_cached_s": t3 - t2,
    }
