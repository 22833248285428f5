#!/usr/bin/env bash
# Set up, lint, then run the whole test suite (unit, ETL, app, browser). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python -m pytest -q "$@"
# Quick load test (N = 5 websocket sessions, 30 s) on the real marts (built from the mirror if
# needed): figures printed and recorded; any session error (exception, missing view, filters not
# applied, timeout) fails the run. The full run (N = 1, 5, 20) is `python -m bench load`.
.venv/bin/python -m etl build
.venv/bin/python -m bench load --quick --check
