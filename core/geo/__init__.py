"""Geometry: metric CRS per territory, repairs, nearest features (no display, no pages)."""
