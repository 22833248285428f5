#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine: Debian packages (Chromium for
# browser tests and static chart export), a Python 3.11 virtual environment and the pinned
# requirements. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# PostgreSQL's server (team mode, and the tests of the workspace store on PostgreSQL)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
# Team mode: PostGIS for the marts (the package of the installed PostgreSQL, 15 on Debian 12) and nginx
pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1 || true)
ls /usr/share/postgresql/"${pg_version:-15}"/extension/postgis.control >/dev/null 2>&1 \
  || need_apt+=("postgresql-${pg_version:-15}-postgis-3")
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # Debian starts the services of what it installs (nginx on port 80, PostgreSQL's main cluster on
    # 5432): the project never uses them (it starts its own, on loopback, stopped by their pid), so
    # they are kept from starting while installing, and stopped if they run anyway.
    own_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && own_policy=1
    fi
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
    if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      for unit in nginx postgresql; do
        systemctl disable --now "$unit" >/dev/null 2>&1 || true
      done
    fi
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq >/dev/null && sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: warning: ${need_apt[*]} missing and no root: browser tests, PNG exports and PostgreSQL tests will be skipped" >&2
  fi
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
bash scripts/vendor.sh

stamp=.venv/.requirements.sha256
want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python requirements"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
