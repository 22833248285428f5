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


def to_safe_json(data: dict) -> str:
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


def make_base_map(bounds: list[list[float]], tiles: str | None = "ign") -> folium.Map:
    """A folium map that loads only Leaflet, from the app's own static files (no CDN).

    ``tiles="ign"`` uses Plan IGN; None draws no background (static exports, tests).
    """
    fmap = folium.Map(location=[46.6, 2.4], zoom_start=6, tiles=None)
    MetricScale().add_to(fmap)
    if tiles == "ign":
        folium.TileLayer(PLAN_IGN_PROVIDER, attr=PLAN_IGN_ATTRIBUTION, name="Plan IGN", max_zoom=18).add_to(fmap)
    elif tiles:
        folium.TileLayer(tiles, max_zoom=18).add_to(fmap)
    # markercluster needs maxZoom even when no tile layer sets it
    fmap.options["max_zoom"] = 18
    fmap.default_js = list(LEAFLET_JS)
    fmap.default_css = list(LEAFLET_CSS)
    fmap.fit_bounds(bounds)
    return fmap


class LiteralElement(Element):
    """Text that goes into the page as it is: branca's ``Element(text)`` compiles ``text`` as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "LiteralElement"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class GeoJsonOverlay(JSCSSMixin, Layer):
    """A GeoJSON overlay: polygons, lines or points (circle markers), optionally clustered.

    Feature properties read by the layer: ``tooltip`` (HTML, already escaped) and ``fill``
    (a colour overriding the layer's ``fillColor``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = L.geoJSON({{ this.data_json }}, {
            className: {{ this.class_name|tojson }},
            interactive: {{ this.interactive|tojson }},
            style: function (f) {
                var s = Object.assign({}, {{ this.style|tojson }});
                if (f.properties && f.properties.fill) { s.fillColor = f.properties.fill; }
                return s;
            },
            pointToLayer: function (f, latlng) {
                var s = Object.assign({}, {{ this.style|tojson }}, {className: {{ this.class_name|tojson }}});
                if (f.properties && f.properties.fill) { s.fillColor = f.properties.fill; }
                return L.circleMarker(latlng, s);
            },
            onEachFeature: function (f, layer) {
                if (f.properties && f.properties.tooltip) {
                    layer.bindTooltip(f.properties.tooltip, {sticky: true});
                }
            }
        });
        {% if this.cluster %}
        var {{ this.get_name() }} = L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false});
        {{ this.get_name() }}.addLayer({{ this.get_name() }}_data);
        {% else %}
        var {{ this.get_name() }} = {{ this.get_name() }}_data;
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
            self.add_child(ElementAddToElement(self.get_name(), parent), name=self.get_name() + "_add")
        script = self._template.module.__dict__["script"]
        figure.script.add_child(LiteralElement(script(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


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
