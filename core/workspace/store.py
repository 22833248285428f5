"""The workspace store: save, list, open, rename, duplicate, delete, share — one small interface over
SQLite (the embedded default, a file in ``data/``) or PostgreSQL, chosen by one URL.

Every save is one transaction: a process killed during it leaves the item whole or absent. Saving
over an item keeps its previous version (restorable); a save based on a version that is no longer
the current one is refused with :class:`~core.workspace.items.ConflictError` — never a silent
overwrite. Deleted items stay recoverable for :attr:`Limits.trash_days` days.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from core.domain.formatting import format_number
from core.workspace.items import (
    KINDS,
    ConflictError,
    DamagedItemError,
    InvalidItemError,
    Item,
    ItemNotFound,
    ItemSummary,
    LimitError,
    WorkspaceError,
    WorkspaceUnavailable,
    check_payload,
    check_text,
)
from core.workspace.migrations_runner import upgrade
from core.workspace.tables import audit, blobs, item_versions, items

SUMMARY_COLUMNS = [
    items.c[name]
    for name in (
        "id",
        "kind",
        "title",
        "note",
        "owner",
        "shared",
        "created_at",
        "updated_at",
        "updated_by",
        "version",
        "deleted_at",
        "size_bytes",
    )
]


@dataclass(frozen=True)
class Limits:
    """What the store accepts at most, and how long it keeps what it keeps."""

    max_item_bytes: int = 40 * 1024 * 1024
    max_items_per_user: int = 5_000
    keep_versions: int = 20
    trash_days: int = 30


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime | str | None) -> datetime | None:
    """A stored time as an aware datetime: SQLite gives back naive ones (or their text, see
    :meth:`WorkspaceStore._listing_columns`), written in UTC."""
    if isinstance(value, str):
        return datetime.fromisoformat(value if "+" in value[10:] else value + "+00:00")
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _summary(row) -> ItemSummary:
    """An :class:`ItemSummary` from a row of :data:`SUMMARY_COLUMNS` (positional: listing 10,000 items
    must stay well under 200 ms)."""
    (item_id, kind, title, note, owner, shared, created, updated, updated_by, version, deleted, size) = row[:12]
    return ItemSummary(
        item_id,
        kind,
        title,
        note,
        owner,
        bool(shared),
        _aware(created),
        _aware(updated),
        updated_by,
        int(version),
        int(size),
        _aware(deleted),
    )


def sha256_of(data: bytes) -> str:
    """The hex sha256 of ``data`` (the key of a blob)."""
    return hashlib.sha256(data).hexdigest()


def describe_size(size: int) -> str:
    """« 1,5 Mo » (French)."""
    return f"{format_number(size / 1_048_576, 1)} Mo"


class WorkspaceStore:
    """Saved work of the users of one deployment (see the module docstring).

    Parameters
    ----------
    engine : Engine
        An SQLAlchemy engine on SQLite or PostgreSQL, already migrated (use :func:`open_store`).
    limits : Limits
    """

    def __init__(self, engine: Engine, limits: Limits | None = None):
        self.engine = engine
        self.limits = limits or Limits()

    # -------------------------------------------------------------- reading
    def list_items(
        self, user: str, kind: str | None = None, *, deleted: bool = False, admin: bool = False
    ) -> list[ItemSummary]:
        """The items ``user`` can see (own and shared with the team; every item for an ``admin``),
        most recently updated first; ``deleted`` lists the trash instead."""
        query = sa.select(*self._listing_columns())
        query = query.where(items.c.deleted_at.is_not(None) if deleted else items.c.deleted_at.is_(None))
        if not admin:
            visible = items.c.owner == user
            query = query.where(visible if deleted else sa.or_(visible, items.c.shared.is_(True)))
        if kind is not None:
            query = query.where(items.c.kind == kind)
        with self._connect() as conn:
            rows = conn.execute(query.order_by(items.c.updated_at.desc(), items.c.id)).all()
        return [_summary(r) for r in rows]

    def open(self, user: str, item_id: str, *, admin: bool = False) -> Item:
        """The item with its payload, checked against its kind's schema (recorded in the audit log).

        Raises
        ------
        ItemNotFound
            No such item, deleted, or not visible to ``user``.
        DamagedItemError
            Its stored payload is not of its kind's shape (this item alone is affected).
        """
        with self.engine.begin() as conn:
            row = self._row(conn, item_id, user, admin, write=False)
            self._audit(conn, user, "ouverture", item_id)
        summary = _summary(row)
        try:
            payload = json.loads(row._mapping["payload"])
            check_payload(summary.kind, payload)
        except (ValueError, InvalidItemError) as error:
            raise DamagedItemError(
                f"L'élément « {summary.title} » est endommagé et ne peut pas être ouvert ({error}). Les autres "
                "éléments ne sont pas touchés ; restaurez une version précédente depuis « Mon espace »."
            ) from error
        return Item(summary, payload)

    def blob(self, sha256: str) -> bytes:
        """The content stored under ``sha256``."""
        with self._connect() as conn:
            data = conn.execute(sa.select(blobs.c.data).where(blobs.c.sha256 == sha256)).scalar()
        if data is None:
            raise ItemNotFound(f"Contenu {sha256[:12]}… absent de l'espace de travail.")
        return bytes(data)

    def versions(self, user: str, item_id: str, *, admin: bool = False) -> list[dict]:
        """The previous versions of an item, newest first: ``version, title, saved_at, saved_by``."""
        with self._connect() as conn:
            self._row(conn, item_id, user, admin, write=False)
            rows = conn.execute(
                sa.select(
                    item_versions.c.version, item_versions.c.title, item_versions.c.saved_at, item_versions.c.saved_by
                )
                .where(item_versions.c.item_id == item_id)
                .order_by(item_versions.c.version.desc())
            ).all()
        return [{**r._mapping, "saved_at": _aware(r._mapping["saved_at"])} for r in rows]

    def audit_log(self, limit: int = 200, item_id: str | None = None) -> list[dict]:
        """The latest entries of the audit log: ``at, user, action, item_id, detail``."""
        query = sa.select(audit.c.at, audit.c.user, audit.c.action, audit.c.item_id, audit.c.detail)
        if item_id:
            query = query.where(audit.c.item_id == item_id)
        with self._connect() as conn:
            rows = conn.execute(query.order_by(audit.c.id.desc()).limit(limit)).all()
        return [{**r._mapping, "at": _aware(r._mapping["at"])} for r in rows]

    # -------------------------------------------------------------- writing
    def save(
        self,
        user: str,
        kind: str,
        title: str,
        note: str,
        payload: dict,
        *,
        item_id: str | None = None,
        expected_version: int | None = None,
        files: Iterable[bytes] = (),
        shared: bool | None = None,
        admin: bool = False,
    ) -> ItemSummary:
        """Save a new item (no ``item_id``) or a new version of one, in one transaction.

        Parameters
        ----------
        expected_version : int, optional
            For an existing item, the version the work is based on; another current version means
            someone saved meanwhile: :class:`ConflictError`, nothing written.
        files : iterable of bytes
            Contents the payload refers to by sha256 (stored once, shared between items).

        Raises
        ------
        InvalidItemError, LimitError, ConflictError, ItemNotFound
        """
        if kind not in KINDS:
            raise InvalidItemError(f"type d'élément inconnu « {kind} »")
        title, note = check_text(title, note)
        check_payload(kind, payload)
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
        contents = {sha256_of(data): data for data in files}
        size = len(text.encode()) + sum(len(d) for d in contents.values())
        if size > self.limits.max_item_bytes:
            raise LimitError(
                f"« {title} » pèse {describe_size(size)}, au-delà de la limite de "
                f"{describe_size(self.limits.max_item_bytes)} par élément : allégez-le (moins de lignes) et réessayez."
            )
        now = _now()
        with self.engine.begin() as conn:
            for sha, data in contents.items():
                if conn.execute(sa.select(blobs.c.sha256).where(blobs.c.sha256 == sha)).first() is None:
                    conn.execute(blobs.insert().values(sha256=sha, size_bytes=len(data), data=data))
            if item_id is None:
                owned = conn.execute(
                    sa.select(sa.func.count()).where(items.c.owner == user, items.c.deleted_at.is_(None))
                ).scalar()
                if owned >= self.limits.max_items_per_user:
                    raise LimitError(
                        f"Vous avez déjà {format_number(owned)} éléments, la limite par utilisateur : supprimez-en "
                        "(et videz la corbeille) avant d'en enregistrer d'autres."
                    )
                item_id = uuid.uuid4().hex
                conn.execute(
                    items.insert().values(
                        id=item_id,
                        kind=kind,
                        title=title,
                        note=note,
                        owner=user,
                        shared=bool(shared),
                        created_at=now,
                        updated_at=now,
                        updated_by=user,
                        version=1,
                        deleted_at=None,
                        size_bytes=size,
                        payload=text,
                    )
                )
                self._audit(conn, user, "création", item_id, kind)
            else:
                row = self._row(conn, item_id, user, admin, write=True)
                current = _summary(row)
                if current.kind != kind:
                    raise InvalidItemError(f"« {current.title} » est un élément de type {KINDS[current.kind]}.")
                if expected_version is not None and expected_version != current.version:
                    raise self._conflict(current, expected_version)
                self._keep_version(conn, row)
                changes = dict(
                    title=title,
                    note=note,
                    updated_at=now,
                    updated_by=user,
                    version=current.version + 1,
                    size_bytes=size,
                    payload=text,
                )
                if shared is not None:
                    changes["shared"] = shared
                done = conn.execute(
                    items.update().where(items.c.id == item_id, items.c.version == current.version).values(**changes)
                )
                if done.rowcount != 1:  # saved by another session between our read and our write
                    raise self._conflict(self._summary_of(conn, item_id), current.version)
                self._audit(conn, user, "enregistrement", item_id, f"version {current.version + 1}")
            summary = self._summary_of(conn, item_id)
        return summary

    def rename(
        self,
        user: str,
        item_id: str,
        title: str,
        note: str,
        expected_version: int | None = None,
        *,
        admin: bool = False,
    ) -> ItemSummary:
        """Change an item's title and note (a new version, the payload unchanged)."""
        item = self.open(user, item_id, admin=admin)
        return self.save(
            user,
            item.kind,
            title,
            note,
            item.payload,
            item_id=item_id,
            expected_version=expected_version if expected_version is not None else item.version,
            admin=admin,
        )

    def duplicate(self, user: str, item_id: str, title: str | None = None, *, admin: bool = False) -> ItemSummary:
        """A copy owned by ``user`` (private), titled « … (copie) » unless told otherwise."""
        item = self.open(user, item_id, admin=admin)
        copy_title = title or f"{item.summary.title} (copie)"[:200]
        return self.save(user, item.kind, copy_title, item.summary.note, item.payload)

    def delete(self, user: str, item_id: str, *, admin: bool = False) -> None:
        """Move an item to the trash (recoverable for :attr:`Limits.trash_days` days)."""
        with self.engine.begin() as conn:
            self._row(conn, item_id, user, admin, write=True)
            conn.execute(items.update().where(items.c.id == item_id).values(deleted_at=_now()))
            self._audit(conn, user, "suppression", item_id)

    def restore(self, user: str, item_id: str, *, admin: bool = False) -> None:
        """Take an item back from the trash."""
        with self.engine.begin() as conn:
            self._row(conn, item_id, user, admin, write=True, deleted=True)
            conn.execute(items.update().where(items.c.id == item_id).values(deleted_at=None))
            self._audit(conn, user, "restauration", item_id)

    def share(self, user: str, item_id: str, shared: bool, *, admin: bool = False) -> None:
        """Share an item with the team (everyone signed in can open it) or make it private again."""
        with self.engine.begin() as conn:
            self._row(conn, item_id, user, admin, write=True)
            conn.execute(items.update().where(items.c.id == item_id).values(shared=shared))
            self._audit(conn, user, "partage" if shared else "retrait du partage", item_id)

    def restore_version(
        self, user: str, item_id: str, version: int, expected_version: int | None = None, *, admin: bool = False
    ) -> ItemSummary:
        """Make a previous version the current one again (as a new version: nothing is lost). Works on a
        damaged item too: it is the way to repair it."""
        with self._connect() as conn:
            current = _summary(self._row(conn, item_id, user, admin, write=True))
            row = conn.execute(
                sa.select(item_versions).where(item_versions.c.item_id == item_id, item_versions.c.version == version)
            ).first()
        if row is None:
            raise ItemNotFound(f"Version {version} introuvable pour « {current.title} ».")
        payload = json.loads(row._mapping["payload"])
        return self.save(
            user,
            current.kind,
            row._mapping["title"],
            row._mapping["note"],
            payload,
            item_id=item_id,
            expected_version=expected_version if expected_version is not None else current.version,
            admin=admin,
        )

    def purge_trash(self, now: datetime | None = None) -> int:
        """Delete for good the items in the trash for more than :attr:`Limits.trash_days` days."""
        limit = (now or _now()) - timedelta(days=self.limits.trash_days)
        with self.engine.begin() as conn:
            old = [r[0] for r in conn.execute(sa.select(items.c.id).where(items.c.deleted_at < limit)).all()]
            if old:
                conn.execute(item_versions.delete().where(item_versions.c.item_id.in_(old)))
                conn.execute(items.delete().where(items.c.id.in_(old)))
                for item_id in old:
                    self._audit(conn, "système", "purge", item_id, f"plus de {self.limits.trash_days} jours")
        return len(old)

    # -------------------------------------------------------------- helpers
    def _listing_columns(self) -> list:
        """:data:`SUMMARY_COLUMNS`, the times as stored text on SQLite: SQLAlchemy's parsing of SQLite
        times costs more than the rest of a 10,000-item listing; :func:`_aware` reads the text."""
        if self.engine.dialect.name != "sqlite":
            return SUMMARY_COLUMNS
        times = ("created_at", "updated_at", "deleted_at")
        return [sa.type_coerce(c, sa.String).label(c.name) if c.name in times else c for c in SUMMARY_COLUMNS]

    def _connect(self) -> Connection:
        try:
            return self.engine.connect()
        except sa.exc.SQLAlchemyError as error:
            raise WorkspaceUnavailable(
                f"Base de l'espace de travail injoignable : {error.__class__.__name__}"
            ) from error

    def _row(self, conn: Connection, item_id: str, user: str, admin: bool, *, write: bool, deleted: bool = False):
        row = conn.execute(sa.select(items).where(items.c.id == item_id)).first()
        if row is None or (row._mapping["deleted_at"] is not None) != deleted:
            where = "dans la corbeille" if deleted else "dans l'espace de travail"
            raise ItemNotFound(f"Aucun élément {item_id[:12]}… {where} (supprimé, ou lien erroné).")
        data = row._mapping
        allowed = admin or data["owner"] == user or (not write and data["shared"])
        if not allowed:
            raise ItemNotFound(
                "Cet élément n'est pas partagé avec vous : demandez à son auteur de le partager avec l'équipe."
                if not write
                else f"« {data['title']} » appartient à {data['owner']} : enregistrez-en une copie pour le modifier."
            )
        return row

    def _summary_of(self, conn: Connection, item_id: str) -> ItemSummary:
        return _summary(conn.execute(sa.select(*SUMMARY_COLUMNS).where(items.c.id == item_id)).one())

    def _keep_version(self, conn: Connection, row) -> None:
        data = row._mapping
        conn.execute(
            item_versions.insert().values(
                item_id=data["id"],
                version=data["version"],
                title=data["title"],
                note=data["note"],
                saved_at=data["updated_at"],
                saved_by=data["updated_by"],
                size_bytes=data["size_bytes"],
                payload=data["payload"],
            )
        )
        keep_from = data["version"] - self.limits.keep_versions + 1
        conn.execute(
            item_versions.delete().where(item_versions.c.item_id == data["id"], item_versions.c.version < keep_from)
        )

    def _audit(self, conn: Connection, user: str, action: str, item_id: str | None, detail: str = "") -> None:
        conn.execute(audit.insert().values(at=_now(), user=user, action=action, item_id=item_id, detail=detail))

    @staticmethod
    def _conflict(current: ItemSummary, expected: int) -> ConflictError:
        when = current.updated_at.astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC")
        return ConflictError(
            f"« {current.title} » a été enregistré par {current.updated_by} le {when} (version {current.version}) "
            f"depuis que vous l'avez ouvert (version {expected}). Votre travail n'a pas été écrit : enregistrez-le "
            "comme une copie, ou rouvrez l'élément pour partir de sa dernière version.",
            current,
        )


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{Path(path).resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_store(url: str, limits: Limits | None = None) -> WorkspaceStore:
    """Connect to the database at ``url`` (created on first use for SQLite), bring its schema up to
    date with the migrations and return the store.

    Raises
    ------
    WorkspaceUnavailable
        The database cannot be reached, created or migrated; the message says which and what to do.
    """
    try:
        if url.startswith("sqlite"):
            path = url.split("sqlite:///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"timeout": 30})
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = sa.create_engine(url, pool_pre_ping=True)
        with engine.begin() as conn:
            upgrade(conn)
    except (sa.exc.SQLAlchemyError, OSError, WorkspaceError) as error:
        shown = url.split("@")[-1] if "@" in url else url
        raise WorkspaceUnavailable(
            f"L'espace de travail ne peut pas être ouvert ({shown} : {error.__class__.__name__} — {str(error)[:200]}). "
            "Les pages d'analyse restent utilisables ; vérifiez le réglage FABT_DATABASE_URL ou les droits sur le "
            "dossier data/."
        ) from error
    return WorkspaceStore(engine, limits)
