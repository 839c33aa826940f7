"""A folium layer of grid cells that the browser draws from their indices.

A GeoJSON polygon per cell (folium.GeoJson) costs about 440 bytes once its style and
tooltip are attached; thousands of cells made the contacts map's payload megabytes.
:class:`CellLayer` sends each cell as ``[i, j, value, ...]`` and one small script
(``cell_layer.js``, included with the layer) rebuilds the outlines with the grid
arithmetic of ``geo.cells``, into an ordinary ``L.geoJson`` layer: tooltips, hover
highlight, the layer list and streamlit-folium's click reporting
(``last_active_drawing.properties.cell``) work as they do for folium.GeoJson.
"""

import json
from pathlib import Path

import folium
from folium.template import Template
from markupsafe import Markup

from geo import cells

SCRIPT = (Path(__file__).with_name("cell_layer.js")).read_text()


class CellLayer(folium.map.Layer):
    """Cells of ``grid`` as one overlay.

    ``rows`` are ``[i, j, *values]`` with values named by ``fields``; ``colour_field``
    holds an index into ``colours`` applied to the path option ``colour_option``
    ("fillColor" or "color"); ``tooltip`` lists (field, label) pairs.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this.script }}
            var {{ this.get_name() }} = window.leadCells.layer(
                {{ this.spec_json }}, {{ this.rows_json }}
            );
        {% endmacro %}
        """
    )

    def __init__(
        self,
        rows: list[list],
        grid: cells.Grid,
        *,
        name: str,
        fields: list[str],
        style: dict,
        colour_option: str,
        colour_field: str,
        colours: list[str],
        tooltip: list[tuple[str, str]],
        highlight: dict | None = None,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "CellLayer"
        self.script = SCRIPT
        self.rows_json = script_json(rows)
        self.spec_json = script_json(
            {
                "shape": grid.shape,
                "size": grid.size,
                "fields": fields,
                "style": style,
                "colourOption": colour_option,
                "colourField": colour_field,
                "colours": colours,
                "tooltip": [list(pair) for pair in tooltip],
                "highlight": highlight,
            }
        )


def script_json(value) -> Markup:
    """Compact JSON safe inside a <script> element (like Jinja's tojson, without spaces)."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return Markup(text)
