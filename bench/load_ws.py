"""Load sessions as websocket clients: the server's own cost, without a browser on the machine.

Each session is a :class:`bench.ws_client.StreamlitClient`: it opens its first page, then follows
its plan (:func:`bench.load_stats.plan_session`, the same plans as the Chromium sessions): open a
page as the sidebar link does, think, set one sidebar filter as a click on its option does, wait
for the run to end, think. A filter change is timed from the request to the last message of the
updated view (the run's end); it counts as an error when the app shows an exception, the view
lacks the page's key element, or the URL the app writes does not hold the new filters.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from websockets.exceptions import WebSocketException

from bench.load_stats import LOAD_PAGES, PLAN_STEPS, WIDGET_LABELS, display_value, plan_session, url_shows_filters
from bench.ws_client import ProtocolError, RunResult, StreamlitClient
from core.filters import DEFAULT, Filters, filters_to_query

if TYPE_CHECKING:
    from bench.load import Level

TIMEOUT_S = 30.0
FIRST_LOAD_TIMEOUT_S = 60.0
# What an analyst looks at on each page (an element type of the run), or an info box when the
# selection is empty.
KEY_ELEMENTS = {
    "vue_ensemble": "metric",
    "carte": "component_instance",
    "quartiers_prioritaires": "plotly_chart",
    "territoires_ruraux": "plotly_chart",
    "couverture_equite": "plotly_chart",
    "fiche_territoire": "metric",
}


def url_path(stem: str) -> str:
    """The page's URL path in dashboard.py's navigation (the overview is the default page)."""
    return "" if stem == "vue_ensemble" else stem


def check_run(result: RunResult, stem: str, where: str, filters: Filters | None, query_string: str) -> list[str]:
    """The errors a run shows: exceptions, no key element, a URL without the filters asked for."""
    errors = [f"exception shown by the app {where}: {e[:200]}" for e in result.exceptions]
    if not result.element_types & {KEY_ELEMENTS[stem], "alert"}:
        errors.append(f"no {KEY_ELEMENTS[stem]} {where}")
    if filters is not None and not url_shows_filters("?" + query_string, filters):
        errors.append(f"the URL does not hold the filters {where} (?{query_string})")
    return errors


ERRORS = (OSError, TimeoutError, ProtocolError, WebSocketException)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


async def _reopen(level: Level, stem: str, filters: Filters, timeout_s: float) -> StreamlitClient:
    """A new session on ``stem`` with ``filters`` in its URL, as a reload of the page's link does."""
    client = StreamlitClient(level.base, timeout_s)
    await client.connect()
    query = urlencode(filters_to_query(filters))
    result = await client.open_page(url_path(stem), query)
    level.errors.extend(check_run(result, stem, f"on {stem} (opened from its link)", filters, client.query_string))
    client.timeout_s = TIMEOUT_S
    return client


async def run_session(index: int, seed: int, level: Level, think_s: tuple[float, float]) -> None:
    """One analyst: follow the plan of ``seed`` until the level is over; add to ``level``."""
    rng = random.Random(seed)
    plan = plan_session(seed, PLAN_STEPS, sorted(level.regions))
    filters, stem = DEFAULT, "vue_ensemble"
    client: StreamlitClient | None = None
    try:
        await asyncio.sleep(index * level.stagger_s)
        try:
            client = await _reopen(level, stem, filters, FIRST_LOAD_TIMEOUT_S)
        except ERRORS as exc:
            level.errors.append(f"opening the first page: {_describe(exc)}")
            stem = ""
        await level.opened()
        for step in plan:
            if level.over():
                break
            planned = replace(filters, **{step.widget: step.value})
            phase = f"opening {step.page}"
            try:
                if not stem:  # the session is in an unknown state: open the page from its link
                    if client is not None:
                        await client.close()
                    client = await _reopen(level, step.page, filters, TIMEOUT_S)
                elif step.page != stem:
                    result = await client.open_page(url_path(step.page))
                    level.errors.extend(check_run(result, step.page, f"on opening {step.page}", None, ""))
                stem = step.page
                await asyncio.sleep(rng.uniform(*think_s))
                if level.over():
                    break
                phase = f"setting {step.widget} on {step.page}"
                value = display_value(step.widget, step.value, level.regions)
                result = await client.set_widget(WIDGET_LABELS[step.widget], value)
                level.latencies.append(result.seconds)
                where = f"on {stem} after setting {step.widget}={step.value}"
                level.errors.extend(check_run(result, stem, where, planned, client.query_string))
            except ERRORS as exc:
                level.errors.append(f"{phase}: {_describe(exc)}")
                stem = ""
            filters = planned
            await asyncio.sleep(rng.uniform(*think_s))
    finally:
        if client is not None:
            with contextlib.suppress(*ERRORS):
                await client.close()


class WebsocketClients:
    """The sessions of a load run as websocket clients (``async with WebsocketClients() as clients``)."""

    prefix = "load"
    label = "websocket clients (Streamlit's protocol, no browser)"

    async def __aenter__(self) -> WebsocketClients:
        return self

    async def __aexit__(self, *exc) -> None:
        return None

    async def warm_up(self, level: Level) -> list[str]:
        """Go once through the pages in one session; return the errors met."""
        try:
            client = await _reopen(level, LOAD_PAGES[0], DEFAULT, FIRST_LOAD_TIMEOUT_S)
            for stem in LOAD_PAGES[1:]:
                result = await client.open_page(url_path(stem))
                level.errors.extend(check_run(result, stem, f"on {stem} (warm-up)", None, ""))
            await client.close()
        except ERRORS as exc:
            level.errors.append(f"warm-up: {_describe(exc)}")
        return level.errors

    async def session(self, index: int, seed: int, level: Level, think_s: tuple[float, float]) -> None:
        await run_session(index, seed, level, think_s)
