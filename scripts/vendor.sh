#!/usr/bin/env bash
# Fetch the browser-side files from the npm registry into static/vendor/ (served by Streamlit at
# /app/static/vendor/, ignored by git, never committed): Leaflet for the maps, the DSFR's Marianne
# font (package @gouvfr/dsfr, licence Etalab 2.0: `npm pack` fetches it without running its
# install script, so nothing asks for the licence here) and axe-core for the accessibility test.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
want="leaflet@1.9.4 leaflet.markercluster@1.5.3 @gouvfr/dsfr@1.15.3 axe-core@4.14.1"
if [ -f "$dest/.versions" ] && [ "$(cat "$dest/.versions")" = "$want" ]; then exit 0; fi
command -v npm >/dev/null 2>&1 || { echo "vendor: npm is needed to fetch Leaflet, Marianne and axe-core (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent $want >/dev/null )
mkdir -p "$dest/images" "$dest/fonts" "$dest/axe"
unpack() {  # unpack <tarball> <name> <paths…>: the package's files under $tmp/<name>
  local tarball=$1 name=$2; shift 2
  tar -xzf "$tmp/$tarball" -C "$tmp" "$@" && mv "$tmp/package" "$tmp/$name"
}
unpack leaflet-1.9.4.tgz leaflet package/dist
unpack leaflet.markercluster-1.5.3.tgz cluster package/dist
unpack gouvfr-dsfr-1.15.3.tgz dsfr package/dist/fonts package/LICENSE.md
unpack axe-core-4.14.1.tgz axe package/axe.min.js package/LICENSE
cp "$tmp"/leaflet/dist/leaflet.js "$tmp"/leaflet/dist/leaflet.css "$dest/"
cp "$tmp"/leaflet/dist/images/* "$dest/images/"
cp "$tmp"/cluster/dist/leaflet.markercluster.js "$tmp"/cluster/dist/MarkerCluster.css \
   "$tmp"/cluster/dist/MarkerCluster.Default.css "$dest/"
for face in Regular Regular_Italic Medium Bold; do cp "$tmp/dsfr/dist/fonts/Marianne-$face.woff2" "$dest/fonts/"; done
cp "$tmp/dsfr/LICENSE.md" "$dest/fonts/LICENCE-DSFR.md"
cp "$tmp/axe/axe.min.js" "$dest/axe/" && cp "$tmp/axe/LICENSE" "$dest/axe/LICENSE"
echo "$want" > "$dest/.versions"
echo "vendor: $want in $dest"
