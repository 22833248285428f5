#!/usr/bin/env bash
# Set up, build the marts if missing or stale (from ../shared/data/raw when present, else by
# download), then start the dashboard. Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m etl build
exec .venv/bin/streamlit run dashboard.py --server.headless true "$@"
