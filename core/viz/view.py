"""A map view (centre and zoom) that shows given bounds, in Web Mercator as Leaflet draws it."""

from __future__ import annotations

import math

TILE_PX = 256


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0511), -85.0511)
    rad = math.radians(lat)
    return (1 - math.log(math.tan(rad) + 1 / math.cos(rad)) / math.pi) / 2


def _latitude(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def compute_view(
    bounds: list[list[float]],
    width_px: int = 800,
    height_px: int = 600,
    padding_px: int = 40,
    max_zoom: int = 13,
) -> tuple[list[float], int]:
    """The centre ``[lat, lon]`` and the largest whole zoom at which ``bounds``
    (``[[south, west], [north, east]]``) fit in a map of ``width_px`` × ``height_px`` with
    ``padding_px`` on each side, at most ``max_zoom`` (a point is shown at ``max_zoom``).

    Examples
    --------
    >>> compute_view([[47.8, -4.0], [47.95, -3.85]])
    ([47.875054, -3.925], 11)
    >>> compute_view([[41.2, -5.3], [51.2, 9.7]], 1000, 700)[1]
    5
    """
    (south, west), (north, east) = bounds
    top, bottom = _mercator_y(north), _mercator_y(south)
    centre = [round(_latitude((top + bottom) / 2), 6), round((west + east) / 2, 6)]
    dx = abs(east - west) / 360
    dy = abs(bottom - top)
    room_x, room_y = max(width_px - 2 * padding_px, 1), max(height_px - 2 * padding_px, 1)
    zooms = [math.log2(room / (TILE_PX * span)) for room, span in ((room_x, dx), (room_y, dy)) if span > 0]
    zoom = math.floor(min(zooms)) if zooms else max_zoom
    return centre, int(max(0, min(zoom, max_zoom)))
