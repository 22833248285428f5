"""``python -m bench [etl ...]``: run benchmarks and update ``bench/results.json``."""

from __future__ import annotations

import argparse

from bench.dashboard import measure_app, measure_browser
from bench.etl_build import measure_etl
from bench.exports import measure_exports
from bench.results import record

SUITES = {"etl": measure_etl, "app": measure_app, "browser": measure_browser, "exports": measure_exports}
AIMS = {
    "etl_full_build_s": ("≤", 60.0),
    "etl_rebuild_unchanged_s": ("≤", 5.0),
    "map_filter_change_ms": ("≤", 300.0),
    "map_html_bytes": ("≤", 3_000_000.0),
}
# Ratios printed side by side: (name, numerator, denominator, aim text)
RATIOS = [
    ("full build / unchanged rebuild", "etl_full_build_s", "etl_rebuild_unchanged_s", ""),
    ("map filter change / empty rerun", "map_filter_change_ms", "empty_page_rerun_ms", ""),
    ("naive map / our map (bytes)", "naive_map_html_bytes", "map_html_bytes", "aim ≥ 5"),
    ("map page / hello page (load)", "map_page_load_s", "hello_page_load_s", "aim ≤ 2"),
]


def main(argv: list[str] | None = None) -> int:
    """Run the chosen suites (all by default) and print figures beside their aims."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("suites", nargs="*", help=f"among {', '.join(SUITES)} (default: all)")
    args = parser.parse_args(argv)
    unknown = set(args.suites) - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s) {', '.join(sorted(unknown))}; known: {', '.join(SUITES)}")
    figures: dict[str, float] = {}
    for name in args.suites or SUITES:
        figures.update(SUITES[name]())
    record(figures)
    for key, value in figures.items():
        aim = AIMS.get(key)
        verdict = ""
        if aim:
            ok = value <= aim[1]
            verdict = f"  (aim {aim[0]} {aim[1]:g}: {'met' if ok else 'MISSED'}, ratio {value / aim[1]:.2f})"
        print(f"{key:32s} {value:10.3f}{verdict}")
    for label, num, den, aim in RATIOS:
        if num in figures and den in figures:
            print(f"{label:32s} {figures[num] / max(figures[den], 1e-9):10.2f}×  {aim}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
