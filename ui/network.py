"""The « Réseau des tiers-lieux » page's cached computations and widgets.

The 2019 census is projected once per version of its mart and shared by every session; the links
and nearest distances are kept per selection (its points) and distance; the census match of the
382 Fabriques is made once per version of the two marts. An analyst's corrected match table is kept
for the session (:data:`ui.state.NETWORK_CORRECTIONS`) and replaces the automatic matches it covers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from core.analysis.match_corrections import (
    CorrectedMatches,
    CorrectionTableError,
    apply_corrections,
    validate_corrections,
)
from core.analysis.network import (
    CENSUS_VIEW_COLUMNS,
    HUB_COLUMNS,
    LINKS_MAX,
    compute_hub_links,
    compute_nearest_hub,
    compute_places_without_hub,
    compute_reach,
    compute_reach_by_typology,
    linked_mask,
    links_drawable,
    project_census,
    restrict_links,
)
from core.analysis.relabelling import ORIGIN_CORRECTED, compute_matches
from core.domain.definitions import CENSUS_VINTAGE_NOTE, caption_for
from core.domain.formatting import format_number, format_percent
from core.domain.text import display_name
from core.geo.crs import ZonedPoints
from core.paths import MissingMartError
from core.uploads.reader import UploadError, UploadLimits, read_upload
from core.viz.network import compute_link_lines, make_network_map
from core.workspace.payloads import file_source
from ui import state
from ui.auth import allow_upload
from ui.context import PageContext
from ui.loaders import load_table_version, mart_version
from ui.maps import bounds_of, render_map
from ui.messages import stop_on_missing
from ui.save_buttons import render_save_corrections
from ui.user_list import replacing_list
from ui.widgets import render_metric, render_table

LIMITS = UploadLimits(max_bytes=2 * 1024 * 1024, max_rows=5_000, max_columns=40)
PERCENT_COLUMNS = ("part_a_portee", "part_sans_fabrique", "part_trouvees")


def percent_columns(table: pd.DataFrame) -> dict:
    """Column configuration showing the shares of ``table`` (in [0, 1]) as percentages."""
    return {c: st.column_config.NumberColumn(c, format="percent") for c in PERCENT_COLUMNS if c in table.columns}


def _census_version() -> tuple[str, int]:
    try:
        return mart_version("tiers_lieux_2019")
    except MissingMartError as error:
        stop_on_missing(error)


@st.cache_resource(show_spinner="Projection des tiers-lieux…", max_entries=2)
def _census(version: tuple[str, int]) -> tuple[pd.DataFrame, ZonedPoints]:
    census = load_table_version(version)[CENSUS_VIEW_COLUMNS]
    return census, project_census(census)


def census_table() -> pd.DataFrame:
    """The 2019 census (the columns this page shows; no personal column is in the mart). Shared: read only."""
    return _census(_census_version())[0]


@st.cache_data(show_spinner="Calcul des liens…", max_entries=64)
def _network(points: pd.DataFrame, distance_m: float, version: tuple[str, int]) -> tuple[pd.DataFrame, np.ndarray]:
    census, projected = _census(version)
    return compute_hub_links(points, census, distance_m, projected), compute_nearest_hub(points, census, projected)


@dataclass(frozen=True)
class NetworkView:
    """The census places in scope (with ``distance_fabrique_m``), their links to the selected Fabriques,
    each Fabrique's reach, the places without a Fabrique and the counts by typology."""

    census: pd.DataFrame
    links: pd.DataFrame
    reach: pd.DataFrame
    without: pd.DataFrame
    by_typology: pd.DataFrame


def network_view(ctx: PageContext, distance_km: float) -> NetworkView:
    """The network of the selection at ``distance_km``: census places of the scope, hubs = the selection."""
    version = _census_version()
    points = ctx.fabriques[list(HUB_COLUMNS)].reset_index(drop=True)
    links, nearest = _network(points, float(distance_km) * 1000, version)
    census = ctx.scope.restrict(_census(version)[0].assign(distance_fabrique_m=nearest), "communes")
    links = restrict_links(links, census)
    return NetworkView(
        census,
        links,
        compute_reach(ctx.fabriques, census, links),
        compute_places_without_hub(census, links),
        compute_reach_by_typology(census, links),
    )


