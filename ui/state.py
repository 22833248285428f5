"""Read what the shared sidebar decided."""

from __future__ import annotations

import streamlit as st

from core.analysis.filters import DEFAULT, Filters


def current_filters() -> Filters:
    """The filters of this run (defaults when the sidebar could not be drawn)."""
    return st.session_state.get("filters", DEFAULT)
