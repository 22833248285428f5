"""Overseas insets: small maps of Guadeloupe, Martinique, Guyane, La Réunion and Mayotte inside the
national map's frame, each fitted to its territory, with the layers of the main map — the way the
Observatoire des territoires draws France.

Each inset is a Leaflet map of its own, built once the main map has drawn. Its layers are rebuilt
from the main map's data (only the features in the inset's territory), follow the main map's layer
control, and a click on one of their features is passed on to the main map's layer, so that it
opens the same panel as a click on the main map.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from core.viz import palette
from core.viz.leaflet import to_safe_json

# The five DROM and the bounds ``[[south, west], [north, east]]`` each inset is fitted to.
INSETS: dict[str, list[list[float]]] = {
    "Guadeloupe": [[15.83, -61.81], [16.52, -61.0]],
    "Martinique": [[14.38, -61.23], [14.88, -60.81]],
    "Guyane": [[2.11, -54.6], [5.75, -51.63]],
    "La Réunion": [[-21.39, 55.21], [-20.87, 55.84]],
    "Mayotte": [[-13.0, 44.98], [-12.63, 45.3]],
}
# Width of the column of insets along the left edge, in pixels (the main map is fitted clear of it).
INSETS_WIDTH_PX = 104
INSETS_CSS = (
    f".fabt-insets{{position:absolute;left:10px;top:84px;bottom:34px;width:{INSETS_WIDTH_PX}px;z-index:800;"
    "display:flex;"
    "flex-direction:column;gap:4px;pointer-events:auto}"
    f".fabt-inset{{flex:1 1 0;min-height:40px;display:flex;flex-direction:column;background:{palette.BACKGROUND};"
    f"border:1px solid {palette.TEXT_MENTION};border-radius:3px;overflow:hidden}}"
    f".fabt-inset-title{{font:11px Arial,sans-serif;padding:1px 4px;background:{palette.BACKGROUND_ALT};border:0;"
    f"text-align:left;cursor:pointer;color:{palette.TEXT_TITLE}}}"
    ".fabt-inset-map{flex:1 1 auto;background:#dfe9f2;overflow:hidden;position:relative;outline:0}"
    ".fabt-inset-map img,.fabt-inset-map svg{max-width:none!important;max-height:none!important}"
    ".fabt-inset-map .leaflet-tile{visibility:inherit}"
)


class OverseasInsets(MacroElement):
    """The column of overseas insets of a national map, with the layers ``overlays``
    (:class:`core.viz.leaflet.GeoJsonOverlay` layers of the map, named when the map is rendered:
    streamlit-folium renames them) and the same background ``tiles`` (``{"url": …, "options": {…}}``,
    or None).

    Add it after the layers. The main map's container carries the class ``fabt-insets-pending``
    until the insets are drawn (the PNG export waits for it to go).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (main) {
            var specs = {{ this.specs_json }}, tiles = {{ this.tiles_json }};
            var overlays = [{% for layer in this.overlays %}{{ layer.get_name() }}, {% endfor %}];
            var box = main.getContainer();
            L.DomUtil.addClass(box, "fabt-insets-pending");
            function build() {
                var style = document.createElement("style");
                style.textContent = {{ this.css_json }};
                document.head.appendChild(style);
                var column = L.DomUtil.create("div", "fabt-insets", box);
                column.setAttribute("role", "group");
                column.setAttribute("aria-label", "Outre-mer, en encarts");
                L.DomEvent.disableClickPropagation(column);
                L.DomEvent.disableScrollPropagation(column);
                // Every frame first: the column shares its height between them before a map is fitted.
                var frames = specs.map(function (spec) {
                    var frame = L.DomUtil.create("div", "fabt-inset", column);
                    var title = L.DomUtil.create("button", "fabt-inset-title", frame);
                    title.type = "button";
                    title.textContent = spec.name;
                    title.title = "Centrer la carte sur " + spec.name;
                    title.addEventListener("click", function () { main.fitBounds(spec.bounds); });
                    var div = L.DomUtil.create("div", "fabt-inset-map", frame);
                    div.setAttribute("role", "region");  // a name needs a role (ARIA)
                    div.setAttribute("aria-label", "Encart : " + spec.name);
                    return div;
                });
                var insets = specs.map(function (spec, i) {
                    var inset = L.map(frames[i], {zoomControl: false, attributionControl: false, dragging: false,
                        scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false,
                        touchZoom: false, zoomSnap: 0.25, fadeAnimation: false, zoomAnimation: false});
                    // Only the main map is a ".leaflet-container" (pages and tests look it up); the styles
                    // Leaflet gives that class are repeated for the insets (INSETS_CSS).
                    L.DomUtil.removeClass(frames[i], "leaflet-container");
                    inset.fitBounds(spec.bounds, {animate: false, padding: [2, 2]});
                    if (tiles) { L.tileLayer(tiles.url, tiles.options).addTo(inset); }
                    var area = L.latLngBounds(spec.bounds).pad(0.5);
                    overlays.forEach(function (layer) {
                        if (!layer.fabtMake) { return; }
                        var copy = layer.fabtMake(true, function (f) { return window.fabtInside(f, area); }, inset);
                        // A deferred layer is not on the map yet, but will be: its timer ran before this one.
                        if (main.hasLayer(layer)) { copy.addTo(inset); }
                        copy.on("click", function (e) {
                            layer.fire("click", {latlng: e.latlng, layer: e.layer, sourceTarget: e.layer,
                                originalEvent: e.originalEvent});
                        });
                        main.on("overlayadd", function (e) { if (e.layer === layer) { copy.addTo(inset); } });
                        main.on("overlayremove", function (e) { if (e.layer === layer) { inset.removeLayer(copy); } });
                    });
                    return inset;
                });
                main.on("resize", function () {
                    insets.forEach(function (inset, i) {
                        inset.invalidateSize({animate: false});
                        inset.fitBounds(specs[i].bounds, {animate: false, padding: [2, 2]});
                    });
                });
                L.DomUtil.removeClass(box, "fabt-insets-pending");
            }
            // After the main map's first drawing (its markers do not wait for the insets), once the
            // frame is laid out (an inset fitted in an empty box would be lost).
            function start() {
                if (main.getSize().y > 300) { main.off("resize", start); setTimeout(build, 0); }
            }
            main.on("resize", start);
            start();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, overlays: list, tiles: dict | None = None):
        super().__init__()
        self._name = "OverseasInsets"
        self.overlays = overlays
        self.specs_json = to_safe_json([{"name": n, "bounds": b} for n, b in INSETS.items()])
        self.tiles_json = to_safe_json(tiles)
        self.css_json = to_safe_json(INSETS_CSS)
