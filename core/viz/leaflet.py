"""Light Leaflet layers: one GeoJSON blob each, styled and labelled in JavaScript.

Folium builds one object per marker and evaluates a Python style function per feature, which
costs about a second for the national map; these layers only serialise their data. Labels are
HTML built from escaped values (see :func:`core.viz.maps.escape`) and serialised with Jinja's
``tojson``, which also escapes ``<``, ``>`` and ``&``.
"""

from __future__ import annotations

import json

import folium
import xyzservices
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.map import ElementAddToElement, Layer
from jinja2 import Template

from core.domain.text import break_template_openings, escape_markup

VENDOR_URL = "/app/static/vendor"
LEAFLET_JS = [("leaflet", f"{VENDOR_URL}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{VENDOR_URL}/leaflet.css")]
CLUSTER_JS = [("markercluster", f"{VENDOR_URL}/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markercluster_css", f"{VENDOR_URL}/MarkerCluster.css"),
    ("markercluster_default_css", f"{VENDOR_URL}/MarkerCluster.Default.css"),
]


def to_safe_json(data: object) -> str:
    """JSON text safe inside a ``<script>`` and in folium's second Jinja pass: ``<``, ``>``, ``&``,
    line separators and the ``{`` of ``{{``, ``{%``, ``{#`` escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, code in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, code)
    return break_template_openings(text)


# IGN's Plan IGN v2 from the Géoplateforme: public, keyless, French labels.
PLAN_IGN = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
    "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)
PLAN_IGN_ATTRIBUTION = '&copy; <a href="https://www.ign.fr/">IGN</a> – Plan IGN'
# As a provider object: given a URL string, folium first searches xyzservices' whole catalogue for
# a provider of that name (7 ms per map, on every run of a page with a map).
PLAN_IGN_PROVIDER = xyzservices.TileProvider(
    name="Plan IGN", url=PLAN_IGN, attribution="IGN – Plan IGN", html_attribution=PLAN_IGN_ATTRIBUTION, max_zoom=18
)


def make_base_map(
    bounds: list[list[float]],
    tiles: str | None = "ign",
    padding_top_left: tuple[int, int] | None = None,
    legend_html: str | None = None,
) -> folium.Map:
    """A folium map that loads only Leaflet, from the app's own static files (no CDN).

    ``tiles="ign"`` uses Plan IGN; None draws no background (static exports, tests). The map is
    fitted to ``bounds`` before any layer is added (tiles are fetched and paths projected once, at
    the final zoom), leaving ``padding_top_left`` (pixels) free and, when ``legend_html`` is given
    (:class:`LegendControl`, bottom right), clear of the legend: beside or above it, whichever
    shows the bounds larger. Zoom steps by halves: France fills more of a map of medium size.
    """
    fmap = folium.Map(location=[46.6, 2.4], zoom_start=6, tiles=None, zoom_snap=0.5)
    MetricScale().add_to(fmap)
    if legend_html is not None:
        LegendControl(legend_html).add_to(fmap)
    FitView(bounds, padding_top_left or (8, 8)).add_to(fmap)
    if tiles == "ign":
        folium.TileLayer(PLAN_IGN_PROVIDER, attr=PLAN_IGN_ATTRIBUTION, name="Plan IGN", max_zoom=18).add_to(fmap)
    elif tiles:
        folium.TileLayer(tiles, max_zoom=18).add_to(fmap)
    # markercluster needs maxZoom even when no tile layer sets it
    fmap.options["max_zoom"] = 18
    fmap.default_js = list(LEAFLET_JS)
    fmap.default_css = list(LEAFLET_CSS)
    return fmap


class FitView(MacroElement):
    """Fit the map to ``bounds`` at once (no animation), leaving ``padding_top_left`` free and
    keeping clear of the map's legend (bottom right): beside it or above it, whichever zooms in more.

    A map in a frame that is not laid out yet has no size to fit to: it is then centred on the
    bounds and fitted on its first resize to a usable size.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var bounds = L.latLngBounds({{ this.bounds|tojson }}), topLeft = L.point({{ this.padding|tojson }});
            function roomy() {
                var size = map.getSize();
                return size.x > topLeft.x + 240 && size.y > topLeft.y + 160;
            }
            function fit() {
                // The legend's own box (sized by its inline style): Leaflet's stylesheet, which shapes the
                // control around it, may not be loaded yet in a component's frame.
                var legend = map.getContainer().querySelector(".fabt-legend-box > *");
                var w = legend ? legend.offsetWidth + 24 : 8, h = legend ? legend.offsetHeight + 34 : 8;
                var beside = L.point(w, 8), above = L.point(8, h);
                var zBeside = map.getBoundsZoom(bounds, false, topLeft.add(beside));
                var zAbove = map.getBoundsZoom(bounds, false, topLeft.add(above));
                map.fitBounds(bounds, {paddingTopLeft: topLeft,
                    paddingBottomRight: zBeside >= zAbove ? beside : above, animate: false});
            }
            if (roomy()) { fit(); return; }
            // A frame not laid out yet has no size: centre the map, fit it once it has one.
            map.setView(bounds.getCenter(), 5, {animate: false});
            function later() { if (roomy()) { map.off("resize", later); fit(); } }
            map.on("resize", later);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], padding_top_left: tuple[int, int] = (8, 8)):
        super().__init__()
        self._name = "FitView"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.padding = list(padding_top_left)


