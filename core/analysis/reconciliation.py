"""The official programme figures beside what the open data shows, with the reason of each gap."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.analysis.coverage import compute_arrondissements_without
from core.analysis.key_figures import compute_estimated_funding, compute_funding_sources
from core.domain.classifications import COHORT_2020_2021, COHORT_2023
from core.domain.formatting import format_euros, format_number

REFERENCE_FILE = Path(__file__).resolve().parents[1] / "reference" / "chiffres_officiels.csv"


def load_reference_figures(path: Path = REFERENCE_FILE) -> pd.DataFrame:
    """The official figures the dashboard reconciles (each with its source URL and date)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _funding_value(fab: pd.DataFrame, estimate_why: str) -> tuple[str, str]:
    """Total funding of ``fab`` labelled by where its amounts come from, and the explanation."""
    total = format_euros(float(compute_estimated_funding(fab).sum()))
    sources = compute_funding_sources(fab)
    if sources["cas"] == "fichier":
        return f"{total} (fichier détaillé)", "Somme des montants du fichier détaillé fourni à la construction."
    if sources["cas"] == "mixte":
        return (
            f"{total} (fichier détaillé ; {format_number(sources['estimation'])} montants estimés)",
            f"Montants du fichier détaillé pour {format_number(sources['fichier'])} Fabriques, estimation "
            f"pour les {format_number(sources['estimation'])} autres. {estimate_why}",
        )
    return f"{total} (estimation)", estimate_why


def _known(fab: pd.DataFrame, column: str) -> pd.Series:
    """The values of a detailed-file column that are known (empty when the mart predates it)."""
    return fab[column].dropna() if column in fab.columns else pd.Series(dtype=object)


def _open_data_values(fab: pd.DataFrame, arrondissements: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """The open-data value and its explanation, by comparison key of the reference file."""
    first = fab[fab["cohort"] == COHORT_2020_2021]
    n_first, n_2023 = len(first), int((fab["cohort"] == COHORT_2023).sum())
    in_qpv = int(first["dans_qpv"].fillna(False).sum())
    near = int(first["distance_qpv_m"].le(500).sum())
    commune_qpv = int(first["commune_qpv"].fillna(False).sum())
    outside_big = int(first["densite_niveau"].ne(1).fillna(False).sum())
    rural = int(first["rural_insee"].astype("boolean").fillna(False).sum())
    without = len(compute_arrondissements_without(arrondissements, fab, (COHORT_2020_2021,)))
    fnum = format_number
    amounts = (
        pd.to_numeric(first["montant"], errors="coerce").dropna() if "montant" in first else pd.Series(dtype=float)
    )
    fnt = _known(first, "fnt")
    waves = _known(first, "vague")
    table = {
        "budget": _funding_value(
            first,
            "Montants par lieu non publiés : estimation = 300 × 150 000 € (plafond de 50 000 € par an "
            "sur trois ans), égale au budget annoncé par construction.",
        ),
        "cohorte_2020_2021": (fnum(n_first), "Identifiants 1 à 300 de la liste ANCT."),
        "vagues": (
            (
                f"{waves.nunique()} vagues identifiables",
                f"Vague connue pour {fnum(len(waves))} Fabriques 2020-2021 (fichier détaillé, et identifiants "
                "1 à 80 pour la vague 1).",
            )
            if waves.gt(1).any()
            else (
                "1 vague identifiable",
                "Seule la vague 1 (identifiants 1 à 80) se repère dans les données "
                "ouvertes ; les vagues 2 à 8 ne s'y distinguent pas.",
            )
        ),
        "montant": (
            (
                f"{format_euros(amounts.min())} – {format_euros(amounts.max())} (fichier détaillé)",
                f"Montants du fichier détaillé, connus pour {fnum(len(amounts))} Fabriques 2020-2021.",
            )
            if len(amounts)
            else ("inconnu par lieu", "Les montants attribués à chaque Fabrique ne sont pas publiés.")
        ),
        "cible_qpv": (
            f"{fnum(in_qpv)} dans un QPV · {fnum(near)} à moins de 500 m · {fnum(commune_qpv)} "
            "dans une commune avec QPV",
            "Points = centroïdes des communes, pas les adresses ; géographie QPV 2024 (la sélection "
            "s'est faite sur celle de 2015). Le point sous-estime donc fortement la présence en QPV.",
        ),
        "cible_rural": (
            f"{fnum(outside_big)} hors grands centres urbains · {fnum(rural)} en commune rurale (INSEE)",
            "Grille de densité 2025 : « hors grands centres urbains » = niveaux 2 à 7 ; rural = 5 à 7.",
        ),
        "fnt": (
            (
                f"{fnum(int(fnt.astype(bool).sum()))} (fichier détaillé)",
                f"Statut FNT du fichier détaillé, connu pour {fnum(len(fnt))} Fabriques 2020-2021.",
            )
            if len(fnt)
            else ("inconnu", "Le statut FNT n'est pas dans les données ouvertes.")
        ),
        "vague_1": (fnum(int((fab["wave"] == 1).sum())), "Identifiants 1 à 80."),
        "cumul_vague_3": (
            "non vérifiable",
            "Les vagues 2 et 3 ne se distinguent pas dans les données ouvertes.",
        ),
        "cohorte_2023": (fnum(n_2023), "Identifiants 301 à 382."),
        "arrondissements_eligibles": (
            f"{fnum(without)} arrondissements sans Fabrique 2020-2021",
            "Calcul sur les arrondissements du COG 2026 et les communes des Fabriques "
            "ramenées au COG 2026 ; l'appel de 2023 s'appuyait sur la carte de 2023.",
        ),
        "montant_2023": _funding_value(fab[fab["cohort"] == COHORT_2023], "Estimation = 82 × 50 000 €."),
    }
    return table


def format_reference_value(value: str, unit: str) -> str:
    """``45000000`` € → ``45 000 000 €``; ``75000-150000`` € → ``75 000 – 150 000 €``; ``300`` lieux."""
    parts = value.split("-")
    if all(p.strip().isdigit() for p in parts):
        text = " – ".join(format_number(float(p)) for p in parts)
        return f"{text}\u00a0{unit}" if unit else text
    return f"{value} {unit}".strip()


def compute_reconciliation(
    reference: pd.DataFrame, fabriques: pd.DataFrame, arrondissements: pd.DataFrame
) -> pd.DataFrame:
    """One row per official figure: its value and source, the open-data value, the explanation.

    ``fabriques`` must be the whole list (the official figures are national).
    """
    rows = []
    values = _open_data_values(fabriques, arrondissements)
    for _, ref in reference.iterrows():
        official = format_reference_value(ref["valeur"], ref["unite"])
        open_value, why = values.get(ref["comparaison"], ("n.d.", ""))
        rows.append(
            {
                "indicateur": ref["indicateur"],
                "chiffre officiel": official.strip(),
                "données ouvertes": open_value,
                "explication de l'écart": why,
                "source": f"{ref['source_editeur']} ({ref['date']})",
                "url": ref["source_url"],
            }
        )
    return pd.DataFrame(rows)
