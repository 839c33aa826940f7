// Grid cells drawn by the browser from their indices (dashboard/contacts/cell_layer.py).
// A cell travels as [i, j, ...values]; its outline is rebuilt here with the arithmetic
// of geo/cells.py (cell_centres, HEX_CORNERS/SQUARE_CORNERS, unmercator), so the page
// sends a few bytes per cell instead of a GeoJSON polygon. tests/test_contacts_map.py
// compares these outlines with geo.cells.cell_outlines in Chromium.
window.leadCells = (function () {
  const R = 6378137.0; // the sphere of EPSG:3857
  const HEX = [[-1, 0], [-0.5, -0.5], [0.5, -0.5], [1, 0], [0.5, 0.5], [-0.5, 0.5]];
  const SQUARE = [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]];
  const DEGREES = 180 / Math.PI;

  function outline(i, j, shape, size) {
    let cx, cy, corners, height;
    if (shape === "square") {
      cx = (i + 0.5) * size;
      cy = (j + 0.5) * size;
      corners = SQUARE;
      height = size;
    } else {
      height = size * Math.sqrt(3);
      cx = 1.5 * size * i;
      cy = height * j + (height / 2) * (Math.abs(i) % 2);
      corners = HEX;
    }
    const ring = corners.map(([a, b]) => {
      const x = cx + a * size;
      const y = cy + b * height;
      return [(x / R) * DEGREES, (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) * DEGREES];
    });
    ring.push(ring[0]);
    return ring;
  }

  function escape(text) {
    const span = document.createElement("span");
    span.textContent = String(text);
    return span.innerHTML;
  }

  // spec: shape, size, fields (names of the values after i and j), style (Leaflet path
  // options), colourOption + colourField + colours (a per-cell colour by index),
  // tooltip ([field, label] pairs), highlight (path options on hover, optional).
  function layer(spec, rows) {
    const features = rows.map((row) => {
      const properties = { cell: row[0] + ":" + row[1] };
      spec.fields.forEach((name, k) => { properties[name] = row[k + 2]; });
      return {
        type: "Feature",
        geometry: { type: "Polygon", coordinates: [outline(row[0], row[1], spec.shape, spec.size)] },
        properties: properties,
      };
    });
    const group = L.geoJson({ type: "FeatureCollection", features: features }, {
      style: (feature) => Object.assign({}, spec.style, {
        [spec.colourOption]: spec.colours[feature.properties[spec.colourField]],
      }),
      onEachFeature: (feature, cell) => {
        const lines = spec.tooltip.map(([name, label]) =>
          "<tr><th>" + escape(label) + "</th><td>" + escape(feature.properties[name]) + "</td></tr>");
        cell.bindTooltip("<table>" + lines.join("") + "</table>", { sticky: true });
        if (spec.highlight) {
          cell.on("mouseover", (e) => e.target.setStyle(spec.highlight));
          cell.on("mouseout", (e) => group.resetStyle(e.target));
        }
      },
    });
    return group;
  }

  return { outline: outline, layer: layer };
})();
