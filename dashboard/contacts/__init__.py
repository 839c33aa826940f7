"""The contacts map page (dashboard/pages/contacts_map.py), split by concern:

- ``data``: page-local filters and the functions returning the page's figures, all
  aggregated in PostGIS through ``queries/contacts/*.sql``;
- ``controls``: the page's own widgets;
- ``mapping``: the folium map (boundaries, cells, heat, hot spots, clicks) and the
  pydeck map of geomasked points;
- ``charts``: the altair charts (hour x weekday, weekly trend, one cell over time).
"""
