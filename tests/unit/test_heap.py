"""The server freezes the libraries' objects once, so full collections skip them."""

import gc
import sys

from ui import heap


def test_freeze_happens_once_after_the_page_libraries_are_imported(monkeypatch):
    monkeypatch.setattr(heap, "_frozen", False)
    frozen_before = gc.get_freeze_count()
    thresholds = gc.get_threshold()
    try:
        assert heap.freeze_long_lived_objects() is True
        assert all(name in sys.modules for name in heap.PAGE_LIBRARIES)
        assert gc.get_freeze_count() > max(frozen_before, 100_000)
        # A full collection no longer walks them.
        assert len(gc.get_objects()) < gc.get_freeze_count()
        assert gc.get_threshold() == (*thresholds[:2], heap.FULL_COLLECTION_EVERY)
        assert heap.freeze_long_lived_objects() is False
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
