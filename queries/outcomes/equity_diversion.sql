-- Eligible contacts in the window by race, sex and age group: diverted, declined, neither.
-- Eligible: a drug or prostitution contact (of the chosen offences) inside the catchment
-- in force that day.
WITH catchment AS (
    SELECT geom, valid_from, coalesce(valid_to, 'infinity'::date) AS valid_to
    FROM program_area WHERE kind = 'catchment'
),
eligible AS (
    SELECT c.decision, c.race, c.sex, c.age
    FROM contact AS c
    WHERE c.occurred_at >= %(start)s::date::timestamp AT TIME ZONE 'America/New_York'
      AND c.occurred_at < (%(end)s::date + 1)::timestamp AT TIME ZONE 'America/New_York'
      AND c.offense = ANY(%(offenses)s::text[])
      AND c.offense IN ('drug', 'prostitution')
      AND EXISTS (
          SELECT 1 FROM catchment AS a
          WHERE ST_Intersects(a.geom, c.geom)
            AND (c.occurred_at AT TIME ZONE 'America/New_York')::date >= a.valid_from
            AND (c.occurred_at AT TIME ZONE 'America/New_York')::date < a.valid_to)
),
labelled AS (
    SELECT 'race' AS dimension, coalesce(race, 'Unknown') AS grp, decision FROM eligible
    UNION ALL
    SELECT 'sex', coalesce(sex, 'Unknown'), decision FROM eligible
    UNION ALL
    SELECT 'age', age_group(age), decision FROM eligible
)
SELECT dimension, grp,
       count(*)::integer AS eligible,
       count(*) FILTER (WHERE decision = 'diverted')::integer AS diverted,
       count(*) FILTER (WHERE decision = 'declined')::integer AS declined
FROM labelled
GROUP BY dimension, grp
ORDER BY dimension, grp
