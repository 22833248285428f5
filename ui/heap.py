"""Keep Python's cyclic garbage collector away from the objects that live as long as the server.

The libraries' modules, classes and functions (about 140,000 objects once streamlit, pandas,
plotly, folium and geopandas are imported) are never garbage, yet every full collection walks them
again: 0.1–0.4 s with the interpreter's lock held, a pause for every session at once (nine such
pauses a minute with 20 analysts, bench/load.py). Frozen once, they are skipped; what the runs
create afterwards is collected as usual. The freeze happens at the start of the server's first run,
so the few objects of the runtime and of that first session existing then are frozen too (never
collected if they become cyclic garbage: a one-off, bounded cost).

What stays after freezing (the marts' columns, cached selections, pandas' copy-on-write references,
some 90,000 objects) still costs about 0.1 s per full collection: full collections are made ten
times rarer (once a minute under that load instead of eight times; the server's memory stays
within the bench's aim). Young objects are collected as often as before.
"""

from __future__ import annotations

import gc
import importlib
import threading

# What the analysis pages import: loaded before freezing so that their objects are frozen too.
PAGE_LIBRARIES = (
    "plotly.graph_objects",
    "folium",
    "streamlit_folium",
    "geopandas",
    "shapely",
    "pyproj",
    "core.viz.charts",
    "core.viz.maps",
    "core.analysis.rural",
    "core.analysis.qpv",
)

# Full collections once per this many collections of the middle generation (Python's default: 10).
FULL_COLLECTION_EVERY = 100

_lock = threading.Lock()
_frozen = False


def freeze_long_lived_objects() -> bool:
    """Once per process: import :data:`PAGE_LIBRARIES`, collect, move every object to the permanent
    generation (:func:`gc.freeze`) and space full collections (:data:`FULL_COLLECTION_EVERY`).
    True when this call did it."""
    global _frozen
    with _lock:
        if _frozen:
            return False
        for name in PAGE_LIBRARIES:
            importlib.import_module(name)
        gc.collect()
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
        _frozen = True
        return True
