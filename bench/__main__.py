"""``python -m bench [etl ...]``: run benchmarks and update ``bench/results.json``."""

from __future__ import annotations

import argparse

from bench.etl_build import measure_etl
from bench.results import record

SUITES = {"etl": measure_etl}
AIMS = {"etl_full_build_s": ("≤", 60.0), "etl_rebuild_unchanged_s": ("≤", 5.0)}


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
    if "etl_full_build_s" in figures:
        ratio = figures["etl_full_build_s"] / max(figures["etl_rebuild_unchanged_s"], 1e-9)
        print(f"{'full build / unchanged rebuild':32s} {ratio:10.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
