"""``python -m bench [etl ... hubs] [--quick] [--check] [--browser] [--think A B]``: run benchmarks, update
``bench/results.json``."""

from __future__ import annotations

import argparse
import json
import sys

from bench.accessibility import measure_accessibility
from bench.dashboard import measure_app, measure_browser
from bench.etl_build import measure_etl
from bench.exports import measure_exports
from bench.growth import measure_growth
from bench.hubs import measure_hubs
from bench.load import QUICK, measure_load
from bench.planner import measure_planner
from bench.results import RESULTS, record
from bench.team import measure_team
from bench.uploads import measure_uploads
from bench.workspace import measure_workspace

SUITES = {
    "etl": measure_etl,
    "app": measure_app,
    "browser": measure_browser,
    "exports": measure_exports,
    "load": measure_load,
}
SUITES["growth"] = measure_growth
SUITES["workspace"] = measure_workspace
SUITES["hubs"] = measure_hubs
SUITES["uploads"] = measure_uploads
SUITES["planner"] = measure_planner
SUITES["accessibility"] = measure_accessibility
SUITES["team"] = measure_team
AIMS = {
    "etl_full_build_s": ("≤", 60.0),
    "etl_rebuild_unchanged_s": ("≤", 5.0),
    "map_filter_change_ms": ("≤", 300.0),
    "map_click_panel_ms": ("≤", 300.0),
    "map_html_bytes": ("≤", 3_000_000.0),
    "load_n20_errors": ("≤", 0.0),
    "load_n20_p95_s": ("≤", 1.5),
    "load_n20_server_rss_mb": ("≤", 1500.0),
    "scale_100x_s": ("≤", 10.0),
    "workspace_save_20k_rows_s": ("≤", 1.0),
    "workspace_open_20k_rows_s": ("≤", 1.0),
    "workspace_list_10k_items_ms": ("≤", 200.0),
    "workspace_save_20k_rows_s_pg": ("≤", 1.0),
    "workspace_open_20k_rows_s_pg": ("≤", 1.0),
    "workspace_list_10k_items_ms_pg": ("≤", 200.0),
    "hubs_reach_s": ("≤", 1.0),
    "hubs_match_s": ("≤", 1.0),
    "upload_bomb_refusal_s": ("≤", 2.0),
    "upload_bomb_peak_mb": ("≤", 100.0),
    "upload_10mb_csv_s": ("≤", 5.0),
    "planner_greedy_s": ("≤", 5.0),
    "planner_exact_s": ("≤", 60.0),
    "planner_exact_gap": ("≤", 0.01),
    "a11y_serious_violations": ("≤", 0.0),
    "team_r2_n20_errors": ("≤", 0.0),
    "team_r2_n20_p95_s": ("≤", 1.5),
    "team_marts_from_postgis_s": ("≤", 3.0),
}
# Ratios printed side by side: (name, numerator, denominator, aim text)
RATIOS = [
    ("full build / unchanged rebuild", "etl_full_build_s", "etl_rebuild_unchanged_s", ""),
    ("map filter change / empty rerun", "map_filter_change_ms", "empty_page_rerun_ms", ""),
    ("naive map / our map (bytes)", "naive_map_html_bytes", "map_html_bytes", "aim ≥ 5"),
    ("map page / hello page (load)", "map_page_load_s", "hello_page_load_s", "aim ≤ 1.5"),
    ("10× / 1× SYNTHETIC places (time)", "scale_10x_s", "scale_1x_s", "linear = 10"),
    ("100× / 1× SYNTHETIC places (time)", "scale_100x_s", "scale_1x_s", "linear = 100"),
    ("team: 2 / 1 replicas (throughput)", "team_r2_n20_actions", "team_r1_n20_actions", "aim ≥ 1.6"),
    ("team: 1 / 2 replicas (p95)", "team_r1_n20_p95_s", "team_r2_n20_p95_s", ""),
    ("team: marts PostGIS / GeoParquet", "team_marts_from_postgis_s", "team_marts_from_geoparquet_s", ""),
]


def _forget_untimed_percentiles(figures: dict[str, float]) -> None:
    """A load level with no timed change has no percentiles: drop those an earlier run left."""
    stale = [
        key.replace("_actions", suffix)
        for key, value in figures.items()
        if key.startswith("load_") and key.endswith("_actions") and not value
        for suffix in ("_p50_s", "_p95_s")
    ]
    current = json.loads(RESULTS.read_text(encoding="utf-8"))
    if any(key in current for key in stale):
        kept = {key: value for key, value in current.items() if key not in stale}
        RESULTS.write_text(json.dumps(kept, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen suites (all by default) and print figures beside their aims."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("suites", nargs="*", help=f"among {', '.join(SUITES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="load suite: only N=5, for 30 s")
    parser.add_argument("--check", action="store_true", help="load suite: exit 1 if any session met an error")
    parser.add_argument(
        "--browser", action="store_true", help="load suite: Chromium sessions instead of websocket clients"
    )
    parser.add_argument(
        "--think",
        nargs=2,
        type=float,
        metavar=("A", "B"),
        help="load suite: an analyst's pause before and after each change, drawn in [A, B] seconds",
    )
    args = parser.parse_args(argv)
    unknown = set(args.suites) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s) {', '.join(sorted(unknown))}; known: {', '.join(SUITES)}")
    suites = args.suites or list(SUITES)
    if (args.quick or args.check or args.browser or args.think) and "load" not in suites:
        parser.error("--quick, --check, --browser and --think apply to the load suite only")
    if args.think and not 0 <= args.think[0] <= args.think[1]:
        parser.error("--think A B needs 0 ≤ A ≤ B")
    load_options = {**(QUICK if args.quick else {}), "browser": args.browser}
    if args.think:
        load_options["think_s"] = tuple(args.think)
    figures: dict[str, float] = {}
    for name in suites:
        options = load_options if name == "load" else {}
        figures.update(SUITES[name](**options))
    record(figures)
    _forget_untimed_percentiles(figures)
    for key, value in figures.items():
        aim = AIMS.get(key)
        verdict = ""
        if aim:
            ok = value <= aim[1]
            ratio = f", ratio {value / aim[1]:.2f}" if aim[1] else ""
            verdict = f"  (aim {aim[0]} {aim[1]:g}: {'met' if ok else 'MISSED'}{ratio})"
        print(f"{key:32s} {value:10.3f}{verdict}")
    for label, num, den, aim in RATIOS:
        if num in figures and den in figures:
            print(f"{label:32s} {figures[num] / max(figures[den], 1e-9):10.2f}×  {aim}")
    failed = {k: v for k, v in figures.items() if k.startswith("load_") and k.endswith("_errors") and v > 0}
    if args.check and failed:
        counts = ", ".join(f"{k} = {v:g}" for k, v in failed.items())
        print(f"bench load --check: the sessions met errors ({counts})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
