"""Messages shared by pages: missing data, empty selection."""

from __future__ import annotations

import streamlit as st

from core.paths import MissingMartError


def stop_on_missing(error: MissingMartError) -> None:
    """Say which command rebuilds the data, then stop the page."""
    st.error(f"{error}", icon=":material/build:")
    st.stop()
