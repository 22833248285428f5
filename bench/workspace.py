"""Workspace benchmark: saving and opening a 20,000-row list, listing 10,000 items — on SQLite and on a
throwaway PostgreSQL (``…_pg``), side by side in one run.

The rows are SYNTHETIC (generated names and codes, labelled so), made in memory for the measure.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from core.workspace.payloads import file_source, make_list_payload
from core.workspace.store import open_store, sqlite_url
from core.workspace.tables import items
from ops.ports import free_port
from ops.postgres import PostgresUnavailable, postgres_bindir, start_cluster, temporary_root

ROWS = 20_000
ITEMS = 10_000
USER = "banc d'essai"


def synthetic_list(rows: int = ROWS) -> tuple[dict, list[bytes]]:
    """A list payload of ``rows`` SYNTHETIC validated rows (and its file as read)."""
    accepted = pd.DataFrame(
        {
            "ligne": range(2, rows + 2),
            "nom": [f"Lieu synthétique {i}" for i in range(rows)],
            "identifiant": [f"S{i}" for i in range(rows)],
            "insee_com": [f"{1001 + i % 900:05d}" for i in range(rows)],
            "longitude": [2.0 + (i % 100) / 100 for i in range(rows)],
            "latitude": [46.0 + (i % 100) / 100 for i in range(rows)],
            "montant": [50_000.0] * rows,
            "date": [None] * rows,
            "vague": [""] * rows,
            "adresse": [f"{i} rue synthétique" for i in range(rows)],
            "fnt": [None] * rows,
            "remarques": [""] * rows,
        }
    )
    table = accepted[["nom", "insee_com", "montant"]].astype(str)
    original = table.to_csv(index=False, sep=";").encode()
    source, kept = file_source("synthetique.csv", original, table)
    rejected = pd.DataFrame(columns=["ligne", "nom", "insee_com", "montant", "motif"])
    payload = make_list_payload("synthetique.csv", {"nom": "nom"}, accepted, rejected, rows, "couche", source, [])
    return payload, [kept]


def _insert_views(store, count: int) -> None:
    """``count`` small saved views written in one transaction (the listing is measured, not this)."""
    now = datetime.now(UTC)
    rows = [
        dict(
            id=uuid.uuid4().hex,
            kind="view",
            title=f"Vue {i}",
            note="",
            owner=USER,
            shared=False,
            created_at=now,
            updated_at=now,
            updated_by=USER,
            version=1,
            deleted_at=None,
            size_bytes=40,
            payload='{"page":"carte","params":{"dep":"29"}}',
        )
        for i in range(count)
    ]
    with store.engine.begin() as conn:
        conn.execute(items.insert(), rows)


def _best(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def measure_store(url: str, suffix: str) -> dict[str, float]:
    """The three figures on the database at ``url`` (emptied of nothing: use a fresh one)."""
    store = open_store(url)
    payload, files = synthetic_list()
    saved = []
    figures = {
        f"workspace_save_20k_rows_s{suffix}": _best(
            lambda: saved.append(store.save(USER, "list", "Liste", "", payload, files=files))
        )
    }
    item_id = saved[-1].id
    figures[f"workspace_open_20k_rows_s{suffix}"] = _best(lambda: store.open(USER, item_id))
    _insert_views(store, ITEMS - len(saved))
    listing = [_best(lambda: store.list_items(USER)) * 1000 for _ in range(3)]
    figures[f"workspace_list_10k_items_ms{suffix}"] = statistics.median(listing)
    count = len(store.list_items(USER))
    store.engine.dispose()
    print(
        f"{'workspace' + suffix:14s} save 20k rows {figures[f'workspace_save_20k_rows_s{suffix}']:.3f} s, "
        f"open {figures[f'workspace_open_20k_rows_s{suffix}']:.3f} s, list {count} items "
        f"{figures[f'workspace_list_10k_items_ms{suffix}']:.0f} ms"
    )
    return figures


def measure_workspace() -> dict[str, float]:
    """The workspace figures on SQLite, then on PostgreSQL when it is installed (aims: save and open
    ≤ 1 s, list ≤ 200 ms)."""
    print(f"SYNTHETIC list of {ROWS:,} rows; {ITEMS:,} items listed")
    folder = Path(tempfile.mkdtemp(prefix="fabt-bench-espace-"))
    try:
        figures = measure_store(sqlite_url(folder / "espace.sqlite"), "")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if postgres_bindir() is None:
        print("PostgreSQL not installed: the _pg figures are not measured (bash scripts/setup.sh installs it)")
        return figures
    root = temporary_root("fabt-bench-pg-")
    try:
        cluster = start_cluster(root, port=free_port())
        try:
            figures |= measure_store(cluster.create_database("banc"), "_pg")
        finally:
            cluster.stop()
    except PostgresUnavailable as error:
        print(f"PostgreSQL did not start: {error}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return figures
