"""Build the marts (orchestration): fetch → stage (cached by checksum) → marts → checks → atomic publication.

The pieces live apart: ``etl/cache.py`` (code fingerprint, staging cache), ``etl/stages.py`` (which
function stages which source), ``etl/marts/`` (the builders), ``etl/validate.py`` (schema and
personal-data checks), ``etl/publish.py`` (writing and the link swap), ``etl/report.py`` (what the
build did).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from core.domain.codes import CodeMap, compute_code_map
from core.paths import MART_NAMES, REPORT_FILE
from etl.cache import StagingCache, cache_key, code_fingerprint
from etl.catalogue import SourceFile, load_catalogue
from etl.errors import MissingSourceError
from etl.fetch import fetch, sha256_of
from etl.marts.attributes import build_commune_attributes
from etl.marts.codes import build_codes_communes
from etl.marts.communes import build_communes
from etl.marts.fabriques import build_fabriques
from etl.marts.fabriques_detail import add_fabriques_detail, compute_detail_report
from etl.marts.others import build_programmes, build_tiers_lieux
from etl.marts.qpv import build_qpv
from etl.marts.territories import build_territory
from etl.publish import publish, write_marts
from etl.report import StageLog, source_report
from etl.stages import COG_STEPS, STEPS
from etl.staging.fabriques_detail import stage_fabriques_detail
from etl.staging.qpv import stage_qpv
from etl.validate import check_mart_schemas, check_no_personal_data


@dataclass
class BuildResult:
    """What :func:`run_build` did."""

    out_dir: Path
    skipped: bool
    report: dict


def stage_all(
    catalogue: list[SourceFile],
    paths: dict[str, list[Path]],
    cache: StagingCache,
    code: str,
    qpv_2015: tuple[Path, str] | None = None,
    fabriques_detail: tuple[Path, str] | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, StageLog]]:
    """Run every staging step, taking unchanged ones from the cache.

    ``qpv_2015`` is a user-supplied file of the 2015 QPV geography with its sha256;
    ``fabriques_detail`` a user-supplied detailed list of the Fabriques with its sha256.
    """
    staged: dict[str, pd.DataFrame] = {}
    logs: dict[str, StageLog] = {}
    shas = {e.source_id: [] for e in catalogue}
    for entry in catalogue:
        shas[entry.source_id].append(entry.sha256)
    cog_sha = "".join(shas["cog_communes"])

    def run_cached(name: str, source_id: str, key_parts: list[str], runner) -> None:
        key = cache_key(code, name, *key_parts)
        hit = cache.get(name, key)
        if hit is None:
            log = StageLog(source_id)
            hit = (runner(log), log)
            cache.put(name, key, hit)
        staged[name], logs[name] = hit

    for name, func in COG_STEPS:
        run_cached(name, "cog_communes", [cog_sha], lambda log, f=func: f(paths["cog_communes"][0], log))
    code_map: CodeMap = compute_code_map(staged["cog_communes"], staged["cog_older_codes"])
    expected = set(staged["cog_communes"].loc[staged["cog_communes"]["zone"] != "com", "insee_com"])
    for step in STEPS:
        parts = list(shas[step.source_id]) + ([cog_sha] if step.needs_cog else [])
        run_cached(
            step.name,
            step.source_id,
            parts,
            lambda log, s=step: s.run(paths[s.source_id], code_map, expected, log),
        )
    if qpv_2015 is not None:
        path, sha = qpv_2015
        run_cached(
            "qpv_2015",
            "qpv_2015",
            [sha, cog_sha],
            lambda log: stage_qpv(path, code_map, log, generation="2015", supplied=True),
        )
    if fabriques_detail is not None:
        detail_path, detail_sha = fabriques_detail
        known_ids = frozenset(int(i) for i in staged["fabriques"]["fabrique_id"])
        run_cached(
            "fabriques_detail",
            "fabriques_detail",
            [detail_sha, cog_sha, *shas["fabriques"]],
            lambda log: stage_fabriques_detail(detail_path, code_map, known_ids, log),
        )
    return staged, logs


def build_marts(staged: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Make every mart from the staged frames (pure: no I/O)."""
    staged = dict(staged)
    staged["programmes"] = pd.concat([v for k, v in staged.items() if k.startswith("prog_")], ignore_index=True)
    attributes = build_commune_attributes(staged)
    perimeters = pd.concat([staged[k] for k in ("qpv_2024", "qpv_2015") if k in staged], ignore_index=True)
    perimeters = gpd.GeoDataFrame(perimeters, geometry="geometry", crs=staged["qpv_2024"].crs)
    fabriques = add_fabriques_detail(
        build_fabriques(staged["fabriques"], attributes, perimeters), staged.get("fabriques_detail")
    )
    qpv = build_qpv(perimeters, staged["qpv_indicateurs"], attributes, fabriques)
    tiers_lieux = build_tiers_lieux(staged["tiers_lieux_2019"], staged["communes_polygones"], attributes)
    communes = build_communes(attributes, staged["communes_polygones"], fabriques, qpv, tiers_lieux)
    marts: dict[str, pd.DataFrame] = {
        "fabriques": fabriques,
        "communes": communes,
        "qpv": qpv,
        "epci": build_territory(communes, "epci", None, qpv),
        "arrondissements": build_territory(communes, "arrondissements", staged["polygones_arrondissements"], qpv),
        "departements": build_territory(communes, "departements", staged["polygones_departements"], qpv),
        "regions": build_territory(communes, "regions", staged["polygones_regions"], qpv),
        "tiers_lieux_2019": tiers_lieux,
        "programmes": build_programmes(staged["programmes"], attributes),
        "codes_communes": build_codes_communes(staged["cog_communes"], staged["cog_older_codes"]),
    }
    check_mart_schemas(marts)
    check_no_personal_data(marts)
    return marts


