"""Tables drawn from the ETL's ``_report.json`` for the Données et méthodes page: sources, rows,
events, marts, and the merge of the detailed Fabriques file."""

from __future__ import annotations

import pandas as pd

from core.domain.formatting import format_euros, format_number

KIND_LABELS = {"dropped": "écartées", "remapped": "recodées", "repaired": "réparées", "missing": "absentes"}


def compute_sources_table(report: dict) -> pd.DataFrame:
    """One row per source: publisher, vintage, licence, files, URL and short checksum."""
    rows = []
    for source_id, info in report.get("sources", {}).items():
        files = info.get("files", [])
        rows.append(
            {
                "source": source_id,
                "producteur": info.get("publisher", ""),
                "millésime": info.get("vintage", ""),
                "licence": info.get("licence", ""),
                "fichiers": len(files),
                "url": files[0]["url"] if files else "",
                "sha256": (files[0]["sha256"][:16] + "…") if len(files) == 1 else f"{len(files)} sommes",
                "description": info.get("description", ""),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["source", "producteur", "millésime", "licence", "fichiers", "url", "sha256", "description"],
    )


def compute_staging_table(report: dict) -> pd.DataFrame:
    """One row per staging step: rows in, rows out and rows dropped."""
    rows = []
    for source_id, info in report.get("sources", {}).items():
        for step in info.get("staging", []):
            dropped = sum(e["count"] for e in step["events"] if e["kind"] == "dropped")
            rows.append(
                {
                    "source": source_id,
                    "étape": step["step"],
                    "lignes lues": step["rows_in"],
                    "lignes produites": step["rows_out"],
                    "lignes écartées": dropped,
                }
            )
    return pd.DataFrame(rows, columns=["source", "étape", "lignes lues", "lignes produites", "lignes écartées"])


def compute_events_table(report: dict) -> pd.DataFrame:
    """Every drop, remap or repair with its reason, count and a few examples."""
    rows = []
    for source_id, info in report.get("sources", {}).items():
        for step in info.get("staging", []):
            for event in step["events"]:
                rows.append(
                    {
                        "source": source_id,
                        "étape": step["step"],
                        "type": KIND_LABELS.get(event["kind"], event["kind"]),
                        "motif": event["reason"],
                        "lignes": event["count"],
                        "exemples": ", ".join(event.get("examples", [])),
                    }
                )
    return pd.DataFrame(rows, columns=["source", "étape", "type", "motif", "lignes", "exemples"])


def compute_marts_table(report: dict) -> pd.DataFrame:
    """One row per mart with its row and column counts."""
    return pd.DataFrame(
        [
            {"table": n, "lignes": m["rows"], "colonnes": len(m.get("columns", []))}
            for n, m in report.get("marts", {}).items()
        ],
        columns=["table", "lignes", "colonnes"],
    )


FIELD_LABELS = {
    "fabrique_id": "identifiant",
    "nom": "nom",
    "vague": "vague",
    "montant": "montant",
    "adresse": "adresse",
    "fnt": "statut FNT",
    "insee": "code INSEE",
}


def compute_detail_summary(merge: dict) -> pd.DataFrame:
    """What the merge did, one line per fact: file, checksum, rows read, merged, refused…

    Parameters
    ----------
    merge : dict
        ``report["fabriques_detail"]`` as written by the ETL.

    Returns
    -------
    DataFrame
        ``élément, valeur`` (text).
    """
    fields = merge.get("fields", {})
    columns = merge.get("columns", {})
    read = columns.get("lues", {})
    reading = merge.get("reading", {})
    how = ", ".join(
        v
        for v in (
            reading.get("format", ""),
            reading.get("encodage", ""),
            f"séparateur « {reading['séparateur']} »" if reading.get("séparateur") else "",
            *reading.get("remarques", []),
        )
        if v
    )
    rows = [
        ("Fichier", merge.get("file", "")),
        ("Lecture", how),
        ("Somme de contrôle (sha256)", merge.get("sha256", "")),
        ("Lignes lues", format_number(merge.get("rows_read"))),
        ("Lignes fusionnées", format_number(merge.get("merged"))),
        ("Lignes rejetées", format_number(merge.get("rejected"))),
        ("Lignes à identifiant inconnu de la liste ouverte", format_number(merge.get("unknown_ids"))),
        ("Désaccords sur la vague", format_number(len(merge.get("wave_disagreements", [])))),
        ("Désaccords sur la commune", format_number(len(merge.get("commune_disagreements", [])))),
        (
            "Montants lus (total)",
            f"{format_number(fields.get('montant'))} ({format_euros(merge.get('montant_total'))})",
        ),
        ("Vagues lues", format_number(fields.get("vague"))),
        ("Adresses lues", format_number(fields.get("adresse"))),
        ("Statuts FNT lus", format_number(fields.get("fnt"))),
        (
            "Colonnes lues",
            ", ".join(f"{col} → {FIELD_LABELS.get(role, role)}" for role, col in read.items()),
        ),
        ("Colonnes personnelles non lues", ", ".join(columns.get("personnelles", [])) or "aucune"),
        ("Colonnes non reconnues, non lues", ", ".join(columns.get("ignorées", [])) or "aucune"),
    ]
    return pd.DataFrame(rows, columns=["élément", "valeur"])


def compute_detail_refusals(merge: dict) -> pd.DataFrame:
    """Rows of the file that were not merged, with the reason.

    Returns
    -------
    DataFrame
        ``ligne, identifiant, statut, motif`` sorted by line.
    """
    rows = [{**r, "statut": "rejetée"} for r in merge.get("rejected_rows", [])]
    rows += [{**r, "statut": "identifiant inconnu"} for r in merge.get("unknown_rows", [])]
    out = pd.DataFrame(rows, columns=["ligne", "identifiant", "statut", "motif"])
    return out.sort_values("ligne", ignore_index=True)


def compute_detail_disagreements(merge: dict) -> pd.DataFrame:
    """Merged rows where the file contradicts the open list, and what was kept.

    Returns
    -------
    DataFrame
        ``sujet, fabrique_id, ligne, fichier, retenu, motif``.
    """
    rows = [
        {
            "sujet": "vague",
            "fabrique_id": d["fabrique_id"],
            "ligne": d["ligne"],
            "fichier": str(d["vague_fichier"]),
            "retenu": "inconnue" if d.get("vague_retenue") is None else str(d["vague_retenue"]),
            "motif": f"vagues possibles pour cet identifiant : {d['vagues_possibles']}",
        }
        for d in merge.get("wave_disagreements", [])
    ]
    rows += [
        {
            "sujet": "commune",
            "fabrique_id": d["fabrique_id"],
            "ligne": d["ligne"],
            "fichier": d["insee_fichier"] or "",
            "retenu": d["insee_liste"] or "",
            "motif": d["motif"],
        }
        for d in merge.get("commune_disagreements", [])
    ]
    return pd.DataFrame(rows, columns=["sujet", "fabrique_id", "ligne", "fichier", "retenu", "motif"])
