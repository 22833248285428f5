"""One analyst's session in a load run, whatever drives it (Chromium or a websocket client).

:func:`run_plan` follows a seeded plan (:func:`bench.load_stats.plan_session`): open a page, think,
change one sidebar filter, think, until the level is over. A :class:`SessionDriver` does the
actions and records what its view shows wrong in ``level.errors``; the errors it raises (a timeout,
a closed connection) are counted here and the session opens its next page from the link of its
filters, as an analyst reloading would.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from typing import Protocol

from bench.load_stats import LOAD_PAGES, PLAN_STEPS, Step, plan_session
from bench.load_types import Level
from core.analysis.filters import DEFAULT, Filters


class SessionDriver(Protocol):
    """What a kind of session can do; ``errors`` are the exceptions that end an action."""

    errors: tuple[type[BaseException], ...]

    async def open_link(self, stem: str, filters: Filters, first: bool = False) -> None:
        """Open page ``stem`` from its link holding ``filters`` (a new page load)."""

    async def open_page(self, stem: str) -> None:
        """Open page ``stem`` as its sidebar link does."""

    async def change(self, step: Step, current: Filters, planned: Filters) -> float:
        """Make the step's filter change; return the seconds to the updated view."""

    async def close(self) -> None: ...

    def describe(self, exc: BaseException) -> str:
        """One line saying what went wrong."""


async def run_plan(driver: SessionDriver, index: int, seed: int, level: Level, think_s: tuple[float, float]) -> None:
    """One analyst: follow the plan of ``seed`` until the level is over; add to ``level``."""
    rng = random.Random(seed)
    plan = plan_session(seed, PLAN_STEPS, sorted(level.regions))
    filters, stem = DEFAULT, LOAD_PAGES[0]
    try:
        await asyncio.sleep(index * level.stagger_s)
        try:
            await driver.open_link(stem, filters, first=True)
        except driver.errors as exc:
            level.errors.append(f"opening the first page: {driver.describe(exc)}")
            stem = ""
        await level.opened()
        for step in plan:
            if level.over():
                break
            planned = replace(filters, **{step.widget: step.value})
            phase = f"opening {step.page}"
            try:
                if not stem:  # the session is in an unknown state: open the page from its link
                    await driver.open_link(step.page, filters)
                elif step.page != stem:
                    await driver.open_page(step.page)
                stem = step.page
                await asyncio.sleep(rng.uniform(*think_s))
                if level.over():
                    break
                phase = f"setting {step.widget} on {step.page}"
                level.latencies.append(await driver.change(step, filters, planned))
            except driver.errors as exc:
                level.errors.append(f"{phase}: {driver.describe(exc)}")
                stem = ""
            filters = planned
            await asyncio.sleep(rng.uniform(*think_s))
    finally:
        await driver.close()


async def warm_up(driver: SessionDriver, level: Level) -> list[str]:
    """Go once through the pages in one session so that a level does not start on cold caches;
    return the errors met."""
    try:
        await driver.open_link(LOAD_PAGES[0], DEFAULT, first=True)
        for stem in LOAD_PAGES[1:]:
            await driver.open_page(stem)
    except driver.errors as exc:
        level.errors.append(f"warm-up: {driver.describe(exc)}")
    finally:
        await driver.close()
    return level.errors
