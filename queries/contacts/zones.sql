-- Filtered contacts of the period inside the catchment in force that day, in the ring within ring_m of its edge, and further out.
-- ring_m is the setting catchment_ring_m on the last day (the page reads it with
-- session/setting), a distance on the ground; each contact's zone is contacts_zoned's
-- (db/functions/catchment.sql). A day with no catchment in force puts its contacts
-- outside. eligible_offence: drug and prostitution contacts, the offences LEAD can divert.
-- Stored counts (contact_rollup) when they answer for these filters and were counted
-- with this ring, else counted; the branch ruled out is not run. Always three rows.
WITH counted AS (
    SELECT r.zone, r.offense, r.contacts, r.diverted
    FROM contact_rollup_read(
        'zone', %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[]
    ) AS r
    WHERE (SELECT s.ring_m FROM contact_rollup_state AS s)
          IS NOT DISTINCT FROM %(ring_m)s::float8
    UNION ALL
    SELECT zone, offense, count(*), count(*) FILTER (WHERE decision = 'diverted')
    FROM contacts_zoned(
        %(start)s::date, %(end)s::date, %(offenses)s::text[], %(pathways)s::text[],
        %(decisions)s::text[], %(posts)s::text[], %(trained)s::text, %(hours)s::integer[],
        %(ring_m)s::float8
    )
    WHERE NOT (contact_rollup_usable(%(pathways)s::text[], %(decisions)s::text[],
                                     %(posts)s::text[], %(trained)s::text, %(hours)s::integer[])
               AND (SELECT s.ring_m FROM contact_rollup_state AS s)
                   IS NOT DISTINCT FROM %(ring_m)s::float8)
    GROUP BY zone, offense
)
SELECT z.zone, coalesce(sum(c.contacts), 0)::bigint AS contacts,
       coalesce(sum(c.contacts) FILTER (WHERE c.offense IN ('drug', 'prostitution')), 0)::bigint
           AS eligible_offence,
       coalesce(sum(c.diverted), 0)::bigint AS diverted, %(ring_m)s::float8 AS ring_m
FROM (VALUES (1, 'inside'), (2, 'ring'), (3, 'outside')) AS z (n, zone)
LEFT JOIN counted AS c ON c.zone = z.zone
GROUP BY z.n, z.zone
ORDER BY z.n
