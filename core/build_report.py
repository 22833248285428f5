"""Tables drawn from the ETL's ``_report.json`` for the Données et méthodes page."""

from __future__ import annotations

import pandas as pd

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
