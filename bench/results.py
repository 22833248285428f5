"""``bench/results.json``: a flat JSON object of named numbers, updated key by key."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).with_name("results.json")


def record(figures: dict[str, float], path: Path = RESULTS) -> dict[str, float]:
    """Merge ``figures`` into the results file and return the whole object."""
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current.update({k: round(float(v), 3) for k, v in figures.items()})
    path.write_text(json.dumps(dict(sorted(current.items())), indent=1) + "\n", encoding="utf-8")
    return current
