"""What a build did: rows in and out per source, every drop and remap with its reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
