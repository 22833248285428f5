#!/usr/bin/env bash
# Set up, lint, then run the whole test suite (unit, ETL, app, browser). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
# Quick load test (N = 5, 30 s) on the real marts (built from the mirror if needed): figures printed
# and recorded; errors are reported, not gated (see README)
.venv/bin/python -m etl build
.venv/bin/python -m bench load --quick
