"""Dashboard measures: script time of a map filter change and of a click on the map, map HTML
size, page load and click → panel in Chromium.

Each figure is measured beside a reference in the same run: an empty page's rerun, a naive
folium map of the unsimplified layers, and Streamlit's own hello app in the same browser.
"""

from __future__ import annotations

import os
import statistics
import time
import warnings
from pathlib import Path

import folium
import geopandas as gpd

from core.viz.controls import MAP_FRAME_SELECTOR

ROOT = Path(__file__).resolve().parent.parent
# The map's frame: streamlit-folium's title until the map's script has run, then its French one.
MAP_FRAME = f"iframe[title*=streamlit_folium], {MAP_FRAME_SELECTOR}"
# Départements clicked, each once (the first click on a territory computes its card).
CLICKED_DEPARTEMENTS = ("29", "63", "13", "59", "33", "67", "2A", "971", "75")
# Where the browser clicks: a point of Puy-de-Dôme away from its Fabriques' markers, then others.
CLICK_POINTS = ((45.55, 2.75), (45.9, 3.4), (45.4, 3.3), (46.0, 2.6))
EMPTY_PAGE = 'import streamlit as st\nst.title("Page vide")\n'


def _median_run_ms(at, mutate, repeats: int = 7) -> float:
    times = []
    for i in range(repeats):
        mutate(at, i)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure_script_times() -> dict[str, float]:
    """Median script time of a cohort filter change on the map page, and of an empty page's rerun."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page("pages/carte.py").run()
    for cohorts in (["2023"], ["2020-2021", "2023"]):  # warm every cache once
        at.sidebar.multiselect(key="f_cohorts").set_value(cohorts).run()
    assert not at.exception, at.exception

    def toggle(app, i):
        app.sidebar.multiselect(key="f_cohorts").set_value(["2023"] if i % 2 else ["2020-2021", "2023"])

    map_ms = _median_run_ms(at, toggle)
    at.sidebar.multiselect(key="f_cohorts").set_value(["2020-2021", "2023"]).run()
    click_ms = _median_run_ms(at, _click_departement, repeats=len(CLICKED_DEPARTEMENTS))
    assert not at.exception, at.exception
    empty = AppTest.from_string(EMPTY_PAGE, default_timeout=60).run()
    empty_ms = _median_run_ms(empty, lambda app, i: None)
    return {"map_filter_change_ms": map_ms, "map_click_panel_ms": click_ms, "empty_page_rerun_ms": empty_ms}


def _click_departement(app, i: int) -> None:
    """What a click on a département does before the rerun: the map's callback keeps its key."""
    from ui.state import map_selection_key

    app.session_state[map_selection_key("carte_principale")] = f"departements:{CLICKED_DEPARTEMENTS[i]}"


def national_map_html() -> str:
    """The map page's default national view, built with the page's own layer functions."""
    from core.analysis.map_indicators import MAP_INDICATORS, compute_choropleth_values
    from core.viz.maps import make_fabriques_map
    from ui.loaders import load_table
    from ui.maps import borders_json, choropleth, qpv_json

    fabriques = load_table("fabriques")
    spec = MAP_INDICATORS["pour_100k"]
    values = compute_choropleth_values(load_table("departements"), "departements", fabriques, "pour_100k")
    layer, _ = choropleth("departements", (), values, spec.label, spec.decimals, spec.label)
    fmap = make_fabriques_map(
        fabriques,
        qpv=qpv_json(()),
        qpv_points=True,
        choropleth=layer,
        borders=[("Régions", borders_json("regions"))],
    )
    return fmap.get_root().render()


def naive_map_html() -> str:
    """The same layers as a straightforward folium map would draw them: full geometries, one
    marker object per Fabrique, folium's own choropleth."""
    from core.paths import mart_path

    fabriques = gpd.read_parquet(mart_path("fabriques"))
    qpv = gpd.read_parquet(mart_path("qpv"))
    deps = gpd.read_parquet(mart_path("departements"))
    regions = gpd.read_parquet(mart_path("regions"))
    fmap = folium.Map(location=[46.6, 2.4], zoom_start=6)
    folium.Choropleth(
        deps[["insee_dep", "fabriques_pour_100k", "geometry"]].to_json(),
        data=deps,
        columns=["insee_dep", "fabriques_pour_100k"],
        key_on="feature.properties.insee_dep",
    ).add_to(fmap)
    folium.GeoJson(regions[["nom_reg", "geometry"]].to_json(), name="Régions").add_to(fmap)
    folium.GeoJson(
        qpv[["code_qp", "lib_qp", "geometry"]].to_json(), name="QPV", tooltip=folium.GeoJsonTooltip(["lib_qp"])
    ).add_to(fmap)
    for row in fabriques.dropna(subset=["latitude"]).itertuples():
        folium.Marker([row.latitude, row.longitude], tooltip=str(row.nom)).add_to(fmap)
    return fmap.get_root().render()


