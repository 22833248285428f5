"""The workspace store on SQLite and on a real PostgreSQL: every operation, versions, conflicts,
damaged rows, limits, the trash, migrations, and a process killed while saving."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.workspace.items import (
    ConflictError,
    DamagedItemError,
    InvalidItemError,
    ItemNotFound,
    LimitError,
    WorkspaceUnavailable,
)
from core.workspace.migrations_runner import current_revision
from core.workspace.store import Limits, open_store, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
VIEW = {"page": "carte", "params": {"dep": "29", "echelle": "communes"}}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """The same tests on the embedded default and on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "data" / "espace.sqlite")
    return request.getfixturevalue("pg_database")


@pytest.fixture
def store(url):
    store = open_store(url)
    yield store
    store.engine.dispose()


def test_save_list_open_rename_duplicate_delete_restore(store):
    saved = store.save("ana", "view", "  Carte du Finistère ", "par commune", VIEW)
    assert (saved.version, saved.title, saved.owner, saved.shared) == (1, "Carte du Finistère", "ana", False)
    assert [i.id for i in store.list_items("ana")] == [saved.id]
    assert store.open("ana", saved.id).payload == VIEW
    renamed = store.rename("ana", saved.id, "Finistère", "note")
    assert (renamed.version, renamed.title) == (2, "Finistère")
    copy = store.duplicate("ana", saved.id)
    assert copy.id != saved.id and copy.title == "Finistère (copie)" and store.open("ana", copy.id).payload == VIEW
    store.delete("ana", saved.id)
    assert [i.id for i in store.list_items("ana")] == [copy.id]
    assert [i.id for i in store.list_items("ana", deleted=True)] == [saved.id]
    with pytest.raises(ItemNotFound):
        store.open("ana", saved.id)
    store.restore("ana", saved.id)
    assert {i.id for i in store.list_items("ana")} == {saved.id, copy.id}
    actions = [e["action"] for e in store.audit_log(item_id=saved.id)]
    assert actions[::-1][:2] == ["création", "ouverture"] and "suppression" in actions and "restauration" in actions


def test_items_are_private_until_shared(store):
    mine = store.save("ana", "view", "Vue d'Ana", "", VIEW)
    with pytest.raises(ItemNotFound, match="pas partagé"):
        store.open("bob", mine.id)
    assert store.list_items("bob") == []
    store.share("ana", mine.id, True)
    assert store.open("bob", mine.id).payload == VIEW
    with pytest.raises(ItemNotFound, match="appartient à ana"):
        store.save("bob", "view", "x", "", VIEW, item_id=mine.id)
    with pytest.raises(ItemNotFound):
        store.delete("bob", mine.id)
    store.delete("bob", mine.id, admin=True)  # an admin manages others' items
    assert store.list_items("ana") == []


def test_saving_over_keeps_previous_versions_restorable(store):
    item = store.save("ana", "view", "v1", "", {"page": "carte", "params": {"v": "1"}})
    for n in range(2, 14):
        store.save("ana", "view", f"v{n}", "", {"page": "carte", "params": {"v": str(n)}}, item_id=item.id)
    versions = store.versions("ana", item.id)
    assert [v["version"] for v in versions] == list(range(12, 0, -1))  # at least 10 kept
    restored = store.restore_version("ana", item.id, 3)
    assert restored.version == 14 and restored.title == "v3"
    assert store.open("ana", item.id).payload["params"] == {"v": "3"}


def test_a_second_session_saving_the_same_item_gets_a_conflict_not_an_overwrite(store):
    item = store.save("ana", "view", "Vue", "", VIEW)
    first, second = item.version, item.version  # two sessions opened version 1
    store.save(
        "ana", "view", "Vue (session 1)", "", {**VIEW, "params": {"dep": "22"}}, item_id=item.id, expected_version=first
    )
    with pytest.raises(ConflictError) as raised:
        store.save("bob", "view", "Vue (session 2)", "", VIEW, item_id=item.id, expected_version=second, admin=True)
    assert raised.value.current.title == "Vue (session 1)" and raised.value.current.version == 2
    assert "version 2" in str(raised.value) and "version 1" in str(raised.value)
    assert store.open("ana", item.id).payload["params"] == {"dep": "22"}  # nothing written by session 2


def test_a_damaged_row_fails_for_that_item_alone(store):
    good = store.save("ana", "view", "Bonne", "", VIEW)
    bad = store.save("ana", "view", "Abîmée", "", VIEW)
    bad = store.save("ana", "view", "Abîmée", "", {**VIEW, "params": {"v": "2"}}, item_id=bad.id)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE items SET payload = :p WHERE id = :i"), {"p": '{"params": 3}', "i": bad.id})
    with pytest.raises(DamagedItemError, match=r"Abîmée.*endommagé"):
        store.open("ana", bad.id)
    assert store.open("ana", good.id).payload == VIEW
    assert {i.title for i in store.list_items("ana")} == {"Bonne", "Abîmée"}
    store.restore_version("ana", bad.id, 1)  # a previous version repairs it
    assert store.open("ana", bad.id).payload == VIEW