def run_build(
    raw_dir: Path,
    out_dir: Path,
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    *,
    download: bool = True,
    force: bool = False,
    catalogue: list[SourceFile] | None = None,
    progress: bool = True,
    qpv_2015: Path | None = None,
    fabriques_detail: Path | None = None,
) -> BuildResult:
    """Fetch, stage and build; publish the marts only if everything succeeded.

    Parameters
    ----------
    raw_dir, out_dir : Path
        Download cache and marts folder (a symbolic link managed by :func:`publish`).
    mirror : Path, optional
        Folder holding the source files (read in place).
    cache_dir : Path, optional
        Staging cache; None disables it.
    force : bool
        Rebuild even when inputs and code are unchanged.
    qpv_2015 : Path, optional
        A file of the 2015 QPV geography supplied by the user (not in the open mirror; GeoJSON,
        GeoPackage or zipped shapefile, in any declared CRS): added to the ``qpv`` mart with
        ``generation = "2015"`` and related to the Fabriques; how it was read is reported under
        ``sources.qpv_2015.lecture``.
    fabriques_detail : Path, optional
        A detailed list of the Fabriques (CSV, XLSX, ODS, GeoJSON, GeoPackage or zipped
        shapefile: id, wave, amount, address, FNT flag, INSEE code) supplied by the user:
        merged into the ``fabriques`` mart, the merge reported under ``fabriques_detail`` in the
        build report (with how the file was read: header line, sheet, remarks).

    Returns
    -------
    BuildResult
    """
    started = time.perf_counter()
    catalogue = catalogue or load_catalogue()
    fetched = fetch(catalogue, raw_dir, mirror, download=download, progress=progress)
    paths: dict[str, list[Path]] = {}
    for entry, path in zip(catalogue, fetched, strict=True):
        paths.setdefault(entry.source_id, []).append(path)
    extra = None
    if qpv_2015 is not None:
        if not Path(qpv_2015).is_file():
            raise MissingSourceError(f"{qpv_2015}: the 2015 QPV file given with --qpv-2015 does not exist")
        extra = (Path(qpv_2015), sha256_of(Path(qpv_2015)))
    detail = None
    if fabriques_detail is not None:
        if not Path(fabriques_detail).is_file():
            raise MissingSourceError(
                f"{fabriques_detail}: the detailed Fabriques file given with --fabriques-detail does not exist"
            )
        detail = (Path(fabriques_detail), sha256_of(Path(fabriques_detail)))
    code = code_fingerprint()
    build_key = cache_key(
        code,
        *(e.sha256 for e in catalogue),
        *(extra[1:] if extra else ()),
        *((f"fabriques_detail:{detail[1]}",) if detail else ()),
    )
    report_file = out_dir / REPORT_FILE
    if not force and report_file.exists():
        previous = json.loads(report_file.read_text(encoding="utf-8"))
        marts_ok = all((out_dir / f"{n}.parquet").exists() for n in MART_NAMES)
        if previous.get("build_key") == build_key and marts_ok:
            return BuildResult(out_dir, True, previous)
    staged, logs = stage_all(catalogue, paths, StagingCache(cache_dir), code, extra, detail)
    marts = build_marts(staged)
    detail_report = None
    if detail is not None:
        detail_report = {
            "file": detail[0].name,
            "sha256": detail[1],
            **compute_detail_report(staged["fabriques"], staged["fabriques_detail"]),
        }
    sources = source_report(catalogue, logs, extra, detail)
    if "qpv_2015" in staged:
        sources["qpv_2015"]["lecture"] = staged["qpv_2015"].attrs.get("lecture", {})
    report = {
        "build_key": build_key,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_s": None,
        "sources": sources,
        "fabriques_detail": detail_report,
        "marts": {
            name: {"rows": len(marts[name]), "columns": list(map(str, marts[name].columns))} for name in MART_NAMES
        },
    }
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # A fresh folder every time: the published one may carry the same key (a forced rebuild)
    # and must stay whole while readers use it.
    staging_dir = out_dir.parent / f".{out_dir.name}-{build_key[:12]}-{os.getpid()}-{time.time_ns()}"
    try:
        report["duration_s"] = round(time.perf_counter() - started, 2)
        write_marts(marts, staging_dir, report)
        publish(staging_dir, out_dir)
    except BaseException:
        shutil.rmtree(staging_dir, ignore_errors=True)
        raise
    return BuildResult(out_dir, False, report)
