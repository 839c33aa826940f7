-- Change an action item's owner, due date, status and notes; a done or dropped item is closed today (Baltimore), reopening clears that. Returns the row as it was before, none when the id is unknown.
WITH before AS (
    SELECT item_id, owner, due_on, status, notes FROM action_item
    WHERE item_id = %(item_id)s::bigint FOR UPDATE
)
UPDATE action_item AS a
SET owner = %(owner)s, due_on = %(due_on)s::date, status = %(status)s, notes = %(notes)s,
    closed_on = CASE WHEN %(status)s = 'open' THEN NULL
                     WHEN a.status = %(status)s THEN a.closed_on
                     ELSE greatest((now() AT TIME ZONE 'America/New_York')::date, a.raised_on)
                END,
    updated_by = %(actor)s, updated_at = now()
FROM before AS b
WHERE a.item_id = b.item_id
RETURNING b.owner, b.due_on, b.status, b.notes
