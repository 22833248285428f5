"""« Enregistrer » where the work is made: a list, a Région Sud scenario, an eligibility batch, a
presentation; and what a page shows of a saved batch or presentation reopened from the workspace."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from core.domain.formatting import format_number
from core.domain.text import escape_markdown
from core.schemes.eligibility import Project, compute_verdict_counts
from core.uploads.lists import ValidatedList
from core.workspace.payloads import (
    compare_plans,
    file_source,
    make_batch_payload,
    make_corrections_payload,
    make_list_payload,
    make_planner_payload,
    make_presentation_payload,
    make_scenario_payload,
    make_view_payload,
)
from ui import state
from ui.user_list import mark_user_list_saved
from ui.widgets import render_table
from ui.workspace import render_save


def render_save_list(
    file_name: str,
    data: bytes,
    table: pd.DataFrame,
    mapping: dict[str, str],
    result: ValidatedList,
    mode: str,
    lines: list[int] | None = None,
) -> None:
    """Save the list shown (kept for the sidebar's « Enregistrer cette vue », which saves it first);
    ``lines`` are the file lines of the table's rows (kept to validate it again with the same numbers)."""

    def build() -> tuple[dict, list[bytes]]:
        source, kept = file_source(file_name, data, table)
        if lines is not None:
            source["lines"] = [int(n) for n in lines]
        payload = make_list_payload(
            file_name, mapping, result.accepted, result.rejected, result.rows_in, mode, source, result.personal_columns
        )
        return payload, [kept]

    state.remember(state.LAST_UPLOAD, build)
    render_save("list", file_name, build, "liste_enregistrer", on_saved=mark_user_list_saved)


def render_save_scenario(
    candidates: list[str],
    method: str,
    need: str | None,
    floor: int | None,
    cap: int | None,
    distance_km: int,
    envelope: int,
) -> None:
    """Save the simulator's scenario (it reproduces the same euros when reopened)."""

    def build() -> tuple[dict, list[bytes]]:
        return make_scenario_payload(candidates, method, need, floor, cap, distance_km, envelope), []

    render_save("region_sud", "Scénario Région Sud", build, "rs_enregistrer")


def _project_records(projects: list[Project]) -> pd.DataFrame:
    rows = []
    for project in projects:
        row = asdict(project)
        for key in ("services", "cofinanceurs"):
            row[key] = None if row[key] is None else ", ".join(sorted(row[key]))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(Project.__dataclass_fields__))


def render_save_batch(
    file_name: str, data: bytes, table: pd.DataFrame, projects: list[Project], verdicts: pd.DataFrame, dep: str
) -> None:
    """Save a batch of eligibility verdicts with the projects and the file as read."""

    def build() -> tuple[dict, list[bytes]]:
        source, kept = file_source(file_name, data, table)
        return make_batch_payload(_project_records(projects), verdicts, dep, source), [kept]

    render_save("eligibility", f"Lot {file_name}", build, "elig_enregistrer")


def render_saved_batch(description: str) -> None:
    """A batch reopened from the workspace: its verdicts as they were saved."""
    opened = state.recall(state.ELIGIBILITY_BATCH)
    if not opened:
        return
    title, payload = opened
    verdicts = pd.DataFrame(payload["verdicts"])
    st.header(f"Lot enregistré « {escape_markdown(title)} »")
    source = escape_markdown(payload["source"]["name"])
    st.caption(
        f"{format_number(len(payload['projects']))} projets du fichier « {source} », "
        f"verdicts tels qu'enregistrés (département du dispositif départemental : {payload['scheme_departement']})."
    )
    if not verdicts.empty:
        render_table(compute_verdict_counts(verdicts), "Verdicts par dispositif (lot)", "", "lot_comptes", description)
        render_table(verdicts, "Verdicts d'éligibilité (lot)", "", "lot_verdicts", description)
    st.button("Fermer le lot enregistré", key="lot_fermer", on_click=state.forget, args=(state.ELIGIBILITY_BATCH,))


def render_save_presentation(titles: list[str], notes: list[str]) -> None:
    """Save the deck as it is: each slide a view (this page, these filters, its position), with notes."""

    def build() -> tuple[dict, list[bytes]]:
        params = {k: v for k, v in state.url_params().items() if k != "diapo"}
        slides = [
            (title, make_view_payload("presentation", {**params, "diapo": str(i + 1)}), note)
            for i, (title, note) in enumerate(zip(titles, notes, strict=True))
        ]
        return make_presentation_payload(slides), []

    render_save("presentation", "Présentation", build, "deck_enregistrer")


def render_save_corrections(places: str, rows_taken: int, source: dict, kept: bytes, file_name: str) -> None:
    """Save the corrected census match table in force (the table as read, validated again when reopened)."""
    render_save(
        "network",
        f"Rapprochement {file_name}",
        lambda: (make_corrections_payload(places, rows_taken, source), [kept]),
        "reseau_enregistrer",
    )


def render_save_plan(sites: list[str], method: str, value: float, bound: float) -> None:
    """Save the next-wave scenario: the page's parameters and the plan shown."""

    def build() -> tuple[dict, list[bytes]]:
        view = make_view_payload("prochaine_vague", state.url_params())
        return make_planner_payload(view, sites, method, value, bound), []

    render_save("planner", "Scénario de prochaine vague", build, "plan_enregistrer")


def render_saved_plan(sites: list[str], value: float) -> None:
    """A scenario reopened from the workspace: does the plan recomputed now match the saved one?"""
    opened = state.recall(state.SAVED_PLAN)
    if not opened:
        return
    title, payload = opened
    st.info(f"Scénario enregistré « {escape_markdown(title)} » : {compare_plans(payload, sites, value)}")
    st.button("Fermer le scénario enregistré", key="plan_fermer", on_click=state.forget, args=(state.SAVED_PLAN,))
