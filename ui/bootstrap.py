"""Make sure pages run under ``dashboard.py``'s ``st.navigation``.

Streamlit treats a ``pages/`` folder beside the entry point as a legacy multipage app until
``st.navigation`` has been called once in the process: the first request of a fresh server on a
page URL (a shared link) would run that page alone, without the shared sidebar and filters.
Switching the flag and rerunning makes Streamlit run ``dashboard.py``, which routes to the page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_navigation(rerun: bool = True) -> None:
    """Rerun through ``dashboard.py`` if Streamlit started this page in legacy mode.

    ``dashboard.py`` itself passes ``rerun=False``: it declares the navigation right after, so only
    the flag needs switching — a rerun there would drop the clicks of its sidebar's buttons.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if rerun:
            st.rerun()
