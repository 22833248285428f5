"""The map as a self-contained HTML file and as a PNG snapshot (headless Chromium)."""

from __future__ import annotations

import base64
import re
import tempfile
from pathlib import Path

import folium

from core.exports.browser import CHROMIUM_ARGS, chromium_path, run_isolated
from core.settings import PROJECT_ROOT
from core.viz.controls import FrenchControls, map_title
from core.viz.leaflet import VENDOR_URL
from core.viz.maps import escape

VENDOR_DIR = PROJECT_ROOT / "static" / "vendor"


class MissingAssetError(FileNotFoundError):
    """The vendored map libraries are missing."""


def make_standalone_html(fmap: folium.Map, title: str, subtitle: str, vendor_dir: Path = VENDOR_DIR) -> str:
    """The map's HTML with Leaflet inlined and a title box: opens anywhere, no server needed (the
    controls named in French, the map titled « Carte : ``title`` »).

    Raises
    ------
    MissingAssetError
        When ``static/vendor`` has not been fetched (run ``bash scripts/setup.sh``).
    """
    fmap.add_child(FrenchControls(map_title(title)), name="fabt_french_controls")
    html = fmap.get_root().render()

    def inline_script(match: re.Match) -> str:
        return "<script>" + _asset(vendor_dir, match.group(1)).replace("</script", "<\\/script") + "</script>"

    def inline_style(match: re.Match) -> str:
        css = re.sub(
            r"url\((images/[\w.\-]+\.png)\)",
            lambda m: f"url({_data_uri(vendor_dir, m.group(1))})",
            _asset(vendor_dir, match.group(1)),
        )
        return "<style>" + css + "</style>"

    prefix = re.escape(VENDOR_URL)
    html = re.sub(rf'<script src="{prefix}/([\w.\-]+)"></script>', inline_script, html)
    html = re.sub(rf'<link rel="stylesheet" href="{prefix}/([\w.\-]+)"\s*/>', inline_style, html)
    box = (
        '<div style="position:fixed;top:10px;left:60px;z-index:9999;background:white;padding:6px 10px;'
        'border:1px solid #bbb;border-radius:4px;font:14px Arial,sans-serif;max-width:60%">'
        f'<b>{escape(title)}</b><br><span style="font-size:12px">{escape(subtitle)}</span></div>'
    )
    html = html.replace("<head>", f"<head><title>{escape(title)}</title>", 1)
    return make_html_french_and_zoomable(html.replace("<body>", "<body>" + box, 1))


# folium's viewport forbids zooming on touch screens (RGAA 10.4: the page must zoom to 200 %).
_BLOCKING_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>', re.S)
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'


def make_html_french_and_zoomable(html: str) -> str:
    """A map document declared in French, with a viewport that lets the reader zoom.

    Examples
    --------
    >>> make_html_french_and_zoomable('<html><head><meta name="viewport" content="user-scalable=no" /></head></html>')
    '<html lang="fr"><head><meta name="viewport" content="width=device-width, initial-scale=1.0" /></head></html>'
    """
    html = _BLOCKING_VIEWPORT.sub(VIEWPORT, html)
    return re.sub(r"<html(?![^>]*\blang=)", '<html lang="fr"', html, count=1)


def _data_uri(vendor_dir: Path, name: str) -> str:
    """An image of the vendored CSS as a data URI (the layer control's icon), or its name if absent."""
    path = vendor_dir / name
    if not path.exists():
        return name
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def _asset(vendor_dir: Path, name: str) -> str:
    path = vendor_dir / name
    if not path.exists():
        raise MissingAssetError(f"{path} is missing: run `bash scripts/setup.sh` to fetch the map libraries")
    return path.read_text(encoding="utf-8")


def make_map_png(
    html: str, chromium: str | None = None, width: int = 1400, height: int = 900, timeout_ms: int = 30_000
) -> bytes:
    """A PNG snapshot of a standalone map HTML, taken by headless Chromium (``chromium``: the
    ``chromium`` setting by default) once Leaflet has drawn it."""
    return run_isolated(_snapshot, html, chromium or chromium_path(), width, height, timeout_ms)


def _snapshot(html: str, chromium: str, width: int, height: int, timeout_ms: int) -> bytes:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="carte-") as tmp:
        page_file = Path(tmp) / "carte.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_file.as_uri())
                page.locator(".leaflet-container").first.wait_for(timeout=timeout_ms)
                page.wait_for_function("!document.querySelector('.fabt-insets-pending')", timeout=timeout_ms)
                page.wait_for_timeout(300)  # let clusters settle
                return page.screenshot(type="png")
            finally:
                browser.close()
