"""Imported only by the worker server (:mod:`core.uploads.worker_server`): it reads a tiny GeoJSON and
builds a tiny frame once, so that the lazy set-ups of pandas, pyproj, GDAL and GEOS are done in the
server and every forked worker starts warm (a few tens of milliseconds instead of half a second).
"""

from __future__ import annotations

import io

from core.uploads.formats import GEOJSON
from core.uploads.parsing import ReadChoice, parse_upload
from core.uploads.table import UploadLimits

_LAMBERT_POINT = (
    b'{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},'
    b'"features":[{"type":"Feature","properties":{"nom":"A"},"geometry":{"type":"Polygon","coordinates":'
    b"[[[870000,6570000],[870100,6570000],[870100,6570100],[870000,6570000]]]}}]}"
)


def warm_up() -> None:
    """Read a one-feature Lambert-93 GeoJSON as a table (pandas, pyogrio, pyproj, shapely all set up)."""
    parse_upload(
        io.BytesIO(_LAMBERT_POINT).getvalue(), "warm.geojson", GEOJSON, "GeoJSON", UploadLimits(), ReadChoice()
    )


warm_up()
