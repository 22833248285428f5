"""The tables of the workspace store (the same on SQLite and PostgreSQL; created by the migrations).

- ``items``: the current version of every saved item (payload as JSON text).
- ``item_versions``: previous versions of an item, kept when it is saved over (restorable).
- ``blobs``: file contents referred to by payloads (by sha256, stored once).
- ``audit``: who saved, shared, opened, deleted or restored which item, and when.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("shared", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_by", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Index("ix_items_owner", "owner", "deleted_at"),
    sa.Index("ix_items_shared", "shared", "deleted_at"),
)

item_versions = sa.Table(
    "item_versions",
    metadata,
    sa.Column("item_id", sa.String(32), sa.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("saved_by", sa.String(200), nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
)

blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user", sa.String(200), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("item_id", sa.String(32), nullable=True),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Index("ix_audit_item", "item_id"),
)
