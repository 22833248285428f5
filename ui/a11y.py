"""What Streamlit's page does not say in French or to assistive technologies, said once per page.

Streamlit hard-codes ``<html lang="en">``, an English skip link and English names on its own
controls (the sidebar, multiselects, the data grid's toolbar…), and sets them again when React
redraws them: a script kept in the page translates them whenever they appear, in the page and in
its same-origin frames (maps), and relabels what axe-core reports (the navigation's sections are
lists of their pages). The style sheet keeps text at 4.5:1 and the focus visible.
"""

from __future__ import annotations

import json

import streamlit as st

from core.viz import palette

SERVICE_NAME = "Fabriques de Territoire"

# Streamlit's, BaseWeb's and Glide's English accessible names, and the French the page gives them.
ENGLISH_NAMES = {
    "Skip to main content": "Aller au contenu",
    "Link to heading": "Lien vers ce titre",
    "App pages": "Pages du tableau de bord",
    "Sidebar": "Barre latérale",
    "Collapse sidebar": "Replier la barre latérale",
    "Expand sidebar": "Déplier la barre latérale",
    "Open sidebar": "Ouvrir la barre latérale",
    "Close sidebar": "Fermer la barre latérale",
    "Main menu": "Menu principal",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Selected values": "Valeurs choisies",
    "Selected value": "Valeur choisie",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Search": "Rechercher",
    "Download as CSV": "Télécharger en CSV",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Copy to clipboard": "Copier",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Choose an option": "Choisir",
    "Choose options": "Choisir",
    "No results": "Aucun résultat",
    "Browse files": "Parcourir",
    "Drag and drop file here": "Déposez un fichier ici",
    "Delete": "Supprimer",
    "Show password text": "Afficher le mot de passe",
    "Hide password text": "Masquer le mot de passe",
    "Previous month": "Mois précédent",
    "Next month": "Mois suivant",
    "Calendar": "Calendrier",
    # streamlit-folium's frame, until the map inside it gives the frame its own title (« Carte … »)
    "streamlit_folium.st_folium": "Carte",
    "Page not found": "Page introuvable",
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "La page demandée n'existe pas : voici la page d'accueil du tableau de bord."
    ),
}
# Names made of an English prefix and a label of ours ("Help for Cohorte" → "Aide : Cohorte").
ENGLISH_PREFIXES = (
    ("Help for ", "Aide : "),
    ("Remove ", "Retirer "),
    ("Delete ", "Supprimer "),
    ("Selected ", "Choisi : "),
)
# Texts with a number in them (regular expression, replacement).
ENGLISH_PATTERNS = ((r"^(\d+)MB per file", "$1 Mo par fichier"),)

