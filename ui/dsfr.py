"""The State's header block and footer (DSFR), around every page.

The header names the service under the « République française » block; the footer carries the
mandatory mentions: accessibility status, legal notices, personal data, and the State's sites.
Links to the dashboard's own pages are Streamlit page links, so following them keeps the session.
"""

from __future__ import annotations

import streamlit as st

from core.domain.accessibility_statement import COMPLIANCE
from core.viz import palette
from ui.a11y import SERVICE_NAME

TAGLINE = "Tableau de bord des tiers-lieux soutenus par l'État"
DESCRIPTION = (
    "Les Fabriques de Territoire et les dispositifs voisins face aux quartiers prioritaires et aux territoires "
    "ruraux, calculés à partir des données publiques ouvertes."
)
# The four links of the DSFR footer.
STATE_SITES = (
    ("legifrance.gouv.fr", "https://www.legifrance.gouv.fr"),
    ("info.gouv.fr", "https://www.info.gouv.fr"),
    ("service-public.fr", "https://www.service-public.fr"),
    ("data.gouv.fr", "https://www.data.gouv.fr"),
)
ACCESSIBILITY_PAGE = "pages/accessibilite.py"
LEGAL_PAGE = "pages/mentions_legales.py"

_STYLE = f"""<style>
.fabt-header {{ display: flex; align-items: center; gap: 1.5rem; padding: 0 0 0.75rem;
  border-bottom: 1px solid {palette.BORDER}; margin-bottom: 0.5rem; }}
.fabt-logo {{ font-weight: 700; text-transform: uppercase; line-height: 1.05; font-size: 0.95rem;
  letter-spacing: -0.01em; color: {palette.TEXT_TITLE}; margin: 0; }}
.fabt-logo::before {{ content: ""; display: block; width: 2.5rem; height: 0.9rem; margin-bottom: 0.35rem;
  background: linear-gradient(90deg, {palette.BLUE_FRANCE} 33%, #ffffff 33% 66%, #e1000f 66%);
  border: 1px solid {palette.BORDER}; }}
.fabt-devise {{ display: block; font-weight: 400; text-transform: none; font-style: italic; font-size: 0.7rem;
  margin-top: 0.35rem; }}
.fabt-service-title {{ font-weight: 700; font-size: 1.25rem; color: {palette.TEXT_TITLE}; margin: 0; }}
.fabt-service-tagline {{ font-size: 0.875rem; color: {palette.TEXT_DEFAULT}; margin: 0; }}
.st-key-fabt_footer {{ border-top: 2px solid {palette.BLUE_FRANCE}; margin-top: 2.5rem; padding-top: 1rem; }}
.fabt-footer-body {{ display: flex; gap: 2rem; flex-wrap: wrap; align-items: flex-start; }}
.fabt-footer-body p {{ margin: 0; max-width: 40rem; font-size: 0.875rem; color: {palette.TEXT_DEFAULT}; }}
.fabt-footer-sites {{ list-style: none; display: flex; flex-wrap: wrap; gap: 1.25rem; padding: 0;
  margin: 0.75rem 0 0; }}
.fabt-footer-sites a {{ font-weight: 700; font-size: 0.875rem; color: {palette.TEXT_TITLE}; }}
.fabt-footer-licence {{ font-size: 0.75rem; color: {palette.TEXT_MENTION}; margin: 0.5rem 0 0; }}
.st-key-fabt_footer_links a p {{ font-size: 0.75rem; color: {palette.TEXT_MENTION}; }}
</style>"""


def _logo() -> str:
    return '<p class="fabt-logo">République<br>française<span class="fabt-devise">Liberté Égalité Fraternité</span></p>'


def render_header() -> None:
    """The header block: République française, the service's name and its tagline (no heading: the
    page's title is its one ``h1``)."""
    st.html(_STYLE)
    st.html(
        f'<div class="fabt-header">{_logo()}<div><p class="fabt-service-title">{SERVICE_NAME}</p>'
        f'<p class="fabt-service-tagline">{TAGLINE}</p></div></div>'
    )


def render_footer() -> None:
    """The footer: description, the State's sites, then the mandatory mentions as page links."""
    with st.container(key="fabt_footer"):
        sites = "".join(
            f'<li><a href="{url}" target="_blank" rel="noopener" title="{name} – nouvelle fenêtre">{name}</a></li>'
            for name, url in STATE_SITES
        )
        st.html(
            f'<footer class="fabt-footer-body" aria-label="Pied de page">{_logo()}<div><p>{DESCRIPTION}</p>'
            f'<ul class="fabt-footer-sites">{sites}</ul></div></footer>'
        )
        with st.container(key="fabt_footer_links", horizontal=True, gap="medium"):
            st.page_link(ACCESSIBILITY_PAGE, label=f"Accessibilité : {COMPLIANCE}")
            st.page_link(LEGAL_PAGE, label="Mentions légales")
            st.page_link(LEGAL_PAGE, label="Données personnelles")
        st.html(
            '<p class="fabt-footer-licence">Sauf mention contraire, les contenus de ce tableau de bord sont '
            "proposés sous licence etalab-2.0.</p>"
        )
