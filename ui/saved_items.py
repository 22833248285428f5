"""Reopening a saved item: a link ``?espace=<id>`` (or « Ouvrir » in Mon espace) puts the item's work
back in the session and goes to the page it belongs to."""

from __future__ import annotations

import streamlit as st

from core.uploads.lists import compute_places_frame
from core.workspace.items import DamagedItemError, Item, WorkspaceError
from core.workspace.payloads import list_frames, read_sanitized_table
from ui import state
from ui.auth import is_admin
from ui.loaders import load_geo, load_table
from ui.user_list import store_user_list
from ui.workspace import current_user, remember_opened, workspace

PAGE_OF_KIND = {
    "list": "pages/listes_importees.py",
    "region_sud": "pages/region_sud.py",
    "eligibility": "pages/eligibilite.py",
    "presentation": "pages/presentation.py",
    "network": "pages/reseau_tiers_lieux.py",
}
# Session keys kept when a view replaces the session's filters and page widgets.
KEPT_KEYS = {
    state.USER_LIST,
    state.WORKSPACE_OPENED,
    state.IGNORED_SLOT,
    state.IGNORED_PARAMS,
    state.ELIGIBILITY_BATCH,
    state.SAVED_PRESENTATION,
    state.SAVED_PLAN,
    state.DECK_NOTES,
    state.LAST_UPLOAD,
    state.NETWORK_CORRECTIONS_OPENED,
}


def load_list(item: Item) -> None:
    """Put a saved list in the session, with the places rebuilt on the current marts."""
    accepted, _ = list_frames(item.payload)
    places = compute_places_frame(
        accepted, load_table("communes"), load_geo("qpv"), list(load_table("fabriques").columns)
    )
    store_user_list(item.payload["name"], places, item.payload["mode"], item.id)
    remember_opened("list", item.id, item.version, item.summary.title)


def _reset_widgets() -> None:
    """Forget the filters and page widgets, so the next run takes them from the link."""
    for key in list(st.session_state):
        if key not in KEPT_KEYS:
            del st.session_state[key]


def go_to_view(view: dict) -> None:
    """Open the page of a view with its parameters (filters, page parameters, map view)."""
    if view.get("list_item"):
        load_list(workspace().open(current_user(), view["list_item"], admin=is_admin()))
    _reset_widgets()
    st.switch_page(f"pages/{view['page']}.py", query_params=view["params"])


def apply_item(item: Item) -> None:
    """Put ``item``'s work in the session and go to its page (never returns: the app reruns there)."""
    remember_opened(item.kind, item.id, item.version, item.summary.title)
    payload = item.payload
    if item.kind == "view":
        go_to_view(payload)
    if item.kind == "list":
        load_list(item)
    elif item.kind == "region_sud":
        state.remember(state.REGION_SUD_CANDIDATES, payload["candidates"])
        params = {"methode": payload["method"], "distance": str(payload["distance_km"])}
        params |= {"indicateur": payload["need"]} if payload.get("need") else {}
        params |= {k: str(payload[v]) for k, v in (("plancher", "floor"), ("plafond", "cap")) if payload.get(v)}
        _drop_page_widgets(("rs_",))
        st.switch_page(PAGE_OF_KIND["region_sud"], query_params=params)
    elif item.kind == "eligibility":
        state.remember(state.ELIGIBILITY_BATCH, (item.summary.title, payload))
        st.switch_page(PAGE_OF_KIND["eligibility"], query_params={"dep_dispositif": payload["scheme_departement"]})
    elif item.kind == "planner":
        state.remember(state.SAVED_PLAN, (item.summary.title, payload))
        go_to_view(payload["view"])
    elif item.kind == "network":
        kept = workspace().blob(payload["source"]["blob"])
        try:
            table = read_sanitized_table(kept)
        except ValueError as error:  # pandas' parser errors are ValueErrors
            raise DamagedItemError(f"la table enregistrée ne se relit pas ({error})") from error
        state.remember(state.NETWORK_CORRECTIONS_OPENED, (item.summary.title, payload, table, kept))
    elif item.kind == "presentation":
        state.remember(state.SAVED_PRESENTATION, (item.summary.title, payload["slides"]))
        state.forget(state.DECK_NOTES)
        go_to_view(payload["slides"][0]["view"])
    st.switch_page(PAGE_OF_KIND[item.kind])


def _drop_page_widgets(prefixes: tuple[str, ...]) -> None:
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(prefixes) and key != state.REGION_SUD_CANDIDATES:
            del st.session_state[key]


def open_linked_item() -> None:
    """If the link names a saved item (``?espace=<id>``) or « Ouvrir » was clicked in Mon espace, open it;
    say so if it cannot be opened."""
    item_id = state.read_text("espace") or state.recall(state.WORKSPACE_PENDING_OPEN)
    state.forget(state.WORKSPACE_PENDING_OPEN)
    if not item_id:
        return
    state.write_param("espace", "", "")
    try:
        apply_item(workspace().open(current_user(), item_id, admin=is_admin()))  # its files too
    except WorkspaceError as error:
        st.error(f"Élément du lien impossible à ouvrir : {error}", icon=":material/error:")


def _view_material(page: str) -> tuple[dict, list[bytes]]:
    """The current view; a list in use is saved first (so the view's link reopens it too)."""
    from core.workspace.payloads import make_view_payload
    from ui.user_list import active_user_list, mark_user_list_saved
    from ui.workspace import save_item

    in_use = active_user_list()
    list_item = in_use.item_id if in_use else None
    material = state.recall(state.LAST_UPLOAD)
    if in_use is not None and list_item is None and callable(material):
        payload, files = material()
        list_item = save_item("list", in_use.name, "Enregistrée avec une vue", payload, files, as_new=True)
        mark_user_list_saved(list_item)
    return make_view_payload(page, state.url_params(), list_item), []


def render_save_view(page: str) -> None:
    """« Enregistrer cette vue » in the sidebar: the page, its filters and parameters, its list."""
    from ui.user_list import active_user_list
    from ui.workspace import render_save

    with st.sidebar:
        in_use = active_user_list()
        if in_use is not None and in_use.item_id is None and not callable(state.recall(state.LAST_UPLOAD)):
            st.caption("La liste importée n'est pas enregistrée : la vue enregistrée ne la rouvrira pas.")
        render_save("view", f"Vue {page.replace('_', ' ')}", lambda: _view_material(page), "vue_enregistrer")
