#!/usr/bin/env bash
# Team deployment on this machine: PostgreSQL + PostGIS (a cluster in data/equipe/postgres, unless
# --database-url names one), the marts built and published into it, N Streamlit replicas (default: one
# per core) sharing one cookie secret, and nginx in front (affinity by cookie, websockets, health
# checks), all stopped by their pid on Ctrl-C. See README « Déploiement en équipe ».
#   bash scripts/team.sh [--replicas N] [--port P] [--listen ADDR] [--database-url URL]
#                        [--secrets FILE] [--upstream HOST:PORT]... [--no-nginx] [--tls CERT KEY]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m ops.stack "$@"