def measure_map_bytes() -> dict[str, float]:
    """Bytes of the national map's HTML beside the naive map's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = len(national_map_html().encode())
        naive = len(naive_map_html().encode())
    return {"map_html_bytes": ours, "naive_map_html_bytes": naive}


# The map page's timeline, in order: (figure, selector, inside the map's frame).
MAP_TIMELINE = (
    ("map_page_title_s", "h1", False),
    ("map_page_frame_s", MAP_FRAME, False),
    ("map_page_leaflet_s", ".leaflet-container", True),
    ("map_page_load_s", "path.fabt-fabrique, .marker-cluster", True),
)


def _timeline(browser, url: str, steps) -> dict[str, float]:
    """Seconds from navigation (a new browser context: nothing cached) to each step's element."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    marks = {}
    for name, selector, in_frame in steps:
        target = page.frame_locator(MAP_FRAME).first.locator(selector) if in_frame else page.locator(selector)
        target.first.wait_for(state="attached", timeout=120_000)
        marks[name] = time.perf_counter() - start
    context.close()
    return marks


def _click_to_panel_ms(browser, url: str) -> float:
    """Milliseconds from a click on a département of the map page to its name in the panel beside
    the map (the round trip: the component's message, the script's rerun, the browser's drawing)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1500})
    page = context.new_page()
    page.goto(url)
    frame_locator = page.frame_locator(MAP_FRAME).first
    frame_locator.locator("path.fabt-choropleth").first.wait_for(state="attached", timeout=120_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=120_000)
    frame = next(f for f in page.frames if "st_folium" in f.url or f.url.endswith("index.html"))
    for lat, lon in CLICK_POINTS:
        x, y = frame.evaluate(
            "([a, b]) => { const p = window.map.latLngToContainerPoint([a, b]); return [p.x, p.y]; }", [lat, lon]
        )
        hit = frame.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('class') || ''", [x, y])
        if "fabt-choropleth" in hit.split():
            break
    else:
        raise RuntimeError("no point of Puy-de-Dôme clear of markers")
    panel = page.locator("[class*=st-key-carte_principale_panneau]")
    start = time.perf_counter()
    frame_locator.locator(".leaflet-container").first.click(position={"x": x, "y": y})
    panel.get_by_text("Puy-de-Dôme").first.wait_for(timeout=60_000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def _map_element_ms(url: str, repeats: int) -> float:
    """Median milliseconds from the request of the map page (a websocket client, no browser) to its
    map's element leaving the server: the server's share of the page's load."""
    import asyncio

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from bench.ws_client import StreamlitClient

    async def once() -> float:
        client = StreamlitClient(url, timeout_s=60)
        await client.connect()
        receive, arrivals = client._ws.recv, []

        async def timed_receive():
            raw = await receive()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            if msg.WhichOneof("type") == "delta" and msg.delta.new_element.WhichOneof("type") == "component_instance":
                arrivals.append(time.perf_counter())
            return raw

        client._ws.recv = timed_receive
        try:
            await client.open_page("")
            arrivals.clear()
            start = time.perf_counter()
            await client.open_page("carte")
        finally:
            await client.close()
        return (arrivals[0] - start) * 1000

    async def all_runs() -> list[float]:
        return [await once() for _ in range(repeats)]

    return statistics.median(asyncio.run(all_runs()))


def measure_page_loads(repeats: int = 5) -> dict[str, float]:
    """Seconds until the map page shows its markers, beside Streamlit's hello app, same browser; a
    click on a département to its panel."""
    from playwright.sync_api import sync_playwright

    from bench.server import start_server
    from core.exports.browser import CHROMIUM_ARGS as BROWSER_ARGS
    from core.exports.browser import chromium_path

    CHROMIUM = chromium_path()

    app, app_url = start_server("dashboard.py", {})
    hello, hello_url = start_server(
        str(Path(__import__("streamlit").__file__).parent / "hello" / "streamlit_app.py"), {}
    )
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            hello_steps = (("hello_page_load_s", "h1", False),)
            _timeline(browser, f"{app_url}/carte", MAP_TIMELINE)  # warm the server's caches
            _timeline(browser, hello_url, hello_steps)
            runs: list[dict[str, float]] = []
            for _ in range(repeats):  # alternated: both pages load under the same machine load
                runs.append(
                    {
                        **_timeline(browser, f"{app_url}/carte", MAP_TIMELINE),
                        **_timeline(browser, hello_url, hello_steps),
                    }
                )
            clicks = [_click_to_panel_ms(browser, f"{app_url}/carte") for _ in range(repeats)]
            browser.close()
        server_ms = _map_element_ms(app_url, repeats)
    finally:
        for proc in (app, hello):
            proc.terminate()
            proc.wait(timeout=10)
    figures = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    for name, value in figures.items():
        if name.startswith("map_page_") and name != "map_page_load_s":
            print(f"  timeline of the map page: {name} {value:.2f} s")
    return {
        **figures,
        "map_click_panel_browser_ms": statistics.median(clicks),
        "map_page_server_ms": server_ms,
        "browser_load_avg": os.getloadavg()[0],
    }


def measure_app() -> dict[str, float]:
    """Script times and map sizes (no browser)."""
    return {**measure_script_times(), **measure_map_bytes()}


def measure_browser() -> dict[str, float]:
    """Page loads in Chromium."""
    return measure_page_loads()
