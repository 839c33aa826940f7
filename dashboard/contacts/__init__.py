"""The Contacts map page, split by concern:

- ``page``: draws the page;
- ``data``: page-local filters and the functions returning the page's figures, all
  aggregated in PostGIS through ``queries/contacts/*.sql``;
- ``controls``: the page's own widgets;
- ``sections``: the parts of the page that take more than a few lines to draw;
- ``mapping``: the folium map (boundaries, cells, heat, hot spots, clicks) and the
  pydeck map of geomasked points (``cell_layer``: cells the browser draws);
- ``charts``: the altair charts (hour x weekday, weekly trend, one cell over time).
"""
