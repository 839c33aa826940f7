-- Add an action item raised at the review of the period ending raised_on (leadership, case managers and admins, by grant); returns its id.
INSERT INTO action_item (title, owner, due_on, notes, raised_on, created_by, updated_by)
VALUES (%(title)s, %(owner)s, %(due_on)s::date, %(notes)s, %(raised_on)s::date, %(actor)s,
        %(actor)s)
RETURNING item_id
