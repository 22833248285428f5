"""Load sessions as websocket clients: the server's own cost, without a browser on the machine.

Each session is a :class:`bench.ws_client.StreamlitClient` driven by
:func:`bench.load_session.run_plan` (the same plans as the Chromium sessions): open a page as the
sidebar link does, think, set one sidebar filter as a click on its option does, wait for the run
to end, think. A filter change is timed from the request to the last message of the updated view
(the run's end); it counts as an error when the app shows an exception, the view lacks the page's
key element, or the URL the app writes does not hold the new filters.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

from websockets.exceptions import WebSocketException

from bench.load_stats import WIDGET_LABELS, Step, display_value, url_shows_filters
from bench.load_types import Level
from bench.ws_client import ProtocolError, RunResult, StreamlitClient
from core.analysis.filters import Filters, filters_to_query

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


class WebsocketSession:
    """A :class:`bench.load_session.SessionDriver` as a websocket client of the server."""

    errors = ERRORS

    def __init__(self, level: Level, headers: dict[str, str] | None = None) -> None:
        self.level = level
        self.headers = headers or {}  # what a browser sends with its websocket (cookies)
        self._client: StreamlitClient | None = None

    def _check(self, result: RunResult, stem: str, where: str, filters: Filters | None) -> None:
        query = self._client.query_string if filters is not None else ""
        self.level.errors.extend(check_run(result, stem, where, filters, query))

    async def open_link(self, stem: str, filters: Filters, first: bool = False) -> None:
        await self.close()
        self._client = StreamlitClient(
            self.level.base, FIRST_LOAD_TIMEOUT_S if first else TIMEOUT_S, headers=self.headers
        )
        await self._client.connect()
        result = await self._client.open_page(url_path(stem), urlencode(filters_to_query(filters)))
        self._check(result, stem, f"on {stem} (opened from its link)", filters)
        self._client.timeout_s = TIMEOUT_S

    async def open_page(self, stem: str) -> None:
        result = await self._client.open_page(url_path(stem))
        self._check(result, stem, f"on opening {stem}", None)

    async def change(self, step: Step, current: Filters, planned: Filters) -> float:
        value = display_value(step.widget, step.value, self.level.regions)
        result = await self._client.set_widget(WIDGET_LABELS[step.widget], value)
        self._check(result, step.page, f"on {step.page} after setting {step.widget}={step.value}", planned)
        return result.seconds

    async def close(self) -> None:
        if self._client is not None:
            with contextlib.suppress(*ERRORS):
                await self._client.close()
            self._client = None

    def describe(self, exc: BaseException) -> str:
        return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


class WebsocketClients:
    """The sessions of a load run as websocket clients (``async with WebsocketClients() as clients``)."""

    prefix = "load"
    label = "websocket clients (Streamlit's protocol, no browser)"

    async def __aenter__(self) -> WebsocketClients:
        return self

    async def __aexit__(self, *exc) -> None:
        return None

    def new_session(self, level: Level) -> WebsocketSession:
        return WebsocketSession(level)