def render_network_metrics(view: NetworkView, distance_km: float) -> None:
    """The four key figures of the network, each with its definition, source and vintage."""
    reach = view.reach["tiers_lieux_a_portee"]
    note = f"Ici X = {format_number(distance_km)} km."
    share = format_percent(len(view.without) / len(view.census)) if len(view.census) else "n.d."
    c1, c2, c3, c4 = st.columns(4)
    render_metric(c1, "reseau_fabriques_reliees", format_number(int((reach > 0).sum())), note)
    render_metric(c2, "reseau_fabriques_isolees", format_number(int((reach == 0).sum())), note)
    render_metric(c3, "reseau_tiers_lieux", format_number(len(view.census)))
    render_metric(c4, "reseau_sans_fabrique", f"{format_number(len(view.without))} ({share})", note)


def render_network_map(ctx: PageContext, view: NetworkView, distance_km: float) -> None:
    """The map of the network; the links are drawn at the scale of a département (or a small scope)."""
    deps = ctx.scope.map_departements
    drawable = links_drawable(len(ctx.scope.departements), ctx.scope.national, len(view.links))
    reached = view.census[linked_mask(view.census, view.links)]
    lines = compute_link_lines(view.links, ctx.fabriques, view.census) if drawable else None
    listed = replacing_list()
    fmap = make_network_map(
        ctx.fabriques,
        reached,
        view.without,
        distance_km,
        lines,
        bounds_of("departements", deps) if deps else None,
        places_name=f"Liste importée « {listed.name} »" if listed else "Fabriques de Territoire",
    )
    render_map(fmap, 600, "reseau_carte")
    if not drawable:
        st.info(
            f"Les {format_number(len(view.links))} liens Fabrique → tiers-lieu sont tracés à l'échelle d'un "
            f"département : choisissez un seul département dans la barre latérale (ou un territoire qui en compte "
            f"au plus {format_number(LINKS_MAX)}).",
            icon=":material/map:",
        )
    st.caption(
        caption_for("fabriques", "tiers_lieux_2019")
        + " Points des Fabriques : centroïde de leur commune ; points des tiers-lieux : ceux du recensement. "
        + CENSUS_VINTAGE_NOTE
    )


def render_match_metrics(report: pd.DataFrame) -> None:
    """Fabriques found, to check and not found (the total line of the report)."""
    total = report.set_index("cohorte").loc["Total"]
    c1, c2, c3 = st.columns(3)
    render_metric(c1, "recensement_trouvees", format_number(int(total["trouvees"])))
    render_metric(c2, "recensement_a_verifier", format_number(int(total["a_verifier"])))
    render_metric(c3, "recensement_non_trouvees", format_number(int(total["non_trouvees"])))


@st.cache_resource(show_spinner="Rapprochement avec le recensement de 2019…", max_entries=2)
def _national_matches(fabriques: tuple[str, int], census: tuple[str, int]) -> pd.DataFrame:
    return compute_matches(load_table_version(fabriques), _census(census)[0])


def automatic_matches(ctx: PageContext) -> pd.DataFrame:
    """The automatic census match of the selection (the 382 Fabriques are matched once and shared)."""
    if ctx.from_list:
        return compute_matches(ctx.fabriques, census_table())
    national = _national_matches(mart_version("fabriques"), _census_version())
    return national[national["fabrique_id"].isin(ctx.fabriques["fabrique_id"]).to_numpy()].reset_index(drop=True)


@dataclass(frozen=True)
class StoredCorrections:
    """A corrected match table kept for the session: its display-safe file name, the places it was
    validated against (the Fabriques or a user's list) and the validation."""

    name: str
    places: str
    result: CorrectedMatches
    source: dict  # the file's name, size and sha256, and the blob of the table as read
    kept: bytes  # the table as read, without personal data (what « Enregistrer » keeps)


def _places_label() -> str:
    listed = replacing_list()
    return f"liste « {listed.name} »" if listed else "Fabriques"


def _render_validation(stored: StoredCorrections, description: str) -> None:
    result = stored.result
    c1, c2, c3 = st.columns(3)
    origin = f"Source : table corrigée fournie par l'utilisateur (« {stored.name} »)."
    c1.metric("Lignes lues", format_number(result.rows_in), help="Lignes de données du fichier. " + origin)
    c2.metric("Prises", format_number(len(result.taken)), help="Lignes qui remplacent le rapprochement. " + origin)
    c3.metric("Rejetées", format_number(len(result.rejected)), help="Lignes écartées, avec leur motif. " + origin)
    st.markdown(
        f"**En bref :** {format_number(result.rows_in)} lignes lues = {format_number(len(result.taken))} prises + "
        f"{format_number(len(result.rejected))} rejetées. Colonnes lues : fabrique_id, statut, tl_id"
        + (f" ; colonnes non lues : {', '.join(map(str, result.ignored))}" if result.ignored else "")
        + (f" ; données personnelles jamais lues : {', '.join(map(str, result.personal))}" if result.personal else "")
        + "."
    )
    if not result.rejected.empty:
        render_table(result.rejected, f"Lignes rejetées — {stored.name}", origin, "reseau_rejetees", description)