class LegendControl(MacroElement):
    """A legend box (HTML built from escaped text, see :func:`core.viz.maps.escape`) as a Leaflet
    control in a corner of the map, so that it stacks with the other controls and the map can be
    fitted clear of it (:class:`FitView`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "fabt-legend-box leaflet-control");
                div.innerHTML = {{ this.html_text|tojson }};
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html_text: str, position: str = "bottomright"):
        super().__init__()
        self._name = "LegendControl"
        self.html_text = html_text
        self.position = position


class LiteralElement(Element):
    """Text that goes into the page as it is: branca's ``Element(text)`` compiles ``text`` as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "LiteralElement"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


# Shared by every overlay of a page (defined once): a tooltip is bound on the first hover of a
# feature rather than for each feature when the layer is built (Leaflet 1.9 also gives each bound
# tooltip focus listeners: a fifth of the national map's start-up); a feature's ``label`` becomes
# the text alternative of its marker.
OVERLAY_HELPERS = """
window.fabtHover = window.fabtHover || function (e) {
    var l = e.layer, p = l && l.feature && l.feature.properties;
    if (!p || !p.tooltip || l.getTooltip()) { return; }
    l.bindTooltip(p.tooltip, {sticky: true}).openTooltip(e.latlng);
};
window.fabtLabel = window.fabtLabel || function (group) {
    group.eachLayer(function (l) {
        var p = l.feature && l.feature.properties, el = l.getElement && l.getElement();
        if (p && p.label && el) { el.setAttribute("role", "img"); el.setAttribute("aria-label", p.label); }
    });
};
window.fabtInside = window.fabtInside || function (f, bounds) {
    var c = f.geometry && f.geometry.coordinates;
    while (c && typeof c[0] !== "number") { c = c[0]; }
    return !!c && bounds.contains([c[1], c[0]]);
};
"""


# Panes above Leaflet's overlay pane (400), below its markers (600) and tooltips (650).
PANES: dict[str, int] = {"fabtPlaces": 450}


