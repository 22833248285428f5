"""Page en construction."""

import streamlit as st

from ui.bootstrap import ensure_navigation

ensure_navigation()


st.title("quartiers_prioritaires")
st.info("Page en préparation.")
