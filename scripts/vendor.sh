#!/usr/bin/env bash
# Fetch the map's browser libraries from the npm registry into static/vendor/ (served by
# Streamlit at /app/static/vendor/), so maps work without any CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
want="leaflet@1.9.4 leaflet.markercluster@1.5.3"
if [ -f "$dest/.versions" ] && [ "$(cat "$dest/.versions")" = "$want" ]; then exit 0; fi
command -v npm >/dev/null 2>&1 || { echo "vendor: npm is needed to fetch Leaflet (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent $want >/dev/null )
mkdir -p "$dest/images"
tar -xzf "$tmp"/leaflet-1.9.4.tgz -C "$tmp" package/dist && mv "$tmp/package" "$tmp/leaflet"
tar -xzf "$tmp"/leaflet.markercluster-1.5.3.tgz -C "$tmp" package/dist && mv "$tmp/package" "$tmp/cluster"
cp "$tmp"/leaflet/dist/leaflet.js "$tmp"/leaflet/dist/leaflet.css "$dest/"
cp "$tmp"/leaflet/dist/images/* "$dest/images/"
cp "$tmp"/cluster/dist/leaflet.markercluster.js "$tmp"/cluster/dist/MarkerCluster.css \
   "$tmp"/cluster/dist/MarkerCluster.Default.css "$dest/"
echo "$want" > "$dest/.versions"
echo "vendor: $want in $dest"
