-- Audit rows in a date range, filtered by part of the user name, actions and outcomes
-- (empty arrays match all), newest first, at most limit rows; matched counts them all.
SELECT at, actor, role, action, target, outcome, detail::text AS detail,
       count(*) OVER () AS matched
FROM audit_log
WHERE at >= %(start)s::date
  AND at < %(end)s::date + 1
  AND strpos(lower(actor), lower(%(actor)s::text)) > 0
  AND (cardinality(%(actions)s::text[]) = 0 OR action = ANY(%(actions)s::text[]))
  AND (cardinality(%(outcomes)s::text[]) = 0 OR outcome = ANY(%(outcomes)s::text[]))
ORDER BY at DESC, audit_id DESC
LIMIT %(limit)s::integer
