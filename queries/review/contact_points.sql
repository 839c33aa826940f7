-- Contacts in a period snapped to 100 m cells (EPSG:2248) for the printed density map.
SELECT ST_X(cell) AS x, ST_Y(cell) AS y, count(*) AS contacts
FROM (
    SELECT ST_Transform(ST_SnapToGrid(ST_Transform(geom, 2248), 328.0833), 4326) AS cell
    FROM contact
    WHERE occurred_at >= %(start)s::date AND occurred_at < %(end)s::date + 1
      AND offense = ANY(%(offenses)s::text[])
) AS snapped
GROUP BY cell
