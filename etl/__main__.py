"""Command line: ``python -m etl fetch|build`` (wiring only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.marts_db import marts_database_url
from core.settings import get_setting
from etl.build import run_build
from etl.catalogue import load_catalogue
from etl.errors import EtlError
from etl.fetch import fetch
from etl.publish_postgis import publish_to_postgis


def _default_mirror(value: str | None) -> Path | None:
    if value:
        return Path(value)
    candidate = Path(get_setting("mirror_dir"))
    return candidate if candidate.is_dir() else None


def main(argv: list[str] | None = None) -> int:
    """Run the ETL command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m etl", description="ETL des Fabriques de Territoire")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("fetch", "download the sources missing from the cache"),
        ("build", "fetch if needed, stage and write the marts"),
    ):
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument(
            "--mirror",
            help="folder holding the source files (default: FABT_MIRROR or ../shared/data/raw when present)",
        )
        cmd.add_argument("--raw", default=get_setting("raw_dir"), help="download cache (default: data/raw)")
        cmd.add_argument("--offline", action="store_true", help="never download")
        if name == "build":
            cmd.add_argument("--out", default=get_setting("marts_dir"), help="marts folder (default: data/marts)")
            cmd.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
            cmd.add_argument("--no-cache", action="store_true", help="do not use the staging cache")
            cmd.add_argument(
                "--qpv-2015",
                help="the 2015 QPV geography (your own file: GeoJSON, GeoPackage or zipped shapefile, any CRS)",
            )
            cmd.add_argument(
                "--fabriques-detail",
                metavar="FILE",
                help="detailed list of the Fabriques (CSV, XLSX, ODS, GeoJSON, GeoPackage or zipped shapefile: id, "
                "vague, montant, adresse, fnt, insee), merged into the fabriques mart",
            )
    args = parser.parse_args(argv)
    mirror = _default_mirror(args.mirror)
    if mirror is not None and not mirror.is_dir():
        print(f"error: mirror folder {mirror} does not exist", file=sys.stderr)
        return 2
    try:
        if args.command == "fetch":
            paths = fetch(load_catalogue(), Path(args.raw), mirror, download=not args.offline)
            print(f"{len(paths)} files verified (sha256)" + (f", mirror {mirror}" if mirror else ""))
            return 0
        cache = None if args.no_cache else Path(get_setting("cache_dir")) / "staging"
        qpv_2015 = Path(args.qpv_2015) if args.qpv_2015 else None
        detail = Path(args.fabriques_detail) if args.fabriques_detail else None
        if detail is not None and not detail.is_file():
            print(
                f"error: {detail}: the file given with --fabriques-detail does not exist "
                "(give the path of a .csv, .xlsx, .ods, .geojson, .gpkg or .zip file)",
                file=sys.stderr,
            )
            return 2
        result = run_build(
            Path(args.raw),
            Path(args.out),
            mirror,
            cache,
            download=not args.offline,
            force=args.force,
            qpv_2015=qpv_2015,
            fabriques_detail=detail,
        )
    except EtlError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result.skipped:
        print(f"marts up to date in {result.out_dir} (inputs and code unchanged)")
    else:
        rows = ", ".join(f"{k} {v['rows']}" for k, v in result.report["marts"].items())
        print(f"marts written to {result.out_dir} in {result.report['duration_s']} s: {rows}")
        merge = result.report.get("fabriques_detail")
        if merge:
            print(
                f"{merge['file']}: {merge['rows_read']} rows read, {merge['merged']} merged, "
                f"{merge['rejected']} rejected, {merge['unknown_ids']} unknown ids, "
                f"{len(merge['wave_disagreements'])} wave and {len(merge['commune_disagreements'])} commune "
                "disagreements (see _report.json or the Données et méthodes page)"
            )
    database = marts_database_url()
    if database is not None:  # team mode: the replicas read the marts from PostGIS
        try:
            published = publish_to_postgis(result.out_dir, database, force=args.force)
        except EtlError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        where = database.split("@")[-1]
        if published.skipped:
            print(f"PostGIS ({where}): schema {published.schema} is current, with this build")
        else:
            print(
                f"PostGIS ({where}): published into schema {published.schema} in {published.seconds} s, now "
                f"current" + (f"; dropped {', '.join(published.dropped)}" if published.dropped else "")
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
