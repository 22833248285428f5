"""What a build did: rows in and out per source, every drop and remap with its reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from etl.catalogue import SourceFile


@dataclass
class Event:
    """Rows dropped or remapped for one reason, with a few examples."""

    kind: str  # "dropped", "remapped" or "repaired"
    reason: str
    count: int
    examples: list[str] = field(default_factory=list)


@dataclass
class StageLog:
    """The log one staging function fills in."""

    source_id: str
    rows_in: int = 0
    rows_out: int = 0
    events: list[Event] = field(default_factory=list)

    def add(self, kind: str, reason: str, count: int, examples: list[object] | None = None) -> None:
        """Record ``count`` rows dropped, remapped or repaired for ``reason`` (ignored if 0)."""
        if count:
            shown = [str(e) for e in (examples or [])[:5]]
            self.events.append(Event(kind, reason, int(count), shown))

    def dropped(self) -> int:
        """Total rows dropped."""
        return sum(e.count for e in self.events if e.kind == "dropped")

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return asdict(self)


def _user_file_source(file: tuple[Path, str], licence: str, vintage: str, description: str) -> dict:
    """The report entry of a file the user supplied on the command line (path and sha256)."""
    path, sha256 = file
    return {
        "publisher": "fichier fourni par l'utilisateur",
        "licence": licence,
        "vintage": vintage,
        "description": description,
        "files": [{"file": path.name, "sha256": sha256, "url": "", "bytes": path.stat().st_size}],
    }


def source_report(
    catalogue: list[SourceFile],
    logs: dict[str, StageLog],
    qpv_2015: tuple[Path, str] | None,
    fabriques_detail: tuple[Path, str] | None = None,
) -> dict:
    """The ``sources`` part of the build report: each source's files and what its staging did."""
    sources = {}
    if fabriques_detail is not None:
        sources["fabriques_detail"] = _user_file_source(
            fabriques_detail,
            "non ouverte (fichier interne)",
            "inconnu",
            "Liste détaillée des Fabriques (vague, montant, adresse, FNT)",
        )
    if qpv_2015 is not None:
        sources["qpv_2015"] = _user_file_source(
            qpv_2015, "inconnue", "géographie prioritaire 2015", "QPV 2015 (décret 2014-1750)"
        )
    for entry in catalogue:
        item = sources.setdefault(
            entry.source_id,
            {
                "publisher": entry.publisher,
                "licence": entry.licence,
                "vintage": entry.vintage,
                "description": entry.description,
                "files": [],
            },
        )
        item["files"].append({"file": entry.file, "sha256": entry.sha256, "url": entry.url, "bytes": entry.bytes})
    for name, log in logs.items():
        sources.setdefault(log.source_id, {}).setdefault("staging", []).append({"step": name, **log.to_dict()})
    return sources
