"""The load benchmark's websocket client against the real server (fixture marts, loopback only)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.load_stats import url_shows_filters
from bench.load_ws import check_run, url_path
from bench.ws_client import ProtocolError, StreamlitClient
from core.analysis.filters import DEFAULT, Filters


async def _walk(base: str) -> dict:
    client = StreamlitClient(base, timeout_s=60)
    await client.connect()
    try:
        seen = {"first": await client.open_page("")}
        seen["widgets"] = {w.label: w.value for w in client.widgets.values() if w.in_sidebar}
        seen["pages"] = sorted(client.pages)
        seen["cohort"] = await client.set_widget("Cohorte", ["2023"])
        seen["query_after_cohort"] = client.query_string
        seen["rural"] = await client.set_widget("Ruralité", "Rural au sens de l'INSEE (densité 5 à 7)")
        seen["query_after_rural"] = client.query_string
        seen["carte"] = await client.open_page(url_path("carte"))
        seen["query_on_carte"] = client.query_string
        with pytest.raises(ProtocolError, match="no option"):
            await client.set_widget("Ruralité", "Lune")
        with pytest.raises(ProtocolError, match="no page"):
            await client.open_page("nulle_part")
    finally:
        await client.close()
    return seen


def test_websocket_client_changes_filters_like_a_click(server):
    # Its own thread and event loop: Playwright's sync API keeps a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        seen = pool.submit(asyncio.run, _walk(server)).result()
    assert not seen["first"].exceptions and "metric" in seen["first"].element_types
    # The client holds the sidebar's values as the app set them (default filters).
    assert seen["widgets"]["Cohorte"] == ["2020-2021", "2023"] and seen["widgets"]["Ruralité"] == "Tous les territoires"
    assert "carte" in seen["pages"] and "" in seen["pages"]
    only_2023 = Filters(cohorts=("2023",))
    assert url_shows_filters("?" + seen["query_after_cohort"], only_2023)
    assert check_run(seen["cohort"], "vue_ensemble", "after the cohort", only_2023, seen["query_after_cohort"]) == []
    rural_2023 = Filters(cohorts=("2023",), rural="rural")
    assert url_shows_filters("?" + seen["query_after_rural"], rural_2023)
    # The filters follow the session to another page, whose key element (the map) is there.
    assert url_shows_filters("?" + seen["query_on_carte"], rural_2023)
    assert check_run(seen["carte"], "carte", "on the map", rural_2023, seen["query_on_carte"]) == []
    # A view that does not hold the filters asked for is an error of the run.
    assert check_run(seen["carte"], "carte", "on the map", DEFAULT, seen["query_on_carte"])