_SCRIPT = """
(() => {
  const names = __NAMES__;
  const prefixes = __PREFIXES__;
  const patterns = __PATTERNS__.map(([source, fr]) => [new RegExp(source), fr]);
  const translate = (text) => {
    if (!text) return null;
    const t = text.trim();
    if (Object.prototype.hasOwnProperty.call(names, t)) return names[t];
    for (const [en, fr] of prefixes) if (t.startsWith(en) && t.length > en.length) return fr + t.slice(en.length);
    for (const [en, fr] of patterns) if (en.test(t)) return t.replace(en, fr);
    return null;
  };
  const fixAttributes = (el) => {
    for (const attr of ["aria-label", "title", "placeholder", "aria-roledescription"]) {
      const fr = translate(el.getAttribute(attr));
      if (fr !== null) el.setAttribute(attr, fr);
    }
  };
  const fixTexts = (doc) => {
    const walker = doc.createTreeWalker(doc.body || doc.documentElement, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const fr = translate(node.data);
      const parent = node.parentElement;
      if (fr !== null && parent && !parent.closest("[data-testid=stMarkdownContainer]")) node.data = fr;
    }
  };
  const fixNavigation = (doc) => {
    // Sections of the navigation: Streamlit puts divs (header and links) right under the list.
    for (const ul of doc.querySelectorAll("[data-testid=stSidebarNavItems]")) {
      const groups = [...ul.children].filter((c) => c.tagName !== "LI");
      if (!groups.length) continue;
      if (ul.getAttribute("role") !== "none") ul.setAttribute("role", "none");
      for (const group of groups) {
        if (group.getAttribute("role") !== "list") group.setAttribute("role", "list");
        const header = group.querySelector("[data-testid=stNavSectionHeader] [data-testid=stMarkdownContainer]");
        const label = header ? header.textContent.trim() : "";
        if (label && group.getAttribute("aria-label") !== label) group.setAttribute("aria-label", label);
      }
    }
  };
  const fix = (doc) => {
    const html = doc.documentElement;
    if (!html) return;
    if (html.getAttribute("lang") !== "fr") html.setAttribute("lang", "fr");
    // folium's viewport forbids zooming on touch screens: let the reader zoom (RGAA 10.4).
    for (const meta of doc.querySelectorAll("meta[name=viewport]")) {
      if (/user-scalable=no|maximum-scale/.test(meta.content)) meta.content = "width=device-width, initial-scale=1.0";
    }
    const named = doc.querySelectorAll("[aria-label],[title],[placeholder],[aria-roledescription]");
    for (const el of named) fixAttributes(el);
    fixTexts(doc);
    fixNavigation(doc);
    for (const frame of doc.querySelectorAll("iframe")) watchFrame(frame);
  };
  const observe = (doc) => {
    if (doc.__fabtObserved) return;
    doc.__fabtObserved = true;
    let pending = false;
    const schedule = () => {
      if (pending) return;
      pending = true;
      (doc.defaultView || window).requestAnimationFrame(() => { pending = false; fix(doc); });
    };
    new MutationObserver(schedule).observe(doc.documentElement, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["lang", "aria-label", "title", "placeholder"],
    });
    fix(doc);
  };
  const attach = (frame) => {
    try {
      const doc = frame.contentDocument;
      if (doc && doc.documentElement) { doc.__fabtObserved = false; observe(doc); }
    } catch (e) { /* a frame from another origin is not ours to fix */ }
  };
  const watchFrame = (frame) => {
    if (frame.__fabtWatched) return;
    frame.__fabtWatched = true;
    frame.addEventListener("load", () => attach(frame));
    attach(frame);
  };
  observe(document);
})();
"""


def _style() -> str:
    return f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: {palette.TEXT_MENTION} !important;
  opacity: 1 !important; }}
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzoneInstructions"] small {{ color: {palette.TEXT_MENTION} !important;
  opacity: 1 !important; }}
[data-testid="stMetricLabel"] p, [data-testid="stWidgetLabel"] p {{ color: {palette.TEXT_DEFAULT}; }}
:focus-visible {{ outline: 2px solid {palette.FOCUS} !important; outline-offset: 2px !important; }}
.st-key-fabt_document {{ display: none; }}
</style>"""


def document_script() -> str:
    """The page script, with the translations of :data:`ENGLISH_NAMES` and :data:`ENGLISH_PREFIXES`.

    Streamlit's sanitizer drops a script whose text holds ``<`` before a letter or ``/`` (it looks
    like markup): the script has none.

    Examples
    --------
    >>> import re
    >>> re.search(r"<[/\\w!]", document_script()) is None
    True
    """
    return (
        _SCRIPT.replace("__NAMES__", json.dumps(ENGLISH_NAMES, ensure_ascii=False))
        .replace("__PREFIXES__", json.dumps([list(p) for p in ENGLISH_PREFIXES], ensure_ascii=False))
        .replace("__PATTERNS__", json.dumps([list(p) for p in ENGLISH_PATTERNS]))
    )


def page_title(title: str) -> str:
    """The browser's title of a page: « Carte – Fabriques de Territoire »."""
    return f"{title} – {SERVICE_NAME}"


def render_document_fixes() -> None:
    """The style sheet (no space taken) and the script, in a container the style sheet hides."""
    st.html(_style())
    with st.container(key="fabt_document"):
        st.html(f"<script>{document_script()}</script>", unsafe_allow_javascript=True)
