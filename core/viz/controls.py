"""The map's controls in French.

Leaflet labels its buttons in English (« Zoom in », « Layers ») and Streamlit titles a component's
frame with the component's name: :class:`FrenchControls` names them in French, for screen readers
and tooltips, and titles the map's frame.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from core.viz.leaflet import to_safe_json

# Every map's title starts with « Carte » (see :func:`map_title`): the frame of a map in the app, once
# its script has run, is found with this selector (tests, benchmarks).
MAP_FRAME_SELECTOR = 'iframe[title^="Carte"]'


def map_title(title: str | None) -> str:
    """A map's title for screen readers, starting with « Carte ».

    Examples
    --------
    >>> map_title(None), map_title("Carte des Fabriques"), map_title("Fabriques par département")
    ('Carte', 'Carte des Fabriques', 'Carte : Fabriques par département')
    """
    if not title:
        return "Carte"
    return title if title.startswith("Carte") else f"Carte : {title}"


class FrenchControls(MacroElement):
    """French names for the zoom buttons, the layer control and Leaflet's credit, ``title`` for the map (and for
    the frame holding it, when it is one).

    Add it last: it names the controls already on the map.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var box = map.getContainer(), title = {{ this.title_json }};
            function name(selector, text) {
                box.querySelectorAll(selector).forEach(function (el) {
                    el.setAttribute("title", text);
                    el.setAttribute("aria-label", text);
                });
            }
            name(".leaflet-control-zoom-in", "Zoom avant");
            name(".leaflet-control-zoom-out", "Zoom arrière");
            name(".leaflet-control-layers-toggle", "Couches de la carte (afficher ou masquer)");
            name(".leaflet-control-attribution a[href*='leafletjs.com']", "Leaflet, cartes interactives");
            box.setAttribute("role", "region");
            box.setAttribute("aria-label", title);
            box.setAttribute("aria-roledescription", "carte");
            try {
                if (window.frameElement) { window.frameElement.setAttribute("title", title); }
            } catch (e) {}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str):
        super().__init__()
        self._name = "FrenchControls"
        # Plain text set as attributes from JavaScript (never parsed as HTML), in JSON that folium's
        # second compilation of the page cannot read as a template.
        self.title_json = to_safe_json(title)