def _reopen_saved_corrections(ctx: PageContext) -> None:
    """A corrected table reopened from the workspace: validated again against the data of the moment."""
    opened = state.recall(state.NETWORK_CORRECTIONS_OPENED)
    if opened is None:
        return
    state.forget(state.NETWORK_CORRECTIONS_OPENED)
    title, payload, table, kept = opened
    try:
        result = validate_corrections(table, ctx.all_fabriques, census_table())
    except CorrectionTableError as error:
        st.error(f"Le rapprochement enregistré « {display_name(title)} » ne se valide plus : {error}")
        return
    name = display_name(payload["source"]["name"])
    state.remember(
        state.NETWORK_CORRECTIONS, StoredCorrections(name, payload["places"], result, payload["source"], kept)
    )
    st.info(
        f"Rapprochement corrigé « {display_name(title)} » rouvert depuis l'espace de travail, validé à nouveau sur les "
        f"données du moment : {format_number(len(result.taken))} lignes prises "
        f"({format_number(payload['rows_taken'])} à l'enregistrement).",
        icon=":material/folder_open:",
    )
    if payload["places"] != _places_label():
        st.warning(
            f"Ce rapprochement a été fait pour : {payload['places']} ; les lieux analysés sont : {_places_label()}. "
            "Il ne s'applique pas tant que ces lieux ne sont pas les mêmes."
        )


def render_corrections(ctx: PageContext, description: str) -> StoredCorrections | None:
    """The upload of a corrected match table; returns the corrections in force for these places."""
    label = _places_label()
    _reopen_saved_corrections(ctx)
    stored = state.recall(state.NETWORK_CORRECTIONS)
    with st.expander("Corriger le rapprochement (déposer la table corrigée)"):
        st.caption(
            "Téléchargez la table de rapprochement ci-dessous (CSV ou Excel), corrigez les colonnes « statut » "
            "(trouvée, à vérifier, non trouvée) et « tl_id » (identifiant du tiers-lieu recensé), puis déposez-la "
            "ici : ses lignes remplacent le rapprochement automatique pour cette session ; les Fabriques absentes "
            "de la table gardent le rapprochement automatique. « Enregistrer » la garde dans l'espace de travail "
            "(le fichier tel que lu, sans données personnelles) ; les liens de page ne la transmettent pas."
        )
        upload = None
        if allow_upload("de déposer une table corrigée"):
            upload = st.file_uploader("Table corrigée", type=["csv", "xlsx"], key="reseau_corrections_fichier")
        if upload is not None:
            try:
                table = read_upload(upload.getvalue(), upload.name, LIMITS)
                result = validate_corrections(table.frame, ctx.all_fabriques, census_table())
            except (UploadError, CorrectionTableError) as error:
                st.error(str(error), icon=":material/block:")
            else:
                name = display_name(upload.name)
                source, kept = file_source(name, upload.getvalue(), table.frame)
                stored = StoredCorrections(name, label, result, source, kept)
                state.remember(state.NETWORK_CORRECTIONS, stored)
                _render_validation(stored, description)
        elif isinstance(stored, StoredCorrections):
            st.info(f"Table corrigée en vigueur : « {stored.name} » ({len(stored.result.taken)} lignes prises).")
            st.button(
                "Revenir au rapprochement automatique",
                key="reseau_corrections_oublier",
                on_click=state.forget,
                args=(state.NETWORK_CORRECTIONS,),
            )
        if isinstance(stored, StoredCorrections) and stored.places == label:
            render_save_corrections(stored.places, len(stored.result.taken), stored.source, stored.kept, stored.name)
    return stored if isinstance(stored, StoredCorrections) and stored.places == label else None


def effective_matches(ctx: PageContext, stored: StoredCorrections | None) -> pd.DataFrame:
    """The selection's matches: automatic, with the corrected rows in place when a table is in force
    (the page says so)."""
    matches = automatic_matches(ctx)
    if stored is None:
        return matches
    matches = apply_corrections(matches, stored.result, census_table())
    corrected = int(matches["origine"].eq(ORIGIN_CORRECTED).sum())
    st.success(
        f"La table corrigée « {stored.name} » remplace le rapprochement automatique pour "
        f"{format_number(corrected)} Fabrique{'s' if corrected > 1 else ''} de la sélection (pour cette session).",
        icon=":material/edit:",
    )
    return matches
