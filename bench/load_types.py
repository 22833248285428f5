"""The load harness's shared types: what the sessions of one level share (imported by the session
drivers and by the runner, so none of them imports another)."""

from __future__ import annotations

import asyncio
import subprocess
import time
from dataclasses import dataclass, field

STAGGER_S = 0.25  # session i opens its first page i × STAGGER_S after the level starts
OPEN_WAIT_S = 30.0  # the level's clock starts then even if some sessions are still opening


@dataclass
class Level:
    """What the sessions of one level share and report.

    The level's time starts once all its sessions have opened their first page (:meth:`opened`),
    or :data:`OPEN_WAIT_S` after the level started (:meth:`start_clock`), whichever comes first.
    """

    base: str
    server: subprocess.Popen
    regions: dict[str, str]
    sessions: int
    duration_s: float
    stagger_s: float = STAGGER_S
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deadline: float | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)
    _waiting: int = 0

    def start_clock(self) -> None:
        """Start the level's time, unless it has started already."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.duration_s
            self.started.set()

    async def opened(self) -> None:
        """Wait until every session has opened its first page (or failed to), or the clock has started."""
        self._waiting += 1
        if self._waiting == self.sessions:
            self.start_clock()
        await self.started.wait()

    def over(self) -> bool:
        if self.server.poll() is not None:
            return True
        return self.deadline is not None and time.monotonic() >= self.deadline