class GeoJsonOverlay(JSCSSMixin, Layer):
    """A GeoJSON overlay: polygons, lines or points (circle markers), optionally clustered.

    Feature properties read by the layer: ``tooltip`` (HTML, already escaped), ``fill`` (a colour
    overriding the layer's ``fillColor``), ``label`` (plain text: the marker's text alternative)
    and ``id`` (what a click on the feature identifies, see :func:`core.domain.territories.item_key`).
    The layer's variable carries ``fabtMake(inset, keep, map)``, which builds the same layer again (for
    an overseas inset: its classes read ``fabt-inset-…``, only the features ``keep`` accepts).

    Parameters
    ----------
    pane : str, optional
        A key of :data:`PANES`: the layer stays above the others whatever the order they are drawn in.
    defer : bool
        Add the layer to the map just after the map's first drawing (the places show first).
    forward_to : GeoJsonOverlay, optional
        Pass the clicks on this layer's features on to that layer: streamlit-folium only listens to
        the layers on the map when it starts (a deferred layer, an inset's copy are not).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.helpers }}
        var {{ this.get_name() }}_json = {{ this.data_json }};
        function {{ this.get_name() }}_make(inset, keep, target) {
            var base = {{ this.style|tojson }}, pane = {{ this.pane|tojson }};
            var cls = {{ this.class_name|tojson }};
            if (inset) { cls = cls.replace(/fabt-/g, "fabt-inset-"); }
            if (pane && !target.getPane(pane)) { target.createPane(pane).style.zIndex = {{ this.pane_z }}; }
            var layer = L.geoJSON({{ this.get_name() }}_json, {
                className: cls,
                interactive: {{ this.interactive|tojson }},
                pane: pane || "overlayPane",
                filter: keep,
                style: function (f) {
                    var s = Object.assign({}, base);
                    if (f.properties && f.properties.fill) { s.fillColor = f.properties.fill; }
                    return s;
                },
                pointToLayer: function (f, latlng) {
                    var s = Object.assign({}, base, {className: cls, pane: pane || "overlayPane"});
                    if (inset && s.radius) { s.radius = Math.max(2, s.radius * 0.6); }
                    if (f.properties && f.properties.fill) { s.fillColor = f.properties.fill; }
                    return L.circleMarker(latlng, s);
                }
            });
            layer.on("mouseover", window.fabtHover);
            layer.on("add", function () { window.fabtLabel(layer); });
            return layer;
        }
        var {{ this.get_name() }}_data = {{ this.get_name() }}_make(false, undefined, {{ this._parent.get_name() }});
        {% if this.cluster %}
        var {{ this.get_name() }} = L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false});
        {{ this.get_name() }}.addLayer({{ this.get_name() }}_data);
        {% else %}
        var {{ this.get_name() }} = {{ this.get_name() }}_data;
        {% endif %}
        {{ this.get_name() }}.fabtMake = {{ this.get_name() }}_make;
        {% if this.forward_to is not none %}
        {{ this.get_name() }}.on("click", function (e) {
            {{ this.forward_to.get_name() }}.fire("click", {latlng: e.latlng, layer: e.layer, sourceTarget: e.layer,
                originalEvent: e.originalEvent});
        });
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict | str,
        name: str,
        style: dict,
        *,
        class_name: str = "",
        cluster: bool = False,
        interactive: bool = True,
        show: bool = True,
        pane: str | None = None,
        defer: bool = False,
        forward_to: GeoJsonOverlay | None = None,
    ):
        # Leaflet's layer control writes the name as HTML: a user's file name must stay text.
        super().__init__(name=escape_markup(name), overlay=True, control=True, show=show)
        self._name = "GeoJsonOverlay"
        # A str is taken as the output of to_safe_json (so a cache can keep it serialised).
        self.data_json = data if isinstance(data, str) else to_safe_json(data)
        self.style = style
        self.class_name = class_name
        self.cluster = cluster
        self.interactive = interactive
        self.pane = pane
        self.pane_z = PANES.get(pane, 400) if pane else 400
        self.defer = defer
        self.forward_to = forward_to
        self.helpers = OVERLAY_HELPERS
        self.default_js = list(CLUSTER_JS) if cluster else []
        self.default_css = list(CLUSTER_CSS) if cluster else []

    def render(self, **kwargs) -> None:
        """Render as folium's layers do (links, add to the parent, script), the script as literal text.

        Folium's ``MacroElement.render`` wraps the rendered script, which holds the layer's data, in
        an ``Element`` that compiles it as a Jinja template: for the QPV or communes layers that
        compilation cost more than the rest of the map on every run. streamlit-folium reads the
        script macro directly and is not concerned.
        """
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        if self.show:
            parent = self._parent.get_name()
            adding = DeferredAdd(self, self._parent) if self.defer else ElementAddToElement(self.get_name(), parent)
            self.add_child(adding, name=self.get_name() + "_add")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(LiteralElement(script(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class DeferredAdd(MacroElement):
    """Add ``layer`` to ``parent`` once the map has drawn what is added at once (a timer of 0 ms:
    the browser paints in between), named when rendered (streamlit-folium renames the layers)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        setTimeout(function () { {{ this.layer.get_name() }}.addTo({{ this.target.get_name() }}); }, 0);
        {% endmacro %}
        """
    )

    def __init__(self, layer: MacroElement, target: MacroElement):
        super().__init__()
        self._name = "DeferredAdd"
        self.layer = layer
        self.target = target


class MetricScale(MacroElement):
    """A scale bar in metres and kilometres only."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


class HtmlLegend(MacroElement):
    """A static legend box (its HTML must be built from escaped text)."""

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "HtmlLegend"
        self.html_text = html_text

    def render(self, **kwargs) -> None:
        # streamlit-folium renders a map twice: add the box once, under a fixed name.
        self.get_root().html.add_child(Element(self.html_text), name=f"{self.get_name()}_box")
        super().render(**kwargs)
