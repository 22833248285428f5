"""Mentions légales et données personnelles."""

import streamlit as st

from core.domain.legal_notices import (
    COOKIES,
    LICENCE,
    PERSONAL_DATA,
    compute_publisher_sentence,
    compute_rights_sentence,
)
from core.settings import get_setting
from ui.bootstrap import ensure_navigation

ensure_navigation()

publisher, contact = get_setting("publisher"), get_setting("contact")
st.title("Mentions légales")

st.header("Éditeur et hébergement")
st.markdown(compute_publisher_sentence(publisher, contact))

st.header("Licence et réutilisation")
st.markdown(LICENCE)

st.header("Données personnelles", anchor="donnees-personnelles")
st.markdown("\n".join(f"- {paragraph}" for paragraph in PERSONAL_DATA))
st.markdown(compute_rights_sentence(contact))

st.header("Cookies", anchor="cookies")
st.markdown(COOKIES)