def test_invalid_items_and_limits_are_refused_with_a_message(url):
    store = open_store(url, Limits(max_item_bytes=2_000, max_items_per_user=2))
    with pytest.raises(InvalidItemError, match="titre"):
        store.save("ana", "view", "   ", "", VIEW)
    with pytest.raises(InvalidItemError, match="page manquante"):
        store.save("ana", "view", "x", "", {"params": {}})
    with pytest.raises(LimitError, match="Mo"):
        store.save("ana", "view", "lourde", "", {"page": "carte", "params": {"x": "y" * 5_000}})
    store.save("ana", "view", "a", "", VIEW)
    store.save("ana", "view", "b", "", VIEW)
    with pytest.raises(LimitError, match="2 éléments"):
        store.save("ana", "view", "c", "", VIEW)
    store.save("bob", "view", "c", "", VIEW)  # the limit is per user
    store.engine.dispose()


def test_files_are_stored_once_and_read_back(store):
    content = b"nom;insee\nLieu;01001\n"
    sha = hashlib.sha256(content).hexdigest()
    payload = {"page": "carte", "params": {"fichier": sha}}
    store.save("ana", "view", "a", "", payload, files=[content])
    store.save("ana", "view", "b", "", payload, files=[content])
    assert store.blob(sha) == content
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM blobs")).scalar() == 1


def test_the_trash_is_emptied_after_thirty_days(store):
    item = store.save("ana", "view", "vieille", "", VIEW)
    store.delete("ana", item.id)
    assert store.purge_trash() == 0
    assert store.purge_trash(now=store.list_items("ana", deleted=True)[0].deleted_at + timedelta(days=31)) == 1
    assert store.list_items("ana", deleted=True) == []


def test_migrations_are_applied_once_on_first_use(url):
    first = open_store(url)
    first.save("ana", "view", "a", "", VIEW)
    second = open_store(url)  # a second process: the schema is already there, nothing lost
    with second.engine.connect() as conn:
        assert current_revision(conn) == "0001_workspace"
    assert len(second.list_items("ana")) == 1
    first.engine.dispose()
    second.engine.dispose()


def test_a_database_that_cannot_be_opened_says_so(tmp_path):
    blocked = tmp_path / "fichier"
    blocked.write_text("x")  # a file where the data folder should be
    with pytest.raises(WorkspaceUnavailable, match="FABT_DATABASE_URL"):
        open_store(sqlite_url(blocked / "espace.sqlite"))
    with pytest.raises(WorkspaceUnavailable, match="pages d'analyse restent utilisables"):
        open_store("postgresql+psycopg://postgres@/nulle?host=/nonexistent&connect_timeout=2")


# A child process saves items in a loop, each with a checksum of its own content, until killed.
SAVER = """
import hashlib, json, sys
from core.workspace.store import open_store
store = open_store(sys.argv[1])
n = 0
while True:
    rows = [{"ligne": i, "nom": f"Lieu {n}-{i}"} for i in range(4000)]
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    store.save("ana", "view", f"item {n}", digest, {"page": "carte", "params": {"rows": json.dumps(rows)}})
    n += 1
    print(n, flush=True)
"""


def test_a_process_killed_while_saving_leaves_items_whole_or_absent(url):
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER, url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        while int(child.stdout.readline() or 0) < 3:  # a few saves done, one in flight
            pass
        time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    store = open_store(url)
    saved = store.list_items("ana")
    assert len(saved) >= 3
    for summary in saved:
        rows = store.open("ana", summary.id).payload["params"]["rows"]
        assert hashlib.sha256(rows.encode()).hexdigest() == summary.note  # whole, never half
        assert len(json.loads(rows)) == 4000
    store.engine.dispose()


def test_a_corrected_match_table_needs_its_places_count_and_file():
    from core.workspace.items import check_payload

    source = {"name": "corrigee.csv", "size": 40, "sha256": "ab", "blob": "cd"}
    check_payload("network", {"places": "Fabriques", "rows_taken": 2, "source": source})
    with pytest.raises(InvalidItemError, match="lignes prises"):
        check_payload("network", {"places": "Fabriques", "rows_taken": "2", "source": source})
    with pytest.raises(InvalidItemError, match="« blob » manquant"):
        check_payload(
            "network", {"places": "Fabriques", "rows_taken": 2, "source": {"name": "x.csv", "size": 1, "sha256": "ab"}}
        )
